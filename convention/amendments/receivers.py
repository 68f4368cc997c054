"""When a membership ends, the open ballots it was in are settled at once: a rejection made certain by
departures alone closes the ballot then, not at the next run of the beat job.

The settling runs right after the departure commits, each ballot in its own transaction under its own
row lock (taking ballot locks while the departing organisation's row is locked would deadlock with a
concurrent vote of that ballot, which references the organisation). Should the process die in between,
``ballots_close_due`` settles it within a minute, and the count is the same: it reads the record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from members.core.policy import SYSTEM
from members.models import Organisation


def settle_ballots_of(sender: Any, organisation: Organisation, **kwargs: Any) -> None:
    from .models import Ballot, BallotState
    from .services import ballot_settle

    ids = list(Ballot.objects.filter(state=BallotState.OPEN, electorate__organisation=organisation)
               .order_by("pk").values_list("pk", flat=True))

    def settle() -> None:
        for pk in ids:
            ballot_settle(SYSTEM, pk)

    if ids:
        transaction.on_commit(settle)


def connect() -> None:
    from members.signals import membership_ended

    membership_ended.connect(settle_ballots_of, dispatch_uid="amendments.settle_ballots_of")
