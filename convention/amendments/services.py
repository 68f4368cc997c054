"""Every state change of the amendment process (Art 24): proposals, sponsors, ballots, adoption.

Each public function takes the actor first, runs in one transaction, locks the row it changes and moves
it through ``members.core.transitions`` (table, policy, write, event row); notifications are queued with
``on_commit`` (through ``members.services.notify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convention.amendments import tally
from convention.amendments.models import (
    BALLOT_MACHINE,
    PROPOSAL_MACHINE,
    Ballot,
    BallotOutcome,
    BallotState,
    CloseReason,
    ElectorateMember,
    Proposal,
    ProposalChange,
    ProposalSource,
    ProposalState,
    Sponsorship,
    Vote,
    VoteChoice,
)
from convention.amendments.selectors import ballot_tally, counting_sponsors, lost_voter_ids
from convention.models import Article, ConventionVersion
from members.core import clock
from members.core.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from members.core.localtime import local_time_text
from members.core.policy import SYSTEM, Actor, authorize
from members.core.texts import text
from members.core.transitions import move, record, record_creation
from members.models import MembershipStatus, Organisation
from members.selectors import current_signatories
from members.services import notify
from members.transparency.services import log_append

ART_AMEND = "第二十四条"


def _lock_proposal(proposal: Proposal | int) -> Proposal:
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return Proposal.objects.select_for_update(no_key=True).get(pk=pk)


def _latest_version() -> ConventionVersion:
    version = ConventionVersion.objects.order_by("-number").first()
    if version is None:
        raise DomainError(_("尚无公约文本，无法提出修订。"), code="no_version")
    return version


def _signatory_org(actor: Actor) -> Organisation:
    org = actor.organisation
    if org is None:
        raise PermissionDenied(_("您的账户尚未关联单位。"), code="no_organisation")
    org.refresh_from_db(fields=["status"])
    if org.status != MembershipStatus.SIGNATORY:
        raise PermissionDenied(_("只有现签署成员才能提出或联署修订提议。"), code="not_signatory")
    return org


def _portal_link(proposal: Proposal) -> str:
    return reverse("amendments:proposal", args=[proposal.pk])


# --- Proposals --------------------------------------------------------------------------------------

def validate_changes(changes: Iterable[dict[str, Any]], version: ConventionVersion) -> list[dict[str, Any]]:
    """Check article numbers against ``version``: amend/remove an existing article, add a new number."""
    existing = set(version.articles.values_list("number", flat=True))
    seen: set[int] = set()
    cleaned = []
    for change in changes:
        kind, number = change["kind"], int(change["article_number"])
        text = (change.get("new_text") or "").strip()
        if number in seen:
            raise DomainError(_("同一条款只能修改一次：%(n)s。") % {"n": number}, code="duplicate_article",
                              field="changes")
        seen.add(number)
        if kind in (ProposalChange.Kind.AMEND, ProposalChange.Kind.REMOVE) and number not in existing:
            raise DomainError(_("现行文本没有第 %(n)s 条。") % {"n": number}, code="no_such_article",
                              field="changes")
        if kind == ProposalChange.Kind.ADD and number in existing:
            raise DomainError(_("第 %(n)s 条已存在，请选择“修改条文”。") % {"n": number}, code="article_exists",
                              field="changes")
        if kind != ProposalChange.Kind.REMOVE and not text:
            raise DomainError(_("请填写第 %(n)s 条的新条文。") % {"n": number}, code="text_required",
                              field="changes")
        cleaned.append({**change, "article_number": number, "new_text": text if kind != "remove" else ""})
    if not cleaned:
        raise DomainError(_("修订提议至少要修改一条。"), code="no_changes", field="changes")
    return cleaned


@transaction.atomic
def proposal_create(actor: Actor, *, title: str, rationale: str, changes: Iterable[dict[str, Any]],
                    executive: bool = False) -> Proposal:
    """A draft proposal: staff draft one for the executive body, a representative for their organisation."""
    authorize(actor, "proposal.create_executive" if executive else "proposal.create")
    if not title.strip() or not rationale.strip():
        raise DomainError(_("请填写标题和修订理由。"), code="required", field="title")
    org = None if executive else _signatory_org(actor)
    version = _latest_version()
    cleaned = validate_changes(changes, version)
    proposal = Proposal.objects.create(
        title=title.strip(), rationale=rationale.strip(), organisation=org, base_version=version,
        source=ProposalSource.EXECUTIVE if executive else ProposalSource.MEMBERS,
        created_by=actor.record_user, created_at=clock.now(),
    )
    for change in cleaned:
        ProposalChange.objects.create(
            proposal=proposal, kind=change["kind"], article_number=change["article_number"],
            chapter_number=change.get("chapter_number"), chapter_title=change.get("chapter_title") or "",
            new_text=change["new_text"],
        )
    record_creation(actor, PROPOSAL_MACHINE, proposal, "create")
    return proposal


@transaction.atomic
def proposal_submit(actor: Actor, proposal: Proposal) -> Proposal:
    """1. Lock. 2. Executive body: qualified at once. 3. Member: the proposer sponsors it, then check s."""
    proposal = _lock_proposal(proposal)
    if proposal.source == ProposalSource.EXECUTIVE:
        authorize(actor, "proposal.qualify", proposal)
    else:
        actor = authorize(actor, "proposal.submit", proposal)
    validate_changes([dict(c) for c in proposal.changes.values("kind", "article_number", "new_text")],
                     _latest_version())
    if proposal.source == ProposalSource.EXECUTIVE:
        now = clock.now()
        move(actor, PROPOSAL_MACHINE, proposal, "qualify", fields={"submitted_at": now, "qualified_at": now})
        return proposal
    org = _signatory_org(actor)
    move(actor, PROPOSAL_MACHINE, proposal, "submit", fields={"submitted_at": clock.now()})
    Sponsorship.objects.create(proposal=proposal, organisation=org, sponsored_by=actor.record_user,
                               sponsored_at=clock.now())
    if not _qualify_if_enough(actor, proposal):
        for other in current_signatories().exclude(pk=org.pk):
            notify(other, "amendment_sponsoring", text("amendment_sponsoring.subject"),
                   text("amendment_sponsoring.body", title=proposal.title), _portal_link(proposal))
    return proposal


def _qualify_if_enough(actor: Actor, proposal: Proposal) -> bool:
    """Qualify when 10·s ≥ N now, storing s and N. Call while holding the proposal's row lock.

    Precondition: ``actor`` holds the grant of ``proposal.qualify`` from the act that called this.
    """
    if proposal.state != ProposalState.SPONSORING:
        return proposal.state == ProposalState.QUALIFIED
    s, n = counting_sponsors(proposal), current_signatories().count()
    if not tally.qualifies(s, n):
        return False
    move(actor, PROPOSAL_MACHINE, proposal, "qualify", comment=f"s={s}, N={n}, 10·s ≥ N",
         fields={"qualified_at": clock.now(), "qualified_sponsors": s, "qualified_signatories": n})
    if proposal.organisation is not None:
        notify(proposal.organisation, "amendment_qualified", text("amendment_qualified.subject"),
               text("amendment_qualified.body", title=proposal.title, s=s, n=n), _portal_link(proposal))
    return True


@transaction.atomic
def proposal_check_qualification(actor: Actor, proposal: Proposal | int) -> bool:
    """Re-check 10·s ≥ N (N may have fallen since the last sponsor). True if the proposal is qualified."""
    proposal = _lock_proposal(proposal)
    return _qualify_if_enough(authorize(actor, "proposal.check_qualification", proposal), proposal)


@transaction.atomic
def proposal_sponsor(actor: Actor, proposal: Proposal) -> Sponsorship:
    proposal = _lock_proposal(proposal)
    actor = authorize(actor, "proposal.sponsor", proposal)
    org = _signatory_org(actor)
    if proposal.state != ProposalState.SPONSORING:
        raise TransitionNotAllowed(_("该修订提议不在征集联署阶段。"), code="not_sponsoring")
    if proposal.sponsorships.filter(organisation=org, withdrawn_at__isnull=True).exists():
        raise Conflict(_("贵单位已联署该修订提议。"), code="already_sponsored")
    try:
        with transaction.atomic():
            sponsorship = Sponsorship.objects.create(proposal=proposal, organisation=org,
                                                     sponsored_by=actor.record_user, sponsored_at=clock.now())
    except IntegrityError as exc:
        raise Conflict(_("贵单位已联署该修订提议。"), code="already_sponsored") from exc
    record(actor, PROPOSAL_MACHINE, proposal, "sponsor", comment=org.uscc)
    _qualify_if_enough(actor, proposal)
    return sponsorship


@transaction.atomic
def sponsorship_withdraw(actor: Actor, proposal: Proposal) -> Sponsorship:
    """A sponsor may withdraw while the proposal is still gathering sponsors (never after qualification)."""
    proposal = _lock_proposal(proposal)
    authorize(actor, "proposal.withdraw_sponsorship", proposal)
    org = _signatory_org(actor)
    if proposal.state != ProposalState.SPONSORING:
        raise TransitionNotAllowed(_("修订提议已符合条件或已结束，不能再撤回联署。"), code="not_sponsoring")
    if org.pk == proposal.organisation_id:
        raise DomainError(_("提议单位不能撤回联署；如需放弃，请撤回修订提议。"), code="proposer_cannot_withdraw")
    sponsorship = proposal.sponsorships.select_for_update(no_key=True).filter(organisation=org,
                                                                   withdrawn_at__isnull=True).first()
    if sponsorship is None:
        raise Conflict(_("贵单位未联署该修订提议。"), code="not_sponsored")
    sponsorship.withdrawn_at = clock.now()
    sponsorship.withdrawn_by = actor.record_user
    sponsorship.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(actor, PROPOSAL_MACHINE, proposal, "withdraw_sponsorship", comment=org.uscc)
    return sponsorship


@transaction.atomic
def proposal_withdraw(actor: Actor, proposal: Proposal, *, comment: str = "") -> Proposal:
    """The proposing organisation, or staff who may change proposals (second factor), withdraws it."""
    proposal = _lock_proposal(proposal)
    move(actor, PROPOSAL_MACHINE, proposal, "withdraw", comment=comment)
    return proposal


# --- Ballots ----------------------------------------------------------------------------------------

@transaction.atomic
def ballot_open(actor: Actor, proposal: Proposal, *, deadline: datetime,
                effective_date: date | None = None) -> Ballot:
    """1. Lock the proposal and check it may go to a vote. 2. Freeze E = the signatories now, N = |E| and
    the SHA-256 of E's canonical list. 3. Create the ballot and tell every member of E."""
    authorize(actor, "proposal.open_ballot")
    proposal = _lock_proposal(proposal)
    now = clock.now()
    if deadline <= now:
        raise DomainError(_("截止时间必须晚于现在。"), code="deadline_past", field="deadline")
    if effective_date is not None and effective_date < timezone.localtime(deadline).date():
        # An amendment decided only at the deadline must not take effect retroactively.
        raise DomainError(_("生效日期不能早于表决截止日期。"), code="effective_before_deadline",
                          field="effective_date")
    move(actor, PROPOSAL_MACHINE, proposal, "open_ballot")
    electorate = list(current_signatories().order_by("uscc").select_for_update(no_key=True))
    if not electorate:
        raise DomainError(_("当前没有签署成员，无法发起表决。"), code="empty_electorate")
    codes = [org.public_uscc for org in electorate]
    n = len(electorate)
    ballot = Ballot.objects.create(
        proposal=proposal, opened_at=now, opened_by=actor.record_user, deadline=deadline, effective_date=effective_date,
        electorate_size=n, electorate_sha256=tally.electorate_sha256(codes), yes_needed=tally.yes_needed(n),
    )
    log_append("ballot_opened", ballot)
    ElectorateMember.objects.bulk_create(
        ElectorateMember(ballot=ballot, organisation=org, public_uscc=org.public_uscc, name=org.name)
        for org in electorate
    )
    link = reverse("amendments:ballot", args=[ballot.pk])
    for org in electorate:
        notify(org, "ballot_opened", text("ballot_opened.subject"),
               text("ballot_opened.body", deadline=local_time_text(deadline), title=proposal.title), link)
    return ballot


