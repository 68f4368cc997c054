"""The public register page and organisation profiles."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from members.filters import search_q
from members.models import Organisation
from members.public.selectors import public_organisations
from members.sorting import name_sort_key
from tests.factories import OrganisationFactory, make_signatory
from tests.public.seed import PUBLIC_NOTICE, Register

pytestmark = pytest.mark.django_db


def names(client, **params) -> list[str]:
    response = client.get(reverse("public:register"), params)
    assert response.status_code == 200
    return [org.name for org in response.context["organisations"]]


def test_it_finds_organisations_by_partial_chinese_name(client, register: Register):
    assert names(client, q="云端政务") == ["北京云端政务科技有限公司"]
    assert names(client, q="有限公司") == sorted(
        [register.current.name, register.rejoined.name, register.withdrawn.name, register.revoked.name],
        key=name_sort_key,  # pinyin order
    )


def test_it_finds_organisations_by_partial_english_name_in_any_case(client, register: Register):
    assert names(client, q="digital distrib") == ["上海数字分发有限公司"]
    assert names(client, q="BREACH") == ["深圳违约应用有限公司"]


def test_it_finds_an_organisation_by_its_code_in_full_or_by_prefix(client, register: Register):
    assert names(client, q=register.current.uscc.lower()) == [register.current.name]
    # Full-width characters as copied from a Chinese document are folded.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in register.current.uscc)
    assert names(client, q=full_width) == [register.current.name]
    assert register.current.name in names(client, q=register.current.uscc[:10])


def test_it_never_matches_an_individual_business_code_by_prefix(client, register: Register):
    """The hidden middle of a 92 code identifies a person: guessing it digit by digit must not work."""
    code = register.individual.uscc
    assert names(client, q=code[:12]) == []
    assert names(client, q=code) == [register.individual.name]  # whoever knows the whole code may check it


def test_search_q_builds_no_code_lookup_for_names():
    assert "uscc" not in str(search_q("云端"))


def test_it_filters_by_status(client, register: Register):
    assert set(names(client, status="signatory")) == {
        register.current.name, register.rejoined.name, register.individual.name}
    assert names(client, status="withdrawn") == [register.withdrawn.name]
    assert names(client, status="revoked") == [register.revoked.name]


def test_it_never_lists_an_organisation_that_has_not_signed(client, register: Register):
    assert register.applicant.name not in names(client)
    assert names(client, q="申请中") == []
    assert client.get(reverse("public:profile", args=[register.applicant.pk])).status_code == 404


def test_it_filters_by_role_region_and_join_period(client, register: Register):
    assert set(names(client, role="operator")) == {register.current.name, register.withdrawn.name}
    assert set(names(client, role=["distributor", "other"])) == {register.rejoined.name, register.individual.name}
    assert set(names(client, region="440000")) == {register.withdrawn.name, register.revoked.name}
    # joined_on is the start of the latest period
    assert set(names(client, joined_from="2024-01-01", joined_to="2024-03-31")) == {
        register.rejoined.name, register.current.name}
    assert set(names(client, region="440000", status="revoked")) == {register.revoked.name}


def test_it_sorts_by_name_or_join_date(client, register: Register):
    by_date = names(client, sort="-joined_on")
    assert by_date[:2] == [register.individual.name, register.current.name]
    assert names(client, sort="joined_on")[0] == register.withdrawn.name  # 2023-02-01
    assert names(client, sort="name") == sorted(names(client, sort="name"), key=name_sort_key)
    assert names(client, sort="-name") == list(reversed(names(client, sort="name")))


def test_it_reports_an_invalid_filter_next_to_the_field(client, register: Register):
    response = client.get(reverse("public:register"), {"status": "nonsense", "joined_from": "yesterday"})
    assert response.status_code == 200
    form = response.context["filter"].form
    assert "status" in form.errors and "joined_from" in form.errors


def test_it_shows_the_count_of_current_signatories(client, register: Register):
    response = client.get(reverse("public:register"), {"status": "revoked"})
    assert response.context["signatory_count"] == 3
    assert "现有签署单位 3 家" in response.content.decode()


def test_it_paginates(client, db):
    for i in range(25):
        make_signatory(OrganisationFactory(name=f"分页测试公司{i:02d}"))
    first = client.get(reverse("public:register"), {"per_page": 20})
    assert len(first.context["organisations"]) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("public:register") + "?" + next_link(first.content.decode()))
    assert [o.name for o in second.context["organisations"]] == [f"分页测试公司{i:02d}" for i in range(20, 25)]
    assert "第 2 页，共 2 页" in second.content.decode()


def next_link(page: str, rel: str = "next") -> str:
    """The query string of the page's rel=next (or rel=prev) link, as a browser would follow it."""
    match = re.search(r'href="\?([^"]*)" rel="' + rel + '"', page)
    assert match, f"no rel={rel} link"
    return html.unescape(match.group(1))


@pytest.mark.parametrize("per_page", [20, 100])
def test_the_register_page_issues_a_fixed_number_of_queries(client, db, per_page, django_assert_num_queries):
    for _ in range(120):
        make_signatory()
    from members.public.identity import site_identity

    site_identity()  # the footer's row, kept per process for a minute: read once whichever test came first
    # stamp + one keyset page + per-status totals (cached per register change: tests/public/test_cache.py)
    with django_assert_num_queries(3):
        response = client.get(reverse("public:register"), {"per_page": per_page, "status": "signatory"})
    assert len(response.context["organisations"]) == per_page


def test_the_profile_shows_public_fields_periods_and_history_across_a_rejoin(client, register: Register):
    org = register.rejoined
    response = client.get(reverse("public:profile", args=[org.pk]))
    page = response.content.decode()
    assert org.name in page and org.uscc in page and "上海市" in page and "分发商" in page
    assert [(p.started_on, p.ended_on) for p in response.context["periods"]] == [
        (date(2023, 1, 10), date(2023, 6, 30)), (date(2024, 1, 5), None)]
    assert [e.kind for e in response.context["events"]] == ["joined", "withdrew", "joined"]
    assert "2024-01-05" in page and "现签署成员" in page


def test_the_profile_shows_the_public_notice_of_a_revocation(client, register: Register):
    response = client.get(reverse("public:profile", args=[register.revoked.pk]))
    page = response.content.decode()
    assert PUBLIC_NOTICE in page
    assert "已取消成员资格" in page and "2024-05-20" in page


def test_the_profile_masks_an_individual_business_code(client, register: Register):
    response = client.get(reverse("public:profile", args=[register.individual.pk]))
    page = response.content.decode()
    assert register.individual.public_uscc in page and "********" in register.individual.public_uscc
    assert register.individual.uscc not in page


def test_the_profile_issues_a_fixed_number_of_queries(client, register: Register, django_assert_num_queries):
    from members.public.identity import site_identity

    site_identity()  # the footer's row, kept per process for a minute: read once whichever test came first
    with django_assert_num_queries(5):  # stamp, organisation, periods, events, details versions
        client.get(reverse("public:profile", args=[register.rejoined.pk]))


def test_public_organisations_never_load_private_columns(register: Register):
    org = public_organisations().get(pk=register.current.pk)
    deferred = org.get_deferred_fields()
    assert {"contact_name", "contact_phone", "contact_email", "uscc_waiver_reason"} <= deferred
    assert Organisation.objects.count() == 6
