"""The Jinja fragments' labels (members.core.jinja.label, role_labels) are Django's displays, in each language."""

from __future__ import annotations

import pytest
from django.utils import translation

from members.core import jinja
from members.models import Membership, MembershipEvent
from tests.public.seed import Register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_are_what_get_display_gives(register: Register, language):
    events = list(MembershipEvent.objects.all())
    periods = list(Membership.objects.exclude(end_kind=""))
    orgs = [register.current, register.rejoined, register.withdrawn, register.revoked, register.individual]
    assert events and periods
    with translation.override(language):
        for _ in range(2):  # the second time from the labels kept
            for org in orgs:
                assert jinja.label(org, "status") == org.get_status_display()
                assert jinja.label(org, "region") == org.get_region_display()
                assert jinja.role_labels(org.roles) == org.get_roles_display()
            for event in events:
                assert jinja.label(event, "kind") == event.get_kind_display()
            for period in periods:
                assert jinja.label(period, "end_kind") == period.get_end_kind_display()
    with translation.override("zh-hans"):
        chinese = jinja.label(register.revoked, "status")
    with translation.override("en"):
        assert jinja.label(register.revoked, "status") != chinese  # kept per language


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_role_labels_kept_per_language_and_codes(language):
    """Every combination of roles (an unknown code among them) reads as ``get_roles_display`` gives,
    the first time and from the kept text, and the kept text follows the language."""
    from members.models import Organisation, Role

    codes = [c for c, _label in Role.choices]
    combinations = [",".join(codes[:n]) for n in range(1, len(codes) + 1)] + [
        f"{codes[-1]},{codes[0]}", f"{codes[0]},retired-role", ""]
    with translation.override(language):
        for _ in range(2):
            for roles in combinations:
                assert jinja.role_labels(roles) == Organisation(roles=roles).get_roles_display()
    other = "en" if language == "zh-hans" else "zh-hans"
    with translation.override(language):
        kept = jinja.role_labels(codes[0])
    with translation.override(other):
        assert jinja.role_labels(codes[0]) == Organisation(roles=codes[0]).get_roles_display() != kept