@transaction.atomic
def ballot_cast(actor: Actor, ballot: Ballot | int, *, choice: str) -> Vote:
    """1. Lock the ballot row: every cast on one ballot is serialised, so none is lost and the
    early-decision check sees every earlier ballot. 2. Refuse at or after the deadline, outside E,
    after the membership ended, or a second ballot. 3. Write the vote; decide if now certain."""
    authorize(actor, "ballot.cast")
    org = actor.organisation
    assert org is not None  # the policy admits representatives only
    if choice not in VoteChoice.values:
        raise DomainError(_("请选择同意、反对或弃权。"), code="invalid_choice", field="choice")
    pk = ballot if isinstance(ballot, int) else ballot.pk
    ballot = Ballot.objects.select_for_update(no_key=True).get(pk=pk)
    now = clock.now()
    if not ballot.is_open or now >= ballot.deadline:
        raise Conflict(_("表决已于 %(deadline)s 截止，不再接受投票。")
                       % {"deadline": ballot.deadline.strftime("%Y-%m-%d %H:%M")}, code="ballot_closed")
    if Vote.objects.filter(ballot=ballot, organisation=org).exists():
        raise Conflict(_("贵单位已投票，选票一经投出不可更改。"), code="already_voted")
    if not ElectorateMember.objects.filter(ballot=ballot, organisation=org).exists():
        raise PermissionDenied(_("贵单位不在本次表决的表决成员名单中（名单在表决开始时确定）。"),
                               code="not_in_electorate")
    if org.pk in lost_voter_ids(ballot):
        raise PermissionDenied(_("贵单位的成员资格已在表决期间结束，不能再投票。"), code="membership_ended")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(ballot=ballot, organisation=org, choice=choice, cast_by=actor.record_user,
                                       cast_at=now)
    except IntegrityError as exc:
        raise Conflict(_("贵单位已投票，选票一经投出不可更改。"), code="already_voted") from exc
    _settle(ballot, now)
    return vote


