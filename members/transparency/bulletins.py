"""What a bulletin prints about the public log: its own head and the previous bulletin's, with the
consistency proof between them, so a reader holding the bulletin can check it offline.

``bulletin_transparency`` is the one function the bulletin renderer calls (cover context and JSON).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from members.publications.models import Publication

from . import selectors
from .models import BulletinHead


def _pin(pub: Publication) -> BulletinHead:
    """The bulletin's head, taken at its first render and kept for every later one."""
    existing = BulletinHead.objects.filter(publication=pub).first()
    if existing is not None:
        return existing
    head = selectors.head()
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
    previous = (BulletinHead.objects.filter(publication__number__lt=pub.number).select_related("publication")
                .order_by("-publication__number").first())
    block: dict[str, Any] = {"log_head": _head_dict(pin), "previous": None, "consistency_from_previous": [],
                             "verify_url": f"{settings.SITE_URL.rstrip('/')}/verify/"}
    if previous is not None:
        block["previous"] = {"bulletin_number": previous.publication.number, **_head_dict(previous)}
        if 0 < previous.size <= pin.size:
            block["consistency_from_previous"] = selectors.b64(selectors.consistency_proof(previous.size, pin.size))
    return block
