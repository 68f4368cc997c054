"""What a bulletin prints about the public log: its own head and the previous bulletin's, with the
consistency proof between them, so a reader holding the bulletin can check it offline.

A bulletin's head is the log as of its period's end: the tree size of the last entry logged before
00:00 (register time zone) of the day after ``period_end``, and that tree's root. Every fact the
bulletin lists took effect in the period and was recorded on or before its effective date, so its
entry is under that head (a reader checks it with an inclusion proof at that size); the head never
depends on when the bulletin was rendered, and the API proves it consistent with any later head.
The head is also recorded (``BulletinHead``) at the first render: bulletins rendered before this rule
keep the head they printed, and a late backfill of old facts cannot change a published bulletin.
The previous bulletin is the one with the latest period before this one's (for a correction: the
bulletin it corrects or an earlier one of the same period).

``bulletin_transparency`` is the one function the bulletin renderer calls (cover context and JSON).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from members.publications.models import Publication

from . import selectors
from .models import BulletinHead


def _pin(pub: Publication) -> BulletinHead:
    """The bulletin's head as of its period's end, recorded at its first render and kept for every later one."""
    existing = BulletinHead.objects.filter(publication=pub).first()
    if existing is not None:
        return existing
    head = selectors.head_at_period_end(pub.period_end)
    try:
        with transaction.atomic():
            return BulletinHead.objects.create(publication=pub, size=head.size, root=head.root.hex())
    except IntegrityError:
        return BulletinHead.objects.get(publication=pub)  # a concurrent render pinned it first


def _head_dict(pin: BulletinHead) -> dict[str, Any]:
    return selectors.Head(pin.size, bytes.fromhex(pin.root)).as_dict()


def bulletin_transparency(pub: Publication) -> dict[str, Any]:
    """The ``transparency`` block of a bulletin (its cover and its JSON)."""
    pin = _pin(pub)
    earlier = Q(publication__period_end__lt=pub.period_end) | Q(publication__period_end=pub.period_end,
                                                                 publication__number__lt=pub.number)
    previous = (BulletinHead.objects.filter(earlier).select_related("publication")
                .order_by("-publication__period_end", "-publication__number").first())
    block: dict[str, Any] = {"log_head": _head_dict(pin), "previous": None, "consistency_from_previous": [],
                             "log_head_as_of": selectors.period_cutoff(pub.period_end).isoformat(),
                             "verify_url": f"{settings.SITE_URL.rstrip('/')}/verify/"}
    if previous is not None:
        block["previous"] = {"bulletin_number": previous.publication.number, **_head_dict(previous)}
        if 0 < previous.size <= pin.size:
            block["consistency_from_previous"] = selectors.b64(selectors.consistency_proof(previous.size, pin.size))
    return block
