"""Writes for bulletins: request one per period, render it once, publish it atomically.

Invariants: at most one bulletin per period (database constraint ``one_publication_per_period``);
a published bulletin and its files never change; a render that fails or dies leaves no published row
and no file under ``PUBLICATIONS_ROOT`` outside the staging folder, which the next attempt cleans.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from members.core import clock
from members.core.errors import Conflict, DomainError, TransitionNotAllowed
from members.core.policy import SYSTEM, Actor, authorize
from members.core.transitions import conditional_move, move
from members.transparency.bulletins import bulletin_transparency
from members.transparency.services import log_append

from . import rendering
from .models import PUBLICATION_MACHINE, Publication, PublicationFile, PublicationState
from .selectors import bulletin_content_for, parse_period

logger = logging.getLogger(__name__)

# Every path that renders stops at PUBLICATIONS_RENDER_TIMEOUT (rendering.Deadline); the task's Celery
# limits sit just above it, as a last resort.
RENDER_SOFT_TIME_LIMIT = int(settings.PUBLICATIONS_RENDER_TIMEOUT) + 30
RENDER_TIME_LIMIT = int(settings.PUBLICATIONS_RENDER_TIMEOUT) + 60
# A claim older than the hard time limit belongs to a worker that is gone (killed, lost): take it over.
STALE_CLAIM = timedelta(seconds=RENDER_TIME_LIMIT + 30)
# A queued bulletin no worker has claimed after this long: its message was lost; the sweep sends it again.
QUEUE_GRACE = timedelta(minutes=5)
# Failures worth another attempt (by the sweep, bounded by PUBLICATIONS_MAX_ATTEMPTS); others fail at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, OperationalError, rendering.RenderTimeout,
                                                     SoftTimeLimitExceeded)


def publications_root() -> Path:
    return Path(settings.PUBLICATIONS_ROOT)


def _queue_render(pub_id: int) -> None:
    from .tasks import publication_render_task

    transaction.on_commit(lambda: publication_render_task.delay(pub_id))


def _check_period(period_start: date, period_end: date) -> None:
    if period_end < period_start:
        raise DomainError(_("期间结束日期不能早于开始日期。"), code="invalid_period", field="period")
    if period_end >= clock.today():
        raise DomainError(_("只能公布已经结束的期间。"), code="period_not_over", field="period")


def _next_number() -> int:
    return (Publication.objects.aggregate(m=Max("number"))["m"] or 0) + 1


def publication_request(actor: Actor, *, period_start: date, period_end: date,
                        queue: bool = True) -> tuple[Publication, bool]:
    """The period's bulletin, created and queued if it does not exist yet; ``(bulletin, created)``.

    Safe under double triggers and concurrent workers: the unique constraints on the period and on the
    number decide, and the loser reads the winner's row.
    """
    authorize(actor, "publication.request")
    _check_period(period_start, period_end)
    for _attempt in range(5):
        existing = Publication.objects.filter(period_start=period_start, period_end=period_end,
                                              corrects__isnull=True).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                pub = Publication.objects.create(number=_next_number(), period_start=period_start,
                                                 period_end=period_end, queued_at=clock.now(),
                                                 created_by=actor.record_user)
                if queue:
                    _queue_render(pub.pk)
                return pub, True
        except IntegrityError:
            continue  # someone else created this period's bulletin or took the number: read again
    raise Conflict(_("名单公告正在由其他操作创建，请稍后再试。"), code="publication_busy")


@transaction.atomic
def publication_correct(actor: Actor, original: Publication) -> Publication:
    """A correction: a new bulletin for the same period that names the published one it corrects."""
    authorize(actor, "publication.correct", original)
    original = Publication.objects.select_for_update(no_key=True).get(pk=original.pk)
    if not original.is_published:
        raise TransitionNotAllowed(_("只能更正已发布的名单公告。"), code="not_published")
    if Publication.objects.filter(corrects=original).exists():
        raise Conflict(_("该期名单公告已有更正公告。"), code="already_corrected")
    try:
        with transaction.atomic():
            pub = Publication.objects.create(number=_next_number(), period_start=original.period_start,
                                             period_end=original.period_end, corrects=original,
                                             queued_at=clock.now(), created_by=actor.record_user)
    except IntegrityError as exc:
        raise Conflict(_("该期名单公告已有更正公告。"), code="already_corrected") from exc
    _queue_render(pub.pk)
    return pub


@transaction.atomic
def publication_requeue(actor: Actor, pub: Publication) -> Publication:
    """Staff send a stuck bulletin to be rendered again: failed, queued (its message lost), or
    rendering with a claim older than ``STALE_CLAIM`` (its worker gone). A live claim is refused.
    The attempt count starts again, so the sweep's bound applies afresh."""
    pub = Publication.objects.select_for_update(no_key=True).get(pk=pub.pk)
    authorize(actor, "publication.requeue", pub)
    if pub.state == PublicationState.RENDERING and pub.claimed_at and pub.claimed_at >= clock.now() - STALE_CLAIM:
        raise TransitionNotAllowed(_("该期名单公告正在生成中，请在生成超时后再重新排队。"), code="render_in_progress")
    move(actor, PUBLICATION_MACHINE, pub, "requeue",
         fields={"claim_token": "", "attempts": 0, "queued_at": clock.now()})
    _queue_render(pub.pk)
    return pub


