"""Art 24 thresholds, table-driven against the plain definitions and checked by hand for small N."""

from __future__ import annotations

import hashlib

import pytest

from convention.amendments import tally
from convention.amendments.tally import Outcome, Tally


def test_it_qualifies_exactly_when_ten_s_reaches_n_for_every_n_up_to_1000():
    for n in range(0, 1001):
        for s in range(0, n + 2):
            assert tally.qualifies(s, n) is (10 * s >= n), (s, n)
        needed = tally.sponsors_needed(n)
        assert 10 * needed >= n and (needed == 0 or 10 * (needed - 1) < n), n


def test_it_adopts_exactly_when_three_y_reaches_two_n_for_every_n_up_to_1000():
    for n in range(0, 1001):
        for y in range(0, n + 1):
            assert tally.adopted(y, n) is (3 * y >= 2 * n), (y, n)
        needed = tally.yes_needed(n)
        assert 3 * needed >= 2 * n and (needed == 0 or 3 * (needed - 1) < 2 * n), n


# (N, sponsors needed, yes needed) worked out by hand.
HAND = [
    (1, 1, 1),
    (2, 1, 2),
    (3, 1, 2),
    (9, 1, 6),
    (10, 1, 7),
    (11, 2, 8),
    (30, 3, 20),
    (31, 4, 21),
]


@pytest.mark.parametrize(("n", "sponsors", "yes"), HAND)
def test_it_matches_the_small_cases_worked_by_hand(n, sponsors, yes):
    assert tally.sponsors_needed(n) == sponsors
    assert tally.qualifies(sponsors, n) and not tally.qualifies(sponsors - 1, n)
    assert tally.yes_needed(n) == yes
    assert tally.adopted(yes, n) and not tally.adopted(yes - 1, n)


def test_it_documents_the_empty_electorate_as_the_plain_definition_says():
    assert tally.qualifies(0, 0) and tally.adopted(0, 0)
    assert Tally(0, 0, 0, 0, 0).early_outcome() == Outcome.ADOPTED


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        tally.adopted(-1, 3)
    with pytest.raises(ValueError):
        Tally(3, 2, 2, 0, 0)


def test_it_decides_early_exactly_when_the_outcome_is_certain_for_every_split_up_to_n_12():
    """Brute force: early outcome is set iff every completion of the pending votes agrees."""
    for n in range(0, 13):
        for y in range(n + 1):
            for blocked in range(n - y + 1):
                t = Tally(n, y, blocked, 0, 0)
                outcomes = {tally.adopted(y + extra, n) for extra in range(t.pending + 1)}
                early = t.early_outcome()
                if len(outcomes) == 1:
                    assert early == (Outcome.ADOPTED if outcomes.pop() else Outcome.REJECTED), (n, y, blocked)
                else:
                    assert early is None, (n, y, blocked)


def test_it_counts_lost_voters_and_abstentions_as_not_consenting():
    # N = 10, threshold 7: four who cannot consent leave at most 6 yes.
    assert Tally(10, 0, 1, 1, 2).early_outcome() == Outcome.REJECTED
    assert Tally(10, 0, 1, 1, 1).early_outcome() is None
    assert Tally(10, 6, 0, 0, 0).final_outcome() == Outcome.REJECTED
    assert Tally(10, 7, 0, 0, 0).early_outcome() == Outcome.ADOPTED


def test_it_hashes_the_canonical_sorted_list_so_a_download_can_be_checked():
    text = tally.electorate_text(["B2", "A1", "C3"])
    assert text == "A1\nB2\nC3\n"
    assert tally.electorate_sha256(["C3", "A1", "B2"]) == hashlib.sha256(b"A1\nB2\nC3\n").hexdigest()


def test_it_formats_percentages_for_display_only():
    assert tally.percent(2, 3) == "66.7%"
    assert tally.percent(0, 0) == "—"


# Lapsing (decided 2026-12-01): (N, votes as "voter:choice", departed voters) -> (Y, no, abstain, lapsed,
# lost, early outcome). Voters are numbered 1..N; a departed voter's yes lapses, its no/abstain stays.
LAPSE = [
    # N = 9, threshold 6: six yes adopt; one of them lapsing leaves five.
    (9, "1y 2y 3y 4y 5y 6y", "", (6, 0, 0, 0, 0, Outcome.ADOPTED)),
    (9, "1y 2y 3y 4y 5y 6y", "6", (5, 0, 0, 1, 0, None)),
    # N = 9: N − threshold = 3; four not consenting for sure reject, lapsed yes included.
    (9, "1y 2y 3n", "1 2", (0, 1, 0, 2, 0, None)),
    (9, "1y 2y 3n", "1 2 4", (0, 1, 0, 2, 1, Outcome.REJECTED)),
    (9, "", "1 2 3 4", (0, 0, 0, 0, 4, Outcome.REJECTED)),  # departures alone
    (9, "", "1 2 3", (0, 0, 0, 0, 3, None)),
    (9, "1n 2a", "1 2", (0, 1, 1, 0, 0, None)),  # a departed member's no and abstain stay what they were
    # N = 11, threshold 8, N − threshold = 3.
    (11, "1y 2y 3y 4y 5y 6y 7y 8y", "", (8, 0, 0, 0, 0, Outcome.ADOPTED)),
    (11, "1y 2y 3y 4y 5y 6y 7y 8y", "8", (7, 0, 0, 1, 0, None)),
    (11, "1y 2y 3y 4y 5y 6y 7y 8y", "7 8", (6, 0, 0, 2, 0, None)),
    (11, "1y 2y 3y 4y 5y 6y 7y 8y", "6 7 8 9", (5, 0, 0, 3, 1, Outcome.REJECTED)),
    (11, "1y 2n 3n", "1 4", (0, 2, 0, 1, 1, Outcome.REJECTED)),
    (11, "1y 2n", "1 4", (0, 1, 0, 1, 1, None)),
]


@pytest.mark.parametrize(("n", "votes", "departed", "expected"), LAPSE)
def test_it_counts_lapsed_yes_votes_as_not_consenting(n, votes, departed, expected):
    pairs = [(int(v[:-1]), {"y": "yes", "n": "no", "a": "abstain"}[v[-1]]) for v in votes.split()]
    gone = {int(d) for d in departed.split()}
    t = tally.count(n, pairs, gone)
    assert (t.yes, t.no, t.abstain, t.lapsed, t.lost, t.early_outcome()) == expected
    # Anyone can recompute it from the published record: 3·Y ≥ 2·N with the lapsed yes left out.
    assert tally.adopted(t.yes, n) is (3 * t.yes >= 2 * n)
    assert t.yes + t.no + t.abstain + t.lapsed + t.lost + t.pending == n


def test_it_refuses_two_ballots_from_one_member_and_unknown_choices():
    with pytest.raises(ValueError):
        tally.count(3, [(1, "yes"), (1, "no")], set())
    with pytest.raises(ValueError):
        tally.count(3, [(1, "maybe")], set())
    with pytest.raises(ValueError):
        Tally(3, 1, 1, 1, 0, lapsed=1)  # more than N
