"""``details_version_on`` reads an organisation's versions at once (or takes them from
``attach_versions`` in a backfill or a verification) and chooses in memory; its answer must be the one
the rule gives as queries (the reference below), for every date and every "as known at" moment,
corrections and same-day versions included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from members.details.models import OrganisationDetails
from members.details.selectors import attach_versions, details_version_on
from members.models import Organisation
from tests.factories import OrganisationFactory


def _reference(org, on, known_at):
    """The rule, as the database would answer it."""
    versions = OrganisationDetails.objects.filter(organisation=org)
    known = versions.filter(recorded_at__lte=known_at) if known_at is not None else versions
    row = known.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()
    if row is None:
        row = known.order_by("valid_from", "-id").first()
    if row is None and known_at is not None:
        row = versions.filter(corrects__isnull=True).order_by("valid_from", "id").first()
    return row


def _version(org, valid_from, recorded, name, corrects=None):
    return OrganisationDetails.objects.create(
        organisation=org, valid_from=valid_from, recorded_at=recorded, name=name, roles="developer", region="110000",
        uscc_public=org.uscc, corrects=corrects)


@pytest.mark.django_db
def test_it_answers_from_memory_what_the_queries_answer(django_assert_num_queries):
    t = datetime(2025, 1, 1, tzinfo=UTC)
    with_history, without = OrganisationFactory(), OrganisationFactory()
    first = _version(with_history, date(2025, 1, 10), t, "甲")
    _version(with_history, date(2025, 3, 1), t + timedelta(days=50), "乙")
    _version(with_history, date(2025, 3, 1), t + timedelta(days=51), "乙二")  # same day, later row wins
    _version(with_history, date(2025, 1, 10), t + timedelta(days=80), "甲（更正）", corrects=first)
    _version(with_history, date(2025, 6, 1), t + timedelta(days=100), "丙")
    days = [date(2024, 12, 1), date(2025, 1, 10), date(2025, 2, 1), date(2025, 3, 1), date(2025, 5, 1), date(2026, 1, 1)]
    moments = [None, t - timedelta(days=1), t, t + timedelta(days=50, hours=12), t + timedelta(days=81),
               t + timedelta(days=200)]
    cases = [(org.pk, on, at) for org in (with_history, without) for on in days for at in moments]
    queried = [_reference(Organisation.objects.get(pk=pk), on, at) for pk, on, at in cases]
    fresh = [Organisation.objects.get(pk=pk) for pk, _on, _at in cases]
    with django_assert_num_queries(len(cases)):  # one query each without attached versions
        read = [details_version_on(org, on, known_at=at) for org, (_pk, on, at) in zip(fresh, cases, strict=True)]

    orgs = {pk: Organisation.objects.get(pk=pk) for pk in (with_history.pk, without.pk)}
    with django_assert_num_queries(1):
        attach_versions(orgs.values())
    with django_assert_num_queries(0):
        in_memory = [details_version_on(orgs[pk], on, known_at=at) for pk, on, at in cases]

    assert [v.pk if v else None for v in in_memory] == [v.pk if v else None for v in queried]
    assert [v.pk if v else None for v in read] == [v.pk if v else None for v in queried]
    assert {v.name for v in queried if v} == {"甲", "乙", "乙二", "甲（更正）", "丙"}  # every answer is reached
    assert None in queried  # and the organisation without versions