def publication_sweep_stuck(actor: Actor) -> dict[str, int]:
    """Beat: find from the database what a lost message, worker or broker left behind, and act once.

    1. Rendering with a stale claim, or queued and unclaimed past ``QUEUE_GRACE``: send it again,
       unless it has had ``PUBLICATIONS_MAX_ATTEMPTS`` attempts; then mark it failed with the reason.
    Safe to run twice and after any downtime: sending again is harmless (the claim decides).
    """
    authorize(actor, "publication.sweep")
    now = clock.now()
    limit = int(settings.PUBLICATIONS_MAX_ATTEMPTS)
    stuck = Publication.objects.annotate(since=Coalesce("queued_at", "created_at")).filter(
        Q(state=PublicationState.RENDERING, claimed_at__lt=now - STALE_CLAIM)
        | Q(state=PublicationState.QUEUED, since__lt=now - QUEUE_GRACE))
    done = {"requeued": 0, "failed": 0}
    for pub in stuck.order_by("number"):
        if pub.attempts >= limit:
            reason = str(_("生成 %(n)s 次均未完成（生成进程或消息队列失联），已停止自动重试；请工作人员检查后重新排队。")
                         % {"n": pub.attempts})
            if pub.error:
                reason += f"\n{pub.error}"
            done["failed"] += Publication.objects.filter(pk=pub.pk, state=pub.state, claim_token=pub.claim_token,
                                                         ).update(state=PublicationState.FAILED, error=reason[:4000])
            continue
        Publication.objects.filter(pk=pub.pk, state=pub.state).update(queued_at=now)
        _queue_render(pub.pk)
        done["requeued"] += 1
    return done


def _claim(actor: Actor, pub_id: int) -> str | None:
    """Take the render of a bulletin with one conditional UPDATE; the claim token, or None if busy/done.

    A queued or failed bulletin is claimed; a rendering one only once its claim is stale (reclaim).
    """
    token = secrets.token_hex(8)
    now = clock.now()
    claim = {"claim_token": token, "claimed_at": now, "attempts": F("attempts") + 1, "error": ""}
    rows = Publication.objects.filter(pk=pub_id)
    claimed = (conditional_move(actor, PUBLICATION_MACHINE, "claim", rows, **claim)
               or conditional_move(actor, PUBLICATION_MACHINE, "reclaim", rows.filter(claimed_at__lt=now - STALE_CLAIM),
                                   **claim))
    return token if claimed else None


@dataclass(frozen=True)
class RenderedFile:
    kind: str
    name: str
    sha256: str
    size: int


def _write(path: Path, data: bytes) -> RenderedFile:
    path.write_bytes(data)
    return RenderedFile(path.suffix.lstrip("."), path.name, hashlib.sha256(data).hexdigest(), len(data))


def render_files(pub: Publication, folder: Path,
                 deadline: rendering.Deadline | None = None) -> tuple[list[RenderedFile], int]:
    """Write the bulletin's PDF, CSV and JSON into ``folder``; the files and the PDF's page count.

    The date of issue is the day the bulletin was created (Beijing time), so a re-render of the same
    bulletin prints the same date and gives the same bytes.
    """
    content = bulletin_content_for(pub)
    issued = timezone.localdate(pub.created_at) if pub.created_at else None
    meta = rendering.BulletinMeta(pub.number, pub.period_start, pub.period_end,
                                  pub.corrects.number if pub.corrects_id and pub.corrects else None,
                                  issued_on=issued, transparency=bulletin_transparency(pub))
    stem = pub.file_stem
    with translation.override("zh-hans"):
        pdf_path = folder / f"{stem}.pdf"
        pages = rendering.render_pdf(meta, content, pdf_path, deadline)
        rendering.finalise_pdf(meta, pdf_path)
        data = pdf_path.read_bytes()
        files = [RenderedFile("pdf", pdf_path.name, hashlib.sha256(data).hexdigest(), len(data))]
        del data
        files.append(_write(folder / f"{stem}.csv", rendering.render_csv(meta, content)))
        # The JSON names the PDF's and CSV's hashes, so one signed JSON vouches for all three.
        assert meta.transparency is not None
        meta = replace(meta, transparency={**meta.transparency, "files": {f.kind: f.sha256 for f in files}})
        files.append(_write(folder / f"{stem}.json", rendering.render_json(meta, content)))
    return files, pages