def _settle(ballot: Ballot, now: datetime) -> bool:
    """Close the ballot if its outcome is certain or its deadline has passed. Hold the ballot's lock."""
    if not ballot.is_open:
        return False
    t = ballot_tally(ballot, now)
    if now >= ballot.deadline:
        # Closed at its deadline, however late the job runs: departures after it change nothing.
        _close(ballot, t, t.final_outcome(), CloseReason.DEADLINE, ballot.deadline)
        return True
    early = t.early_outcome()
    if early is not None:
        _close(ballot, t, early, CloseReason.CERTAIN, now)
        return True
    return False


@transaction.atomic
def ballot_settle(actor: Actor, ballot_id: int) -> bool:
    """The beat job's step for one ballot: close it if due or certain. Safe to run twice."""
    authorize(actor, "ballot.settle")
    ballot = Ballot.objects.select_for_update(no_key=True).filter(pk=ballot_id, state=BallotState.OPEN).first()
    return _settle(ballot, clock.now()) if ballot is not None else False


def _close(ballot: Ballot, t: tally.Tally, outcome: str, reason: str, now: datetime) -> None:
    """The computed result closes the ballot: the system's act, whoever cast the deciding vote."""
    move(SYSTEM, BALLOT_MACHINE, ballot, "close", fields={
        "closed_at": now, "close_reason": reason, "outcome": outcome, "yes_count": t.yes, "no_count": t.no,
        "abstain_count": t.abstain, "lost_count": t.lost, "lapsed_count": t.lapsed})
    log_append("ballot_closed", ballot)
    proposal = _lock_proposal(ballot.proposal_id)
    comment = f"N={t.electorate}, Y={t.yes}, no={t.no}, abstain={t.abstain}, lapsed={t.lapsed}, lost={t.lost}, " \
              f"3·Y ≥ 2·N: " \
              f"{tally.adopted(t.yes, t.electorate)}"
    if outcome == BallotOutcome.ADOPTED:
        move(SYSTEM, PROPOSAL_MACHINE, proposal, "adopt", comment=comment)
        decided = timezone.localtime(now).date()
        version = _version_from(proposal, ballot.effective_date or decided, decided)
        proposal.resulting_version = version
        proposal.save(update_fields=["resulting_version"])
    else:
        move(SYSTEM, PROPOSAL_MACHINE, proposal, "reject", comment=comment)
    link = reverse("convention:ballot", args=[ballot.pk])
    subject = text("ballot_adopted.subject" if outcome == BallotOutcome.ADOPTED else "ballot_rejected.subject")
    for member in ballot.electorate.select_related("organisation"):
        notify(member.organisation, "ballot_closed", subject,
               text("ballot_closed.body", title=proposal.title, y=t.yes, n=t.electorate, t=t.threshold), link)


