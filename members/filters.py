"""The register's search and filters: one FilterSet shared by the public page, the API and the exports."""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from . import search
from . import uscc as uscc_rules
from .models import MembershipStatus, Organisation, Role
from .regions import REGIONS

PUBLIC_STATUSES = [
    (MembershipStatus.SIGNATORY.value, MembershipStatus.SIGNATORY.label),
    (MembershipStatus.WITHDRAWN.value, MembershipStatus.WITHDRAWN.label),
    (MembershipStatus.REVOKED.value, MembershipStatus.REVOKED.label),
]

# Every sort keeps "id" last so that pages (and API cursors) are stable when names or dates tie.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name_sort", "id"),  # pinyin order (members.sorting)
    "-name": ("-name_sort", "-id"),
    "joined_on": ("joined_on", "id"),
    "-joined_on": ("-joined_on", "-id"),
}
SORT_CHOICES = [
    ("name", _("按名称")), ("-name", _("按名称（倒序）")),
    ("-joined_on", _("按加入日期（最新在前）")), ("joined_on", _("按加入日期（最早在前）")),
]
DEFAULT_SORT = "name"


def search_q(text: str) -> Q:
    """Partial Chinese or English name, or a code.

    A full 18-character code matches exactly. A partial code matches by prefix, but never an individual
    business's code (prefix 92): its hidden middle part identifies a person and must not be guessable.
    """
    text = text.strip()
    query = search.name_q(text)
    code = uscc_rules.normalise(text)
    if len(code) == 18:
        query |= Q(uscc=code)
    elif len(code) >= 2 and code.isalnum() and code.isascii():
        # A range on the unique index rather than LIKE 'X%', which neither database's default index
        # answers (case-insensitive LIKE on SQLite, a non-C collation on PostgreSQL).
        upper = code[:-1] + chr(ord(code[-1]) + 1)
        query |= Q(uscc__gte=code, uscc__lt=upper) & ~Q(uscc__startswith=uscc_rules.INDIVIDUAL_BUSINESS_PREFIX)
    return query


class _SharedFields(dict[str, forms.Field]):
    """A form's ``base_fields`` that its instances share: copying gives a new dict of the same fields."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("名称或统一社会信用代码"), max_length=200,
                                  widget=forms.TextInput(attrs={"type": "search"}))
    role = django_filters.MultipleChoiceFilter(choices=Role.choices, method="filter_role", label=_("角色"),
                                              widget=forms.CheckboxSelectMultiple)
    region = django_filters.ChoiceFilter(choices=REGIONS, label=_("地区"), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES, label=_("状态"), empty_label=_("全部"))
    joined_from = django_filters.DateFilter(field_name="joined_on", lookup_expr="gte", label=_("加入日期起"),
                                        widget=forms.DateInput(attrs={"type": "date"}))
    joined_to = django_filters.DateFilter(field_name="joined_on", lookup_expr="lte", label=_("加入日期止"),
                                      widget=forms.DateInput(attrs={"type": "date"}))
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="filter_sort", label=_("排序"),
                                       empty_label=None)

    class Meta:
        model = Organisation
        fields = ["q", "role", "region", "status", "joined_from", "joined_to", "sort"]

    def __init__(self, data: Any = None, queryset: QuerySet[Organisation] | None = None, *, request: Any = None,
                 prefix: str | None = None) -> None:
        # As django-filter's, but each filter is copied shallowly instead of deeply (the deep copy of
        # choices, widgets and labels was a tenth of a search): an instance changes only a filter's
        # model, parent and the method bound to the parent, and those are set on its own copy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = OrderedDict()
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod bound to this copy, not to the base filter
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        # django-filter builds a new form class (a type() call over every field) for each request; the
        # fields are the same every time (labels translate when shown), so it is built once per class.
        # The form only validates (the register writes its own markup), so its instances share the fields
        # rather than deep-copying every choice and widget (a Form copies ``base_fields`` when made).
        form_class = type(self).__dict__.get("_built_form")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _SharedFields(form_class.base_fields)  # type: ignore[attr-defined]
            type(self)._built_form = form_class  # type: ignore[attr-defined]
        return form_class

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(search_q(value)) if value.strip() else queryset

    def filter_role(self, queryset: QuerySet[Organisation], name: str, value: list[str]) -> QuerySet[Organisation]:
        # Roles are stored as comma-separated codes; no code is a substring of another.
        query = Q()
        for role in value:
            query |= Q(roles__contains=role)
        return queryset.filter(query) if value else queryset

    def filter_sort(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset  # applied by ``ordered`` (the API's cursor pagination applies it itself)

    @property
    def sort_key(self) -> str:
        value = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else None
        return value if value in SORTS else DEFAULT_SORT

    def ordered(self) -> QuerySet[Organisation]:
        return self.qs.order_by(*SORTS[self.sort_key])


def sort_from_params(params: Any) -> tuple[str, ...]:
    value = params.get("sort") if params is not None else None
    return SORTS.get(value or DEFAULT_SORT, SORTS[DEFAULT_SORT])
