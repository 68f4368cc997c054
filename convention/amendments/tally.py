"""Art 24 arithmetic: who qualifies a proposal, when a ballot is adopted, and when that is certain.

Pure functions over plain integers (no ORM, no clock, no floats) so that anyone can recompute a
published tally by hand. Percentages exist only for display.

N = 0 follows the plain definitions: ``10·s ≥ 0`` and ``3·Y ≥ 2·0`` both hold, so an empty
electorate "qualifies" and "adopts". The services never let that happen: a ballot cannot be opened
on an empty electorate and a member proposal always has its proposer as a sponsor (so N ≥ 1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


def qualifies(sponsors: int, signatories: int) -> bool:
    """A member proposal qualifies when at least one tenth of the signatories sponsor it: 10·s ≥ N."""
    _check_non_negative(sponsors, signatories)
    return 10 * sponsors >= signatories


def sponsors_needed(signatories: int) -> int:
    """The smallest s with 10·s ≥ N, i.e. ceil(N / 10)."""
    _check_non_negative(signatories)
    return -(-signatories // 10)


def adopted(yes: int, electorate: int) -> bool:
    """Adopted if and only if at least two thirds of the electorate consent: 3·Y ≥ 2·N."""
    _check_non_negative(yes, electorate)
    return 3 * yes >= 2 * electorate


def yes_needed(electorate: int) -> int:
    """The smallest Y with 3·Y ≥ 2·N, i.e. ceil(2N / 3)."""
    _check_non_negative(electorate)
    return -(-2 * electorate // 3)


class Outcome:
    ADOPTED = "adopted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Tally:
    electorate: int  # N, frozen at opening
    yes: int  # consent by members who are still signatories (Y)
    no: int
    abstain: int
    lost: int  # members of E who can no longer vote and have not voted
    lapsed: int = 0  # yes votes whose voter's membership ended while the ballot was open

    def __post_init__(self) -> None:
        _check_non_negative(self.electorate, self.yes, self.no, self.abstain, self.lost, self.lapsed)
        if self.yes + self.no + self.abstain + self.lost + self.lapsed > self.electorate:
            raise ValueError("more ballots and lost voters than the electorate")

    @property
    def threshold(self) -> int:
        return yes_needed(self.electorate)

    @property
    def not_consenting_for_sure(self) -> int:
        """No, abstain, lapsed yes and those who can no longer vote: none of them can become consent."""
        return self.no + self.abstain + self.lost + self.lapsed

    @property
    def pending(self) -> int:
        """Members of E who may still vote."""
        return self.electorate - self.yes - self.not_consenting_for_sure

    def early_outcome(self) -> str | None:
        """The outcome once it is certain before the deadline, else None.

        Yes is certain when Y ≥ ceil(2N/3); no is certain when even every pending voter saying yes
        would not reach it, i.e. no + abstain + lapsed + lost > N − ceil(2N/3).
        """
        if adopted(self.yes, self.electorate):
            return Outcome.ADOPTED
        if self.not_consenting_for_sure > self.electorate - self.threshold:
            return Outcome.REJECTED
        return None

    def final_outcome(self) -> str:
        """At the deadline: not voting is not consent."""
        return Outcome.ADOPTED if adopted(self.yes, self.electorate) else Outcome.REJECTED


def count(electorate: int, votes: Iterable[tuple[int, str]], departed: Iterable[int]) -> Tally:
    """The tally from plain values: ``votes`` as (voter id, "yes" | "no" | "abstain"), ``departed`` the
    members of E whose membership has ended since opening (up to the moment counted).

    A departed member's yes lapses (the vote stays, it is no longer consent); its no or abstain stays
    what it was (neither is consent either); a departed member who has not voted is lost.
    """
    gone = set(departed)
    yes = no = abstain = lapsed = 0
    voted: set[int] = set()
    for voter, choice in votes:
        if voter in voted:
            raise ValueError("two ballots from one member")
        voted.add(voter)
        if choice == "yes":
            if voter in gone:
                lapsed += 1
            else:
                yes += 1
        elif choice == "no":
            no += 1
        elif choice == "abstain":
            abstain += 1
        else:
            raise ValueError(f"unknown choice {choice!r}")
    return Tally(electorate, yes, no, abstain, len(gone - voted), lapsed)


def percent(part: int, whole: int) -> str:
    """Display only: one decimal, computed from integers."""
    if whole == 0:
        return "—"
    tenths = (1000 * part + whole // 2) // whole
    return f"{tenths // 10}.{tenths % 10}%"


def electorate_text(public_usccs: Iterable[str]) -> str:
    """The canonical electorate list: one code per line, sorted, each line ending in a newline.

    The published file is exactly this text, so ``sha256sum`` of the download equals the hash.
    """
    return "".join(f"{code}\n" for code in sorted(public_usccs))


def electorate_sha256(public_usccs: Iterable[str]) -> str:
    return hashlib.sha256(electorate_text(public_usccs).encode("utf-8")).hexdigest()


def _check_non_negative(*values: int) -> None:
    for value in values:
        if value < 0:
            raise ValueError("counts cannot be negative")
