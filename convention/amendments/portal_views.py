"""Representatives' pages for Art 24: draft, sponsor and vote. Scoped to the user's own organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convention.amendments import selectors, services
from convention.amendments.forms import ChangeFormSet, ProposalForm, VoteForm
from convention.amendments.models import PROPOSAL_MACHINE, Ballot, Proposal
from convention.amendments.views import change_rows
from members.core.errors import DomainError
from members.core.policy import actor_from_request
from members.core.transitions import allowed_moves
from members.selectors import representative_of


@login_required
def index(request: HttpRequest) -> HttpResponse:
    org = representative_of(request.user)
    context: dict[str, Any] = {"organisation": org}
    if org is not None:
        context.update(
            to_sponsor=selectors.proposals_to_sponsor(org),
            sponsored=selectors.proposals_sponsored_by(org),
            mine=selectors.proposals_of(org),
            to_vote=selectors.ballots_to_vote(org),
        )
    return render(request, "convention/portal/index.html", context)


@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    changes = ChangeFormSet(request.POST or None, prefix="changes")
    if request.method == "POST" and form.is_valid() and changes.is_valid():
        rows = [c.cleaned_data for c in changes if c.cleaned_data and c.cleaned_data.get("kind")]
        try:
            proposal = services.proposal_create(actor_from_request(request), changes=rows, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None if exc.field == "changes" else exc.field, str(exc.message))
        else:
            messages.success(request, _("草稿已保存。提交后即开始征集联署。"))
            return redirect("amendments:proposal", proposal.pk)
    return render(request, "convention/portal/proposal_form.html", {"form": form, "changes": changes})


def _visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = selectors.proposal_for(actor_from_request(request), pk)
    if proposal is None:
        raise Http404
    return proposal


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    org = representative_of(request.user)
    sponsors = selectors.active_sponsorships(proposal)
    return render(request, "convention/portal/proposal.html", {
        # The buttons of the proposal's own moves come from its transition table and the policy.
        "moves": allowed_moves(actor_from_request(request), PROPOSAL_MACHINE, proposal),
        "proposal": proposal, "rows": change_rows(proposal), "sponsors": sponsors, "organisation": org,
        "is_proposer": org is not None and org.pk == proposal.organisation_id,
        "is_signatory": org is not None and org.is_signatory,
        "is_sponsor": org is not None and sponsors.filter(organisation=org).exists(),
        "counting": selectors.counting_sponsors(proposal),
    })


def _act(request: HttpRequest, pk: int, action: Callable[..., Any], done: str) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    try:
        action(actor_from_request(request), proposal)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
    return redirect("amendments:proposal", proposal.pk)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.proposal_submit, _("修订提议已提交，开始征集联署。"))


@login_required
@require_POST
def proposal_sponsor(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.proposal_sponsor, _("贵单位已联署该修订提议。"))


@login_required
@require_POST
def proposal_unsponsor(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.sponsorship_withdraw, _("贵单位已撤回联署。"))


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.proposal_withdraw, _("修订提议已撤回。"))


@login_required
def ballot_vote(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_object_or_404(Ballot.objects.select_related("proposal"), pk=pk)
    org = representative_of(request.user)
    form = VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(actor_from_request(request), ballot, choice=form.cleaned_data["choice"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("选票已投出。"))
            return redirect("amendments:ballot", ballot.pk)
    ballot.refresh_from_db()
    return render(request, "convention/portal/ballot.html", {
        "ballot": ballot, "form": form, "organisation": org,
        "eligibility": selectors.eligibility(ballot, org),
        "rows": change_rows(ballot.proposal),
    })
