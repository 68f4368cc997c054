"""A published details version that was wrong is corrected by appending a version, never by editing:
published bulletins keep their bytes, "details on D" says corrected and shows what it superseded, the
public log records the correction, and a correction bulletin (PDF, CSV and JSON alike) states it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from members.core.errors import DomainError
from members.core.policy import Actor
from members.details.models import OrganisationDetails
from members.details.selectors import corrected_details_on, details_on
from members.history import details_correct, organisation_details_change
from members.models import Organisation
from members.publications import services
from members.publications.models import Publication
from members.selectors import registry_inconsistencies
from members.transparency.models import LogEntry
from members.transparency.verification import verify_register
from tests.helpers import act, for_org, login_staff

from .conftest import PERIOD

TYPO, RIGHT = "甲骨文数字政务科技有限公司", "甲骨文数字政务科技股份有限公司"
RENAMED = "甲骨文数字政务集团有限公司"


def _files(pub: Publication) -> dict[str, bytes]:
    return {f.kind: services.file_path(f).read_bytes() for f in pub.files.all()}


def _counts() -> tuple[int, ...]:
    return (OrganisationDetails.objects.count(), LogEntry.objects.count(),
            list(Organisation.objects.order_by("pk").values_list("name", "updated_at")))  # type: ignore[return-value]


def _refused(call, code: str) -> DomainError:
    before = _counts()
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == code, exc.value.code
    assert _counts() == before
    assert registry_inconsistencies() == []
    return exc.value


@pytest.fixture
def published(march, moving_clock, reviewer):
    """March 2025 published; the name registered since January was a typo; renamed in June 2026."""
    moving_clock.set(date(2026, 6, 1))
    pub = services.publication_publish_sync(act(), PERIOD)
    organisation_details_change(act(reviewer), march.stayed, data={"name": RENAMED}, reason="更名")
    moving_clock.set(date(2026, 12, 1))
    return pub


def test_a_past_version_is_corrected_by_a_new_version_and_every_view_of_those_days_says_so(
        march, published, reviewer, client, settings, django_capture_on_commit_callbacks):
    stayed = march.stayed
    original = OrganisationDetails.objects.get(organisation=stayed, valid_from=date(2025, 1, 10))
    original_row = OrganisationDetails.objects.filter(pk=original.pk).values().get()
    files_before = _files(published)

    correction = details_correct(act(reviewer), original, data={"name": RIGHT}, reason="原登记名称漏写“股份”二字")

    # Appended: same days, names the version it corrects, who, when and why; the original untouched.
    assert (correction.valid_from, correction.corrects_id, correction.actor) == (original.valid_from, original.pk,
                                                                               reviewer)
    assert (correction.name, correction.reason) == (RIGHT, "原登记名称漏写“股份”二字")
    assert OrganisationDetails.objects.filter(pk=original.pk).values().get() == original_row
    stayed.refresh_from_db()
    assert stayed.name == RENAMED  # a past version: today's record is not touched
    assert registry_inconsistencies() == []

    # "Details on D": corrected for March 2025, the original shown as superseded; June 2026 unaffected.
    assert details_on(stayed, date(2025, 3, 31)).name == RIGHT
    dated = corrected_details_on(stayed, date(2025, 3, 31))
    assert dated.corrected and [v.name for v in dated.superseded] == [TYPO]
    assert not corrected_details_on(stayed, date(2026, 7, 1)).corrected
    answer = client.get(f"/api/v1/organizations/{stayed.uscc}/status/", {"on": "2025-03-31"}).json()
    assert (answer["name"], answer["details_corrected"]) == (RIGHT, True)
    assert [v["name"] for v in answer["details_superseded"]] == [TYPO]
    assert answer["details_superseded"][0]["corrected_at"].startswith("2026-12-01T")
    later = client.get(f"/api/v1/organizations/{stayed.uscc}/status/", {"on": "2026-07-01"}).json()
    assert (later["name"], later["details_corrected"], later["details_superseded"]) == (RENAMED, False, [])
    profile = client.get(f"/register/{stayed.pk}/", {"on": "2025-03-31"}).content.decode()
    assert f"当日登记名称：{RIGHT}（已更正；原登记“{TYPO}”已被更正取代）" in profile
    assert f"<del>{TYPO}</del>" in profile and "已被更正取代" in profile

    # The published bulletin keeps its bytes; the public log has the correction and still verifies.
    assert _files(published) == files_before
    assert all(hashlib.sha256(files_before[f.kind]).hexdigest() == f.sha256 for f in published.files.all())
    entry = json.loads(LogEntry.objects.get(source=f"details_correction:{correction.pk}").body)
    assert (entry["corrects_version_id"], entry["before"]["name"], entry["after"]["name"]) == (original.pk, TYPO, RIGHT)
    assert "漏写" not in json.dumps(entry, ensure_ascii=False) and reviewer.email not in json.dumps(entry)
    assert verify_register().divergence is None

    # A correction bulletin of March states the corrected line, the same in its PDF, CSV and JSON.
    with django_capture_on_commit_callbacks(execute=True):
        fixed = services.publication_correct(act(), published)
    fixed.refresh_from_db()
    files = _files(fixed)
    changes = json.loads(files["json"])["changes"]
    assert changes == [f"签署成员名录：{stayed.public_uscc} 的名称由“{TYPO}”更正为“{RIGHT}”"]
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    stated = [r for r in rows if r["section"] == "changes"]
    assert [r["change"] for r in stated] == changes
    assert {r["corrects"] for r in stated} == {str(published.number)}
    assert [r["name"] for r in rows if r["section"] == "roster" and r["uscc"] == stayed.public_uscc] == [RIGHT]
    # Compared without white space: text extraction spaces out the runs of a line as it likes.
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages).split())
    assert f"本期为对第{published.number}期的更正" in text
    for line in changes:
        assert "".join(line.split()) in text
    assert verify_register().divergence is None


def test_an_ordinary_bulletin_csv_has_no_statement_and_keeps_its_columns(published):
    rows = list(csv.reader(io.StringIO(_files(published)["csv"].decode("utf-8-sig"))))
    assert rows[0][-1] == "public_notice" and "changes" not in {r[3] for r in rows[1:]}


def test_correcting_the_version_in_force_today_corrects_the_record_too(march, published, reviewer):
    stayed = march.stayed
    current = OrganisationDetails.objects.filter(organisation=stayed).order_by("-valid_from", "-id").first()
    assert current.name == RENAMED
    details_correct(act(reviewer), current, data={"name": "甲骨文数字政务集团股份有限公司", "roles": ["developer", "other"]},
                    reason="营业执照所载名称")
    stayed.refresh_from_db()
    assert (stayed.name, stayed.roles) == ("甲骨文数字政务集团股份有限公司", "developer,other")
    assert registry_inconsistencies() == []
    assert details_on(stayed, date(2026, 12, 1)).name == "甲骨文数字政务集团股份有限公司"
    assert details_on(stayed, date(2025, 3, 31)).name == TYPO  # the earlier version was not corrected
    assert verify_register().divergence is None


def test_every_bad_correction_is_refused_and_writes_nothing(march, published, reviewer, superuser):
    stayed = march.stayed
    original = OrganisationDetails.objects.get(organisation=stayed, valid_from=date(2025, 1, 10))

    def correct(actor=None, version=original, reason="理由", **data):
        return lambda: details_correct(actor or act(reviewer), version, data=data or {"name": RIGHT}, reason=reason)

    _refused(correct(reason="  "), "correction_reason_required")
    err = _refused(correct(uscc_public="91110000000000000X"), "not_correctable")
    assert "统一社会信用代码" in str(err.message)
    _refused(correct(name=TYPO), "correction_changes_nothing")
    _refused(correct(name="  "), "invalid_field")
    _refused(correct(region="999999"), "invalid_field")
    _refused(correct(roles=["landlord"]), "invalid_field")
    _refused(correct(roles=[]), "invalid_field")
    _refused(correct(actor=for_org(stayed)), "permission_denied")  # a member does not correct its record
    _refused(correct(actor=Actor(user=reviewer)), "permission_denied")  # staff without the second factor
    details_correct(act(superuser), original, data={"name": RIGHT}, reason="更正")
    _refused(correct(name="又一个名称"), "already_corrected")  # correct the correction instead
    again = OrganisationDetails.objects.get(corrects=original)
    details_correct(act(reviewer), again, data={"name": "甲骨文数字政务科技股份公司"}, reason="再次更正")
    dated = corrected_details_on(stayed, date(2025, 3, 31))
    assert dated.details.name == "甲骨文数字政务科技股份公司"
    assert [v.name for v in dated.superseded] == [TYPO, RIGHT]
    assert registry_inconsistencies() == [] and verify_register().divergence is None


def test_staff_correct_a_version_in_the_admin_through_the_service(march, published, reviewer, client):
    stayed = march.stayed
    original = OrganisationDetails.objects.get(organisation=stayed, valid_from=date(2025, 1, 10))
    login_staff(client, reviewer)
    page = client.get(f"/admin/members/organisationdetails/{original.pk}/correct/")
    assert page.status_code == 200 and TYPO in page.content.decode()
    form = {"name": RIGHT, "name_en": "", "roles": ["developer"], "region": original.region, "reason": ""}
    refused = client.post(f"/admin/members/organisationdetails/{original.pk}/correct/", form)
    assert refused.status_code == 200 and OrganisationDetails.objects.filter(corrects=original).count() == 0
    done = client.post(f"/admin/members/organisationdetails/{original.pk}/correct/", {**form, "reason": "漏字"})
    assert done.status_code == 302
    correction = OrganisationDetails.objects.get(corrects=original)
    assert (correction.name, correction.actor, correction.reason) == (RIGHT, reviewer, "漏字")
    org_page = client.get(f"/admin/members/organisation/{stayed.pk}/change/").content.decode()
    assert "已被更正取代" in org_page
