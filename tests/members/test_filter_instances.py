"""OrganisationFilter copies its filters shallowly and shares its form's fields: instances must still be
independent (each filter's method bound to its own filterset, each form its own errors and data)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from members.filters import OrganisationFilter
from members.models import Organisation
from tests.factories import OrganisationFactory, make_signatory

pytestmark = pytest.mark.django_db


def test_two_filtersets_filter_and_validate_each_by_its_own_data():
    make_signatory(OrganisationFactory(name="甲乙丙科技有限公司"))
    make_signatory(OrganisationFactory(name="丁戊己网络有限公司"))
    queryset = Organisation.objects.all()
    first = OrganisationFilter(QueryDict("q=甲乙丙"), queryset=queryset)
    second = OrganisationFilter(QueryDict("q=丁戊己&status=nonsense"), queryset=queryset)
    third = OrganisationFilter(QueryDict("q=丁戊己"), queryset=queryset)

    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
    assert first.filters["q"].filter.f is first.filters["q"]  # the method resolves through this copy
    assert getattr(OrganisationFilter.base_filters["q"], "parent", None) is None  # the class's own are untouched
    assert [o.name for o in first.qs] == ["甲乙丙科技有限公司"]
    assert [o.name for o in third.qs] == ["丁戊己网络有限公司"]
    assert not first.form.errors and "status" in second.form.errors and not third.form.errors
    assert first.form.fields is not second.form.fields  # a dict each, over the shared fields
    assert first.form.cleaned_data["q"] == "甲乙丙" and third.form.cleaned_data["q"] == "丁戊己"
