"""Public notices of revocation (取消成员资格并向社会通报, Art 21) as signed PDFs.

A notice's PDF is rendered from its public log entry, not from the database rows: the entry is
append-only, so the notice says exactly what the log says, prints the entry's index and leaf hash (a
reader proves it is in the log with an inclusion proof) and never changes. It is signed like the
bulletins (``signing.sign_pdf``, PAdES, deterministic) with the revocation's recorded time as its
signing time: the same notice gives the same bytes on every render, so it is cached by its leaf hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from members.core.labels import legal_basis_display
from members.models import MembershipEvent

from . import signing
from .models import LogEntry

BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Notice:
    event_id: int
    number: str
    entry: LogEntry
    body: dict[str, Any]

    @property
    def issued_at(self) -> datetime:
        """The revocation's recorded time (whole seconds, Beijing time): the notice's signing time."""
        return datetime.strptime(self.body["recorded_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC).astimezone(BEIJING)


def notice_number(event_id: int, effective_date: str) -> str:
    return f"TB-{effective_date[:4]}-{event_id:06d}"


def public_notice(event_id: int) -> Notice | None:
    """The public notice of revocation event ``event_id`` as its log entry records it; None if there is none."""
    if not MembershipEvent.objects.filter(pk=event_id, kind=MembershipEvent.Kind.REVOKED).exclude(
            public_notice="").exists():
        return None
    entry = LogEntry.objects.filter(source=f"membership_event:{event_id}").first()
    if entry is None:
        return None
    body = json.loads(entry.body)
    if not body.get("public_notice"):
        return None
    return Notice(event_id, notice_number(event_id, body["effective_date"]), entry, body)


def notice_url(event_id: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('complaints:notice_pdf', args=[event_id])}"


def render_notice_pdf(notice: Notice) -> bytes:
    """The notice's signed PDF: the same bytes on every call."""
    from weasyprint import HTML

    org = notice.body["organisation"]
    with translation.override("zh-hans"):
        html = render_to_string("pdf/notice.html", {
            "n": notice, "b": notice.body, "org": org, "legal_basis": legal_basis_display(notice.body["legal_basis"]),
            "issuer": settings.PUBLICATIONS_ISSUER, "created": notice.issued_at.isoformat(),
            "url": notice_url(notice.event_id),
            "verify_url": f"{settings.SITE_URL.rstrip('/')}{reverse('transparency:how')}",
        })
    pdf = HTML(string=html).write_pdf(pdf_identifier=notice.number.encode())
    return signing.sign_pdf(pdf, when=notice.issued_at, reason=f"公开通报 {notice.number}")


def notice_pdf(notice: Notice) -> bytes:
    """The signed PDF, rendered once per log entry and then served from the cache."""
    key = f"notice-pdf:{notice.entry.index}:{notice.entry.leaf_hash}:{signing.identity().key_sha256[:16]}"
    data = cache.get(key)
    if data is None:
        data = render_notice_pdf(notice)
        cache.set(key, data, timeout=None)
    return bytes(data)
