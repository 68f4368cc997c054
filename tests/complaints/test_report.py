"""The public report form, the CAPTCHA, rate limits and tracking codes, through HTTP."""

from __future__ import annotations

import re

import pytest

from complaints.models import Complaint, tracking_code_hash, tracking_code_new
from complaints.selectors import complaint_by_tracking_code
from tests.complaints.conftest import REPORTER, file_complaint, new_org, report_payload
from tests.helpers import act

DESCRIPTION = "应用首页强制要求用户每日签到领取积分。"


def _code_from(response) -> str:
    match = re.search(r'id="tracking-code">([A-Z2-7-]+)<', response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1)


def test_it_files_an_anonymous_report_and_shows_the_code_once(client, member_a):
    payload = report_payload(client, member=member_a.uscc, description=DESCRIPTION, app_name="掌上办事",
                             app_kind="mini_program", article_number="14")
    response = client.post("/complaints/report/", payload, follow=True)
    code = _code_from(response)
    complaint = Complaint.objects.get()
    assert complaint.organisation == member_a and complaint.article_number == 14
    assert complaint.app_kind == "mini_program" and not complaint.has_reporter_contact
    assert complaint.tracking_hash == tracking_code_hash(code)
    assert code.replace("-", "") not in str(Complaint.objects.values().get())  # only the hash is stored
    # The code page is a one-time view.
    assert client.get("/complaints/report/filed/").status_code == 302


def test_it_finds_the_member_by_name_and_refuses_a_non_signatory(client, member_a):
    payload = report_payload(client, member=member_a.name, description=DESCRIPTION, **REPORTER)
    assert client.post("/complaints/report/", payload).status_code == 302
    assert Complaint.objects.get().reporter_email == REPORTER["reporter_email"]
    outsider = new_org()
    payload = report_payload(client, member=outsider.uscc, description=DESCRIPTION)
    response = client.post("/complaints/report/", payload)
    assert response.status_code == 200 and "未找到该现签署成员" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_it_refuses_a_wrong_missing_or_replayed_captcha_and_keeps_what_was_typed(client, member_a):
    import base64
    import json

    payload = report_payload(client, member=member_a.uscc, description=DESCRIPTION, app_name="掌上办事")
    forged = json.loads(base64.b64decode(payload["captcha"]))
    forged["solution"]["counter"] += 1
    wrong = {**payload, "captcha": base64.b64encode(json.dumps(forged).encode()).decode()}
    for attempt in (wrong, {**payload, "captcha": ""}):
        response = client.post("/complaints/report/", attempt)
        body = response.content.decode()
        assert response.status_code == 200 and "人机验证" in body
        assert DESCRIPTION in body and "掌上办事" in body  # nothing typed is lost
    assert Complaint.objects.count() == 0
    assert client.post("/complaints/report/", payload).status_code == 302
    # The same solved challenge cannot be used twice.
    response = client.post("/complaints/report/", payload)
    assert response.status_code == 200 and "人机验证未通过" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_it_refuses_a_flood_from_one_address(client, member_a, settings):
    settings.COMPLAINTS_REPORT_RATE = (3, 3600)
    codes = [client.post("/complaints/report/", report_payload(client, member=member_a.uscc,
                                                                description=DESCRIPTION)).status_code
             for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Complaint.objects.count() == 3
    # Another address is not affected.
    other = client.post("/complaints/report/", report_payload(client, member=member_a.uscc, description=DESCRIPTION),
                        REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_it_shows_the_status_by_tracking_code_without_the_reporter(client, filed, complaint_officer):
    from complaints import services

    services.complaint_start_verification(act(complaint_officer), filed.complaint)
    spaced = " " + "-".join(filed.tracking_code[i:i + 4] for i in range(0, 26, 4)).lower() + " "
    response = client.post("/complaints/track/", {"code": spaced})
    body = response.content.decode()
    assert response.status_code == 200 and "查证核实中" in body
    for private in REPORTER.values():
        assert private not in body


def test_tracking_codes_cannot_be_guessed_or_enumerated(client, filed, settings):
    codes = {tracking_code_new() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 26 and re.fullmatch(r"[A-Z2-7]{26}", c) for c in codes)  # 26 x 5 bits = 130 >= 128
    # A near miss (one character changed), a short code and the primary key all fail the same way.
    near = ("A" if filed.tracking_code[0] != "A" else "B") + filed.tracking_code[1:]
    for guess in (near, filed.tracking_code[:-1], str(filed.complaint.pk)):
        assert complaint_by_tracking_code(guess) is None
        body = client.post("/complaints/track/", {"code": guess}).content.decode()
        assert "查询码无效" in body and "complaint-status" not in body
    settings.COMPLAINTS_TRACK_RATE = (5, 3600)
    statuses = [client.post("/complaints/track/", {"code": tracking_code_new()}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # 3 guesses above plus these: the sixth attempt is refused
    # Even the right code is refused once the address is over its limit.
    assert client.post("/complaints/track/", {"code": filed.tracking_code}).status_code == 429


@pytest.mark.parametrize("kind", ["client", "mini_program", "quick_app"])
def test_it_accepts_each_app_kind(kind, member_a):
    assert file_complaint(member_a, app_name="某应用", app_kind=kind).complaint.app_kind == kind


def test_a_code_read_back_with_lookalike_digits_still_works(filed):
    typed = filed.tracking_code.replace("O", "0").replace("I", "1").replace("B", "8")
    assert complaint_by_tracking_code(typed) == filed.complaint


def test_behind_a_proxy_the_limit_counts_the_forwarded_client(client, member_a, settings):
    settings.COMPLAINTS_REPORT_RATE = (1, 3600)
    settings.REGISTRY_TRUSTED_PROXIES = 1
    post = lambda xff: client.post("/complaints/report/", report_payload(  # noqa: E731
        client, member=member_a.uscc, description=DESCRIPTION), HTTP_X_FORWARDED_FOR=xff).status_code
    assert post("203.0.113.1") == 302
    # A spoofed left-hand entry does not give the same client a fresh allowance.
    assert post("10.9.9.9, 203.0.113.1") == 429
    assert post("203.0.113.2") == 302