def _fail(actor: Actor, pub_id: int, token: str, exc: BaseException) -> None:
    """Record a failed attempt: a transient one goes back to the queue for the sweep (while attempts
    remain), any other fails with its reason."""
    error = f"{type(exc).__name__}: {exc}"[:4000]
    ours = Publication.objects.filter(pk=pub_id, claim_token=token)
    if isinstance(exc, TRANSIENT_ERRORS):
        conditional_move(actor, PUBLICATION_MACHINE, "retry",
                         ours.filter(attempts__lt=int(settings.PUBLICATIONS_MAX_ATTEMPTS)),
                         claim_token="", queued_at=clock.now(), error=error)
    # Matches only if the row did not just go back to the queue (its token was cleared).
    conditional_move(actor, PUBLICATION_MACHINE, "fail", ours, error=error)


def publication_render(actor: Actor, pub_id: int) -> Publication:
    """Render and publish a bulletin, once.

    1. Claim it (queued/failed, or a stale rendering claim) with a conditional UPDATE; else return as is.
    2. Render the three files into a private staging folder.
    3. Move them into the bulletin's folder and, in one transaction, record their hashes and mark the
       bulletin published, provided the claim is still ours.
    On any error: remove the staging folder and any moved file, record the failed attempt (``_fail``:
    transient ones go back to the queue for the sweep), re-raise. The whole render stops at
    ``PUBLICATIONS_RENDER_TIMEOUT`` (``RenderTimeout``).
    """
    deadline = rendering.default_deadline()
    token = _claim(actor, pub_id)
    pub = Publication.objects.select_related("corrects").get(pk=pub_id)
    if token is None:
        return pub
    root = publications_root()
    staging = root / ".staging" / f"{pub.file_stem}-{token}"
    final = root / pub.file_stem
    moved: list[Path] = []
    try:
        _clean_stale_staging(root / ".staging", pub.file_stem)
        staging.mkdir(parents=True)
        files, pages = render_files(pub, staging, deadline)
        final.mkdir(parents=True, exist_ok=True)
        for f in files:
            os.replace(staging / f.name, final / f.name)
            moved.append(final / f.name)
        with transaction.atomic():
            locked = Publication.objects.select_for_update(no_key=True).get(pk=pub_id)
            if locked.state != PublicationState.RENDERING or locked.claim_token != token:
                moved.clear()  # another worker took over and owns these (identical) files now
                return locked
            for f in files:
                PublicationFile.objects.create(publication=locked, kind=f.kind, path=f"{pub.file_stem}/{f.name}",
                                               sha256=f.sha256, size=f.size)
            conditional_move(actor, PUBLICATION_MACHINE, "publish",
                             Publication.objects.filter(pk=pub_id, claim_token=token),
                             published_at=clock.now(), page_count=pages)
            log_append("bulletin", Publication.objects.prefetch_related("files").get(pk=pub_id))
        moved.clear()
    except BaseException as exc:
        still_ours = Publication.objects.filter(pk=pub_id, claim_token=token).exclude(
            state=PublicationState.PUBLISHED).exists()
        if still_ours:
            for path in moved:
                path.unlink(missing_ok=True)
            if final.exists() and not any(final.iterdir()):
                final.rmdir()
            _fail(actor, pub_id, token, exc)
        logger.exception("publication %s render failed", pub_id)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pub.refresh_from_db()
    return pub


def _clean_stale_staging(folder: Path, stem: str) -> None:
    """Remove what an earlier, killed attempt of this bulletin left in staging."""
    if folder.is_dir():
        for leftover in folder.glob(f"{stem}-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def publication_publish_sync(actor: Actor, period: str | tuple[date, date]) -> Publication:
    """Create (if needed) and render the bulletin of ``period`` ("YYYY-MM" or (start, end)) now.

    The demo seed and ``manage.py publish_list`` call this. Returns the bulletin in its resulting state.
    The render itself is the system's work, as in the worker, once ``actor`` may request the bulletin.
    """
    start, end = parse_period(period) if isinstance(period, str) else period
    _check_period(start, end)
    rendering.check_fonts()  # a missing font refuses before anything is created
    pub, _created = publication_request(actor, period_start=start, period_end=end, queue=False)
    if pub.is_published:
        return pub
    return publication_render(SYSTEM, pub.pk)


def publication_publish_latest(actor: Actor, *, months: int = 1) -> Publication:
    """Publish the last completed period now (the demo seed calls this so the archive is not empty)."""
    from .selectors import last_completed_period

    return publication_publish_sync(actor, last_completed_period(clock.today(), months))


def file_path(f: PublicationFile) -> Path:
    return publications_root() / f.path
