"""Shared set-up for the Art 24 tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from convention.amendments import services
from convention.amendments.models import Ballot, Proposal
from members.core import clock
from members.models import Organisation
from tests.factories import OrganisationFactory, make_representative, make_signatory
from tests.helpers import act

NEW_TEXT_2 = "本公约所称政务应用程序，是指经修订后的定义。\n第二段。"


def signatories(n: int) -> list[tuple[Organisation, Any]]:
    """n signatory organisations, each with one representative account."""
    out = []
    for _ in range(n):
        org = make_signatory(OrganisationFactory())
        out.append((org, make_representative(org)))
    return out


def member_proposal(rep: Any, **kwargs: Any) -> Proposal:
    proposal = services.proposal_create(act(rep), title=kwargs.get("title", "修改第二条定义"), rationale="定义需要更新。",
        changes=kwargs.get("changes", [{"kind": "amend", "article_number": 2, "new_text": NEW_TEXT_2}]))
    return services.proposal_submit(act(rep), proposal)


def executive_ballot(publisher: Any, *, hours: int = 48, changes: list[dict[str, Any]] | None = None) -> Ballot:
    proposal = services.proposal_create(act(publisher), title="执行机构修订提议", rationale="执行机构提出。", executive=True,
        changes=changes or [{"kind": "amend", "article_number": 2, "new_text": NEW_TEXT_2}])
    services.proposal_submit(act(publisher), proposal)
    return services.ballot_open(act(publisher), proposal, deadline=clock.now() + timedelta(hours=hours))


def ensure_version_1() -> None:
    """Transactional tests flush the database, data migrations included: reload version 1 if gone."""
    import importlib

    from django.apps import apps

    importlib.import_module("convention.migrations.0002_load_version_1").load(apps, None)
