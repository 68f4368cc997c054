"""ById (members.core.compiled) gives exactly what its queryset gives, for any id, on either database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count

from members.core.compiled import ById, Compiled
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


def test_values_list_rows_and_dates_as_the_queryset_gives_them():
    orgs = [make_signatory() for _ in range(4)]
    named = Compiled(lambda day, pk: Organisation.objects.filter(joined_on__gte=day, pk__gt=pk).order_by("joined_on", "id")
                     .values_list("id", "name", "joined_on", named=True), "date", "int")
    plain = Compiled(lambda name: Organisation.objects.filter(name__gte=name).order_by("id")
                     .values_list("id", "joined_on"), "str")
    days = sorted({o.joined_on for o in Organisation.objects.all()})
    for day in [date(2000, 1, 1), *days, date(2100, 1, 1)]:
        for pk in (0, orgs[1].pk):
            expected = list(Organisation.objects.filter(joined_on__gte=day, pk__gt=pk).order_by("joined_on", "id")
                            .values_list("id", "name", "joined_on", named=True))
            got = named(day, pk)
            assert got == expected and [type(r).__name__ for r in got] == [type(r).__name__ for r in expected]
            assert all(isinstance(r.joined_on, date) for r in got)  # converted from SQLite's text
    for name in ("", orgs[2].name, "\uffff"):
        assert plain(name) == list(Organisation.objects.filter(name__gte=name).order_by("id").values_list("id", "joined_on"))
        assert all(type(r) is tuple for r in plain(name))


def test_an_argument_inside_a_parameter_or_missing_is_refused():
    with pytest.raises(ValueError, match="whole parameter"):
        Compiled(lambda term: Organisation.objects.filter(name__icontains=term), "str")("x")
    with pytest.raises(ValueError, match="every argument"):
        Compiled(lambda a, b: Organisation.objects.filter(pk=a), "int", "int")(1, 2)
    with pytest.raises(TypeError):
        Compiled(lambda a: Organisation.objects.filter(pk=a), "int")(1, 2)
    with pytest.raises(ValueError, match="plain fields"):
        Compiled(lambda a: Organisation.objects.filter(pk=a).annotate(n=Count("events")).values_list("n"), "int")(1)
