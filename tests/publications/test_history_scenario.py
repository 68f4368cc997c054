"""One organisation through join → rename → withdraw (scheduled) → rejoin, with the clock moved day by
day: status on twelve dates, every monthly bulletin published on time, their re-renders byte-identical
after the rename, and the public profile."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from members import services
from members.core.policy import SYSTEM
from members.history import memberships_apply_due, organisation_details_change
from members.models import Document, MembershipEvent, MembershipStatus
from members.publications.models import Publication
from members.publications.selectors import month_period
from members.publications.services import file_path, publication_publish_sync, render_files
from members.selectors import details_on, registry_inconsistencies, status_on
from tests.factories import OrganisationFactory, make_application, make_representative, upload
from tests.helpers import act, for_org

OLD, NEW = "甲乙丙政务科技有限公司", "甲乙丙数字政务集团有限公司"


def _approve(org, reviewer, rep):
    app = org.applications.filter(state="draft").first()
    if app is None:
        app = make_application(org, rep)
    else:  # a re-application: the documents are uploaded again
        for kind in (Document.Kind.BUSINESS_LICENCE, Document.Kind.SEALED_PAGE):
            services.document_upload(act(rep) if rep is not None else for_org(org), organisation=org, kind=kind, upload=upload(), application=app)
    services.application_submit(act(rep) if rep is not None else for_org(org), app)
    services.application_start_review(act(reviewer), app)
    services.application_verify_sealed_page(act(reviewer), app)
    return services.application_approve(act(reviewer), app)


def _publish(year: int, month: int):
    pub = publication_publish_sync(act(), month_period(year, month))
    assert pub.is_published
    return pub


@pytest.mark.django_db
def test_join_rename_scheduled_withdrawal_and_rejoin_keep_every_past_answer(reviewer, moving_clock, client,
                                                                           django_capture_on_commit_callbacks):
    org = OrganisationFactory(name=OLD, name_en="Jiayibing Gov Tech", roles="developer", region="110000")
    rep = make_representative(org)
    other = OrganisationFactory(name="常驻签署成员有限公司")
    published: dict[int, Publication] = {}

    moving_clock.set(date(2026, 1, 10))
    _approve(other, reviewer, None)
    app = _approve(org, reviewer, rep)
    start = MembershipEvent.objects.get(organisation=org)
    assert start.effective_date == date(2026, 1, 10)  # the approval day
    assert (start.sealed_page_verified_by, start.sealed_page_verified_at) == (reviewer, app.sealed_page_verified_at)

    moving_clock.set(date(2026, 2, 1))
    published[1] = _publish(2026, 1)
    moving_clock.set(date(2026, 3, 1))
    published[2] = _publish(2026, 2)

    moving_clock.set(date(2026, 3, 15))  # staff record the new name: valid from today
    organisation_details_change(act(reviewer), org, data={"name": NEW, "roles": "developer,operator"})
    moving_clock.set(date(2026, 4, 1))
    published[3] = _publish(2026, 3)

    moving_clock.set(date(2026, 5, 1))
    published[4] = _publish(2026, 4)
    moving_clock.set(date(2026, 5, 20))
    notice = services.withdrawal_file(act(rep), org, requested_date=date(2026, 6, 30))
    moving_clock.set(date(2026, 5, 21))
    services.withdrawal_acknowledge(act(reviewer), notice)  # for the day the member asked for
    org.refresh_from_db()
    assert org.status == MembershipStatus.SIGNATORY
    profile = client.get(f"/register/{org.pk}/").content.decode()
    assert 'id="scheduled-end"' in profile and "2026-06-30" in profile
    moving_clock.set(date(2026, 6, 1))
    published[5] = _publish(2026, 5)

    moving_clock.set(date(2026, 7, 1))  # nobody came back: the job applies the end that fell due
    assert registry_inconsistencies() != []  # the projection lags until the job runs...
    with django_capture_on_commit_callbacks(execute=True):
        assert memberships_apply_due(SYSTEM) == 1
        assert memberships_apply_due(SYSTEM) == 0  # ...once
    assert registry_inconsistencies() == []
    org.refresh_from_db()
    assert (org.status, org.left_on) == (MembershipStatus.WITHDRAWN, date(2026, 6, 30))
    published[6] = _publish(2026, 6)
    for month in (7, 8):
        moving_clock.set(date(2026, month + 1, 1))
        published[month] = _publish(2026, month)

    moving_clock.set(date(2026, 9, 10))
    app = services.application_reapply(act(rep), org)
    _approve(org, reviewer, rep)
    moving_clock.set(date(2026, 10, 1))
    published[9] = _publish(2026, 9)

    # Status on twelve dates, from the events.
    expected = {
        date(2026, 1, 9): "none", date(2026, 1, 10): "signatory", date(2026, 3, 14): "signatory",
        date(2026, 3, 15): "signatory", date(2026, 5, 21): "signatory", date(2026, 6, 29): "signatory",
        date(2026, 6, 30): "withdrawn", date(2026, 7, 1): "withdrawn", date(2026, 8, 31): "withdrawn",
        date(2026, 9, 9): "withdrawn", date(2026, 9, 10): "signatory", date(2026, 10, 1): "signatory",
    }
    for day, status in expected.items():
        assert status_on(org, day) == status, day
        answer = client.get(f"/api/v1/organizations/{org.uscc}/status/", {"on": day.isoformat()}).json()
        assert answer["status"] == status
        assert answer["name"] == (NEW if day >= date(2026, 3, 15) else OLD), day
    assert details_on(org, date(2026, 3, 14)).roles == "developer"
    assert details_on(org, date(2026, 3, 15)).roles == "developer,operator"

    # Every bulletin lists the organisation with the details of its own dates.
    def content(n: int) -> dict:
        f = published[n].files.get(kind="json")
        return json.loads(file_path(f).read_text(encoding="utf-8"))

    def names(n: int, section: str) -> list[str]:
        return [u["name"] for u in content(n)[section] if u["uscc"] == org.public_uscc]

    assert names(1, "joined") == [OLD] and names(1, "roster") == [OLD]
    assert names(2, "roster") == [OLD]
    assert names(3, "roster") == [NEW]
    roles = {n: [u["roles"] for u in content(n)["roster"] if u["uscc"] == org.public_uscc] for n in (2, 3)}
    assert roles == {2: ["开发商"], 3: ["开发商、运维商"]}
    assert names(4, "roster") == [NEW] and names(5, "roster") == [NEW]
    assert names(6, "withdrew") == [NEW] and names(6, "roster") == []
    assert names(7, "roster") == [] and names(8, "roster") == []
    assert names(9, "joined") == [NEW] and names(9, "roster") == [NEW]

    # Re-rendering every past period now, after the rename and the rejoin, gives the same bytes.
    for n, pub in published.items():
        folder = file_path(pub.files.get(kind="json")).parent.parent / f".rerender-{n}"
        folder.mkdir()
        files, _pages = render_files(pub, folder)
        for f in files:
            stored = pub.files.get(kind=f.kind)
            assert f.sha256 == stored.sha256, (n, f.kind)
            assert hashlib.sha256((folder / f.name).read_bytes()).hexdigest() == stored.sha256

    # The profile: both periods, each event with its day's name, the versions of the details.
    page = client.get(f"/register/{org.pk}/").content.decode()
    assert 'id="scheduled-end"' not in page
    assert page.count("<td>2026-01-10</td>") >= 1 and "2026-06-30" in page and "2026-09-10" in page
    assert 'id="details-versions"' in page and OLD in page and NEW in page
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_the_export_as_of_a_date_shows_the_details_of_that_date(reviewer, moving_clock, client):
    org = OrganisationFactory(name=OLD, roles="developer", region="110000")
    moving_clock.set(date(2026, 1, 10))
    _approve(org, reviewer, None)
    moving_clock.set(date(2026, 3, 15))
    organisation_details_change(act(reviewer), org, data={"name": NEW})
    moving_clock.set(date(2026, 4, 1))

    def exported(on: str) -> list[dict]:
        body = b"".join(client.get("/register/export.json", {"on": on}).streaming_content)
        return json.loads(body)["organisations"]

    assert [r["name"] for r in exported("2026-03-14")] == [OLD]
    assert [r["name"] for r in exported("2026-03-15")] == [NEW]
    assert exported("2026-01-09") == []
    assert exported("2026-02-01")[0]["joined_on"] == "2026-01-10"
