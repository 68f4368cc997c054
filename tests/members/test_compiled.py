"""ById (members.core.compiled) gives exactly what its queryset gives, for any id, on either database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count

from members.core.compiled import ById
from members.details.models import OrganisationDetails
from members.models import Membership, MembershipEvent, Organisation
from tests.factories import make_signatory, withdraw

pytestmark = pytest.mark.django_db


def _rows(objects: list) -> list[dict]:
    return [{k: v for k, v in vars(o).items() if not k.startswith("_")} for o in objects]


def test_the_compiled_queries_give_the_querysets_rows_for_every_id():
    orgs = [make_signatory() for _ in range(3)]
    withdraw(orgs[1], on=date(2025, 6, 30))
    periods = ById(lambda pk: Membership.objects.filter(organisation_id=pk).order_by("started_on", "id")
                   .only("id", "organisation_id", "started_on", "ended_on", "end_kind"))
    events = ById(lambda pk: MembershipEvent.objects.filter(organisation_id=pk).order_by("-effective_date", "id"))
    details = ById(lambda pk: OrganisationDetails.objects.filter(organisation_id=pk))
    counted = ById(lambda pk: Organisation.objects.filter(pk=pk).annotate(n=Count("events")))
    for org in [*orgs, Organisation(pk=999_999)]:  # the last one has no rows at all
        for compiled, plain in (
            (periods, Membership.objects.filter(organisation_id=org.pk).order_by("started_on", "id")
             .only("id", "organisation_id", "started_on", "ended_on", "end_kind")),
            (events, MembershipEvent.objects.filter(organisation_id=org.pk).order_by("-effective_date", "id")),
            (details, OrganisationDetails.objects.filter(organisation_id=org.pk)),
            (counted, Organisation.objects.filter(pk=org.pk).annotate(n=Count("events"))),
        ):
            got, expected = compiled(org.pk), list(plain)
            assert [type(o) for o in got] == [type(o) for o in expected]  # deferred classes alike
            assert _rows(got) == _rows(expected)
            assert all(not o._state.adding and o._state.db == "default" for o in got)
    assert counted(orgs[1].pk)[0].n == MembershipEvent.objects.filter(organisation=orgs[1]).count() > 1
    short = ById(lambda pk: Membership.objects.filter(organisation_id=pk).only("id", "started_on"))
    assert short(orgs[1].pk)[0].ended_on == date(2025, 6, 30)  # a deferred field loads when read, as usual


def test_a_queryset_without_the_id_as_a_parameter_is_refused():
    with pytest.raises(ValueError, match="every argument as a parameter"):
        ById(lambda pk: Organisation.objects.all())(1)
    with pytest.raises(ValueError, match="select_related"):
        ById(lambda pk: MembershipEvent.objects.filter(organisation_id=pk).select_related("organisation"))(1)
