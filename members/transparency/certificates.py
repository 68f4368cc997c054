"""Member certificates (入约证书): issue, render (signed A4 PDF, Chinese and English, QR code) and verify.

A certificate is issued once per membership period with the public details of its issue day and
rendered from that snapshot, so every download is the same signed file and its SHA-256 (stored)
recognises it. The verification answer always adds the organisation's status today: a certificate
of a membership that has ended says so at once.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, PermissionDenied
from members.models import MembershipStatus, Organisation, Role
from members.publications.models import PublicationFile, PublicationState
from members.regions import REGIONS
from members.selectors import representative_of, status_on

from . import signing
from .entries import details_on
from .models import MemberCertificate

_REGIONS = dict(REGIONS)


def verification_url(number: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('transparency:certificate', args=[number])}"


def _qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _role_labels(codes: list[str], language: str) -> str:
    labels = dict(Role.choices)
    with translation.override(language):
        sep = "、" if language.startswith("zh") else ", "
        return sep.join(str(labels[c]) for c in codes if c in labels)


def _issue_time(issued_on: date) -> datetime:
    return datetime.combine(issued_on, time(9, 0), tzinfo=timezone(timedelta(hours=8)))


def certificate_pdf(cert: MemberCertificate) -> bytes:
    """The certificate's signed PDF, rendered from its snapshot: the same bytes on every call."""
    from weasyprint import HTML

    d = cert.details
    url = verification_url(cert.number)
    with translation.override("zh-hans"):
        html = render_to_string("pdf/certificate.html", {
            "cert": cert, "d": d, "url": url, "qr": _qr_data_uri(url),
            "roles_zh": _role_labels(d["roles"], "zh-hans"), "roles_en": _role_labels(d["roles"], "en"),
            "region_zh": _REGIONS.get(d["region"], d["region"]), "created": _issue_time(cert.issued_on).isoformat(),
        })
    pdf = HTML(string=html).write_pdf(pdf_identifier=cert.number.encode())
    return signing.sign_pdf(pdf, when=_issue_time(cert.issued_on), reason=f"入约证书 {cert.number}")


@transaction.atomic
def certificate_issue(org: Organisation, *, user: Any) -> MemberCertificate:
    """The certificate of ``org``'s current membership, issued on first request.

    1. Only a representative of the organisation may ask, and only while it is a signatory.
    2. The first request freezes the public details of the day and the PDF's SHA-256.
    """
    if user is None or representative_of(user) != org:
        raise PermissionDenied(_("只有本单位的代表可以下载入约证书。"), code="not_representative")
    org = Organisation.objects.select_for_update(no_key=True).get(pk=org.pk)
    membership = org.memberships.filter(ended_on__isnull=True).first()
    if org.status != MembershipStatus.SIGNATORY or membership is None:
        raise Conflict(_("贵单位当前不是签署成员，不能下载入约证书。"), code="not_signatory")
    existing = MemberCertificate.objects.filter(membership=membership).first()
    if existing is not None:
        return existing
    today = clock.today()
    details = {**details_on(org, today), "started_on": membership.started_on.isoformat()}
    cert = MemberCertificate(number=f"CERT-{today:%Y}-{membership.pk:06d}", organisation=org, membership=membership,
                             issued_on=today, details=details)
    cert.pdf_sha256 = hashlib.sha256(certificate_pdf(cert)).hexdigest()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError as exc:
        raise Conflict(_("入约证书正在生成，请稍后再试。"), code="certificate_busy") from exc
    return cert


# --- Verification ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """What the verification page and API say about a certificate number, a hash or a file."""

    genuine: bool
    what: str  # "certificate" | "bulletin" | ""
    certificate: MemberCertificate | None = None
    bulletin_number: int | None = None
    bulletin_file: str = ""
    status_today: str = ""
    status_on_certificate_date: str = ""
    ended_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"genuine": self.genuine, "kind": self.what}
        if self.certificate is not None:
            c = self.certificate
            out["certificate"] = {"number": c.number, "issued_on": c.issued_on.isoformat(), "pdf_sha256": c.pdf_sha256,
                                  **c.details}
            out["status_today"] = self.status_today
            out["status_on_certificate_date"] = self.status_on_certificate_date
            out["membership_ended_on"] = self.ended_on.isoformat() if self.ended_on else None
        if self.bulletin_number is not None:
            out["bulletin"] = {"number": self.bulletin_number, "file": self.bulletin_file}
        return out


def _certificate_answer(cert: MemberCertificate) -> Answer:
    org = cert.organisation
    return Answer(True, "certificate", certificate=cert, status_today=status_on(org, clock.today()),
                  status_on_certificate_date=status_on(org, cert.issued_on), ended_on=cert.membership.ended_on)


def verify_certificate_number(number: str) -> Answer:
    cert = (MemberCertificate.objects.select_related("organisation", "membership")
            .filter(number=number.strip().upper()).first())
    return _certificate_answer(cert) if cert else Answer(False, "")


def verify_sha256(digest: str) -> Answer:
    digest = digest.strip().lower()
    cert = MemberCertificate.objects.select_related("organisation", "membership").filter(pdf_sha256=digest).first()
    if cert is not None:
        return _certificate_answer(cert)
    f = (PublicationFile.objects.select_related("publication")
         .filter(sha256=digest, publication__state=PublicationState.PUBLISHED).first())
    if f is not None:
        return Answer(True, "bulletin", bulletin_number=f.publication.number, bulletin_file=f.kind)
    return Answer(False, "")


def verify_file(data: bytes) -> Answer:
    return verify_sha256(hashlib.sha256(data).hexdigest())