def _version_from(proposal: Proposal, effective: date, decided: date) -> ConventionVersion:
    """The next version: the latest version's articles with the proposal's changes applied.

    Applied to the latest version (another amendment may have been adopted since the draft): an amended
    article missing there is added, a removed one already gone is skipped; numbers are not shifted.
    """
    base = _latest_version()
    articles = {a.number: a for a in base.articles.all()}
    version = ConventionVersion.objects.create(
        number=base.number + 1, title=base.title, effective_date=max(effective, decided),
        adopted_note=_("依第二十四条经表决通过：%(title)s") % {"title": proposal.title},
    )
    rows: dict[int, Article] = {
        n: Article(version=version, number=n, chapter_number=a.chapter_number, chapter_title=a.chapter_title,
                   text=a.text)
        for n, a in articles.items()
    }
    for change in proposal.changes.all():
        n = change.article_number
        if change.kind == ProposalChange.Kind.REMOVE:
            rows.pop(n, None)
            continue
        if n in rows:
            rows[n].text = change.new_text
        else:
            previous = max((a for a in rows.values() if a.number < n), key=lambda a: a.number, default=None)
            rows[n] = Article(
                version=version, number=n, text=change.new_text,
                chapter_number=change.chapter_number or (previous.chapter_number if previous else 1),
                chapter_title=change.chapter_title or (previous.chapter_title if previous else ""),
            )
    Article.objects.bulk_create(sorted(rows.values(), key=lambda a: a.number))
    log_append("convention_version", version)
    return version
