"""Member certificates: signed A4 PDF from the portal, QR to the verification page, instant answers."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader
from rest_framework.test import APIClient

from members import services
from members.core import clock
from members.transparency import certificates, signing
from members.transparency.models import MemberCertificate
from tests.factories import OrganisationFactory, make_representative, make_signatory
from tests.helpers import act, for_org


def _signatory_with_rep(client, name="甲方数字科技有限公司"):
    org = make_signatory(OrganisationFactory(name=name, roles="developer,operator"), on=date(2025, 1, 15))
    rep = make_representative(org)
    client.force_login(rep)
    return org, rep


def test_a_representative_downloads_a_signed_bilingual_certificate(db, client):
    org, _rep = _signatory_with_rep(client)
    response = client.get("/portal/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    cert = MemberCertificate.objects.get(organisation=org)
    assert cert.number.startswith(f"CERT-{clock.today():%Y}-") and hashlib.sha256(pdf).hexdigest() == cert.pdf_sha256
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in ("入约证书", "CERTIFICATE OF MEMBERSHIP", org.name, org.public_uscc, "2025-01-15", cert.number,
                     "开发商", "Developer"):
        assert expected in text, expected
    (sig,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert sig.signer_cert.subject.human_friendly.find("DEMO") >= 0
    # The same certificate again: the same number, the same bytes.
    again = client.get("/portal/certificate.pdf").content
    assert again == pdf and MemberCertificate.objects.count() == 1
    assert signing.identity().demo


def test_only_a_current_signatorys_representative_gets_one(db, client):
    org, rep = _signatory_with_rep(client)
    other = make_representative(OrganisationFactory())
    client.force_login(other)
    assert client.get("/portal/certificate.pdf").status_code == 302
    assert not MemberCertificate.objects.exists()
    notice = services.withdrawal_file(for_org(org), org)
    services.withdrawal_acknowledge(act(None), notice, effective_date=clock.today())
    client.force_login(rep)
    assert client.get("/portal/certificate.pdf").status_code == 302
    assert not MemberCertificate.objects.exists()


def test_the_verification_page_answers_genuine_and_says_when_a_membership_ended(db, client, monkeypatch):
    from datetime import timedelta

    org, rep = _signatory_with_rep(client)
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(days=10))  # issued ten days ago
    pdf = client.get("/portal/certificate.pdf").content
    monkeypatch.setattr(clock, "now", real_now)
    cert = MemberCertificate.objects.get()
    page = client.get(f"/verify/certificates/{cert.number}/")
    assert page.status_code == 200 and "真实" in page.content.decode() and "已于" not in page.content.decode()
    notice = services.withdrawal_file(for_org(org), org)
    services.withdrawal_acknowledge(act(None), notice, effective_date=clock.today())
    page = client.get(f"/verify/certificates/{cert.number}/").content.decode()
    assert f"已于 {clock.today():%Y-%m-%d} 结束" in page
    # By upload and by hash, through the page and the API.
    upload = client.post("/verify/check/", {"file": io.BytesIO(pdf)}, format="multipart")
    assert cert.number in upload.content.decode()
    api = APIClient().get(f"/api/v1/verify/?sha256={cert.pdf_sha256}").json()
    assert api["genuine"] and api["status_today"] == "withdrawn" and api["status_on_certificate_date"] == "signatory"
    assert api["membership_ended_on"] == clock.today().isoformat()
    forged = APIClient().post("/api/v1/verify/file/", {"file": io.BytesIO(pdf + b"%")}, format="multipart").json()
    assert forged == {"genuine": False, "kind": ""}
    assert client.get("/verify/certificates/CERT-1999-000001/").status_code == 404


def test_a_bulletin_file_hash_is_recognised(db, settings):
    from members.publications.models import PublicationFile
    from members.publications.services import publication_publish_sync

    settings.PUBLICATIONS_RENDER_JOBS = 1
    make_signatory(OrganisationFactory(), on=date(2025, 3, 5))
    pub = publication_publish_sync(act(), "2025-03")
    f = PublicationFile.objects.get(publication=pub, kind="csv")
    answer = certificates.verify_sha256(f.sha256)
    assert answer.genuine and answer.bulletin_number == pub.number and answer.bulletin_file == "csv"


def test_the_badge_shows_the_live_status(db, client):
    org = make_signatory(OrganisationFactory())
    svg = client.get(f"/verify/badge/{org.pk}.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and "现签署成员" in svg.content.decode()
    services.membership_revoke(act(None), org, reason="r", public_notice="通报")
    assert "已取消成员资格" in client.get(f"/verify/badge/{org.pk}.svg").content.decode()
    profile = client.get(f"/register/{org.pk}/").content.decode()
    assert f"/verify/badge/{org.pk}.svg" in profile and f"/api/v1/log/entries/?organisation={org.pk}" in profile
