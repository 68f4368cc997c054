"""Each public notice of revocation is the executive body's signed PDF, linked from its public pages:
its text is the log entry's, its signature validates, and it is the same bytes on every render."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from datetime import date

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.cache import cache
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from members.models import MembershipEvent
from members.transparency import notices, selectors, signing
from members.transparency import verify_register as standalone
from members.transparency.models import LogEntry
from tests.factories import OrganisationFactory, make_signatory, revoke, withdraw

GROUNDS = "经查证核实，该单位违反公约第十四条，向社会通报。"


def _revoked(name: str = "辛壬癸信息技术有限公司") -> MembershipEvent:
    org = make_signatory(OrganisationFactory(name=name), on=date(2025, 1, 5))
    revoke(org, date(2025, 1, 28), reason="内部理由：投诉人张三的材料", public_notice=GROUNDS)
    return MembershipEvent.objects.get(organisation=org, kind=MembershipEvent.Kind.REVOKED)


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_notices_page_links_a_signed_pdf_with_the_notice_s_text(db, client):
    event = _revoked()
    page = client.get("/complaints/notices/").content.decode()
    link = f"/complaints/notices/{event.pk}.pdf"
    assert link in page
    assert link in client.get(reverse("public:profile", args=[event.organisation_id])).content.decode()
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    entry = LogEntry.objects.get(source=f"membership_event:{event.pk}")
    for expected in ("取消成员资格公开通报", "PUBLIC NOTICE OF REVOCATION", "辛壬癸信息技术有限公司",
                     event.organisation.public_uscc, "2025-01-28", "第二十一条", f"TB-2025-{event.pk:06d}",
                     entry.leaf_hash[:32]):
        assert expected in text, expected
    assert "违反公约第十四条" in text
    # The internal reason never reaches the public document.
    assert "张三" not in text and "内部理由" not in text
    # Its printed leaf hash is the log's entry, provably under today's head.
    head = selectors.head()
    standalone.verify_inclusion(entry.index, head.size, standalone.leaf_hash(entry.body.encode()),
                                selectors.inclusion_proof(entry.index, head.size), head.root)


def test_the_notice_pdf_is_signed_like_the_bulletins_and_the_same_bytes_every_time(db):
    event = _revoked()
    notice = notices.public_notice(event.pk)
    assert notice is not None
    pdf = notices.render_notice_pdf(notice)
    reader = PdfFileReader(io.BytesIO(pdf))
    (sig,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(signing.identity().certificate.public_bytes(serialization.Encoding.DER))
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root], moment=notice.issued_at))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    # The standard-library verifier accepts it against the executive body's certificate.
    from members.transparency import verify_pdf

    cert_der = signing.identity().certificate.public_bytes(serialization.Encoding.DER)
    assert "signed with the trusted key" in verify_pdf.check_pdf(pdf, certificate_der=cert_der)[1]
    # Signed at the revocation's recorded time (Beijing), never the clock.
    recorded = event.recorded_at.replace(microsecond=0)
    assert sig.self_reported_timestamp == recorded
    assert sig.self_reported_timestamp.utcoffset() == dt.timedelta(hours=8)
    # Same content, same bytes: rendered again, and served from the cache or not.
    assert notices.render_notice_pdf(notice) == pdf
    cache.clear()
    assert notices.notice_pdf(notices.public_notice(event.pk)) == pdf
    assert notices.notice_pdf(notices.public_notice(event.pk)) == pdf
    assert hashlib.sha256(pdf).hexdigest() != hashlib.sha256(notices.render_notice_pdf(notices.public_notice(
        _revoked("子丑寅科技有限公司").pk))).hexdigest()


def test_the_notice_says_what_its_log_entry_says_even_after_a_rename(db, reviewer):
    from members.history import organisation_details_change
    from tests.helpers import act

    event = _revoked()
    before = notices.render_notice_pdf(notices.public_notice(event.pk))
    organisation_details_change(act(reviewer), event.organisation, data={"name": "辛壬癸（集团）有限公司"}, reason="更名")
    after = notices.render_notice_pdf(notices.public_notice(event.pk))
    assert after == before and "辛壬癸信息技术有限公司" in _text(after)
    body = json.loads(LogEntry.objects.get(source=f"membership_event:{event.pk}").body)
    assert body["public_notice"] == GROUNDS


def test_only_a_public_notice_has_a_pdf(db, client):
    org = make_signatory(OrganisationFactory(), on=date(2025, 1, 5))
    withdraw(org, date(2025, 1, 20))
    withdrawal = MembershipEvent.objects.get(organisation=org, kind=MembershipEvent.Kind.WITHDREW)
    joined = MembershipEvent.objects.get(organisation=org, kind=MembershipEvent.Kind.JOINED)
    for pk in (withdrawal.pk, joined.pk, 999999):
        assert client.get(f"/complaints/notices/{pk}.pdf").status_code == 404
    assert client.post(f"/complaints/notices/{_revoked().pk}.pdf").status_code == 405


def test_the_notices_api_names_each_notice_s_pdf(db, client):
    event = _revoked()
    rows = client.get("/api/v1/notices/").json()["results"]
    assert rows[0]["id"] == event.pk and rows[0]["pdf_url"].endswith(f"/complaints/notices/{event.pk}.pdf")
