"""The join application's whole transition table, and approval starting the membership."""

from __future__ import annotations

import pytest

from members import services
from members.core.errors import DomainError, TransitionNotAllowed
from members.models import (
    APPLICATION_TRANSITIONS,
    ApplicationEvent,
    ApplicationState,
    JoinApplication,
    MembershipEvent,
    MembershipStatus,
)
from members.selectors import registry_inconsistencies
from tests.factories import OrganisationFactory, make_application, make_representative
from tests.helpers import act, for_org

S = ApplicationState


def _call(action: str, app: JoinApplication, user):
    if action in ("submit", "resubmit"):  # the applicant's own move; the rest are the reviewer's
        return services.application_submit(for_org(app.organisation), app, action=action)
    if action == "start_review":
        return services.application_start_review(act(user), app)
    if action == "return":
        return services.application_return(act(user), app, comment="请补充加盖公章的签署页")
    if action == "reject":
        return services.application_reject(act(user), app, comment="资质不符")
    if action == "approve":
        return services.application_approve(act(user), app)
    raise AssertionError(action)


def _app_in(state: str, reviewer) -> JoinApplication:
    app = make_application()
    paths: dict[str, list[str]] = {
        S.DRAFT: [], S.SUBMITTED: ["submit"], S.UNDER_REVIEW: ["submit", "start_review"],
        S.RETURNED: ["submit", "start_review", "return"],
        S.RESUBMITTED: ["submit", "start_review", "return", "resubmit"],
        S.APPROVED: ["submit", "start_review", "approve"], S.REJECTED: ["submit", "start_review", "reject"],
    }
    path = paths[state]
    for action in path:
        if action == "approve":
            services.application_verify_sealed_page(act(reviewer), app)
        _call(action, app, reviewer)
        app.refresh_from_db()
    assert app.state == state
    return app


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(APPLICATION_TRANSITIONS))
def test_it_walks_the_whole_transition_table(state, action, reviewer):
    app = _app_in(state, reviewer)
    if action == "approve" and state == S.UNDER_REVIEW:
        services.application_verify_sealed_page(act(reviewer), app)
    events_before = ApplicationEvent.objects.filter(application=app).count()
    membership_events_before = MembershipEvent.objects.count()
    allowed = APPLICATION_TRANSITIONS[action].get(state)
    if allowed is None:
        with pytest.raises(TransitionNotAllowed):
            _call(action, app, reviewer)
        app.refresh_from_db()
        assert app.state == state
        assert ApplicationEvent.objects.filter(application=app).count() == events_before
        assert MembershipEvent.objects.count() == membership_events_before
    else:
        _call(action, app, reviewer)
        app.refresh_from_db()
        assert app.state == allowed
        last = ApplicationEvent.objects.filter(application=app, action=action).latest("id")
        mover = for_org(app.organisation).user if action in ("submit", "resubmit") else reviewer
        assert (last.from_state, last.to_state, last.actor) == (state, allowed, mover)
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_it_starts_the_membership_on_approval_in_the_same_transaction(reviewer, mailoutbox):
    org = OrganisationFactory()
    make_representative(org, "boss@example.org")
    app = _app_in(S.UNDER_REVIEW, reviewer)
    app.organisation = org
    services.application_verify_sealed_page(act(reviewer), app)
    app = services.application_approve(act(reviewer), app)
    org = app.organisation
    org.refresh_from_db()
    assert org.status == MembershipStatus.SIGNATORY
    assert app.membership is not None and app.membership.ended_on is None
    event = MembershipEvent.objects.get(organisation=org)
    assert event.kind == "joined" and event.legal_basis == "第二十三条" and event.actor == reviewer
    assert event.document_sha256 == app.current_document("sealed_page").sha256
    assert registry_inconsistencies() == []


@pytest.mark.django_db
def test_it_refuses_approval_without_a_verified_sealed_page(reviewer):
    app = _app_in(S.UNDER_REVIEW, reviewer)
    with pytest.raises(DomainError) as exc:
        services.application_approve(act(reviewer), app)
    assert exc.value.code == "sealed_page_unverified"
    app.refresh_from_db()
    assert app.state == S.UNDER_REVIEW
    assert not MembershipEvent.objects.exists()


@pytest.mark.django_db
def test_it_refuses_submission_without_the_sealed_page(reviewer):
    app = make_application(documents=False)
    from tests.factories import upload

    services.document_upload(for_org(app.organisation), organisation=app.organisation, kind="business_licence", upload=upload(),
                             application=app)
    with pytest.raises(DomainError) as exc:
        services.application_submit(for_org(app.organisation), app)
    assert exc.value.code == "documents_missing" and exc.value.field == "sealed_page"
    app.refresh_from_db()
    assert app.state == S.DRAFT
    assert not ApplicationEvent.objects.filter(application=app).exists()


@pytest.mark.django_db
def test_returning_needs_a_comment_and_clears_the_verification(reviewer):
    app = _app_in(S.UNDER_REVIEW, reviewer)
    services.application_verify_sealed_page(act(reviewer), app)
    with pytest.raises(DomainError):
        services.application_return(act(reviewer), app, comment="  ")
    services.application_return(act(reviewer), app, comment="公章不清晰")
    app.refresh_from_db()
    assert app.state == S.RETURNED and app.staff_comment == "公章不清晰"
    assert not app.sealed_page_verified


@pytest.mark.django_db(transaction=True)
def test_notifications_are_emailed_after_commit(reviewer, mailoutbox):
    org = OrganisationFactory()
    make_representative(org, "boss@example.org")
    app = make_application(org)
    services.application_submit(for_org(app.organisation), app)
    assert [m.to for m in mailoutbox] == [["boss@example.org"]]
    assert "入约申请已收到" in mailoutbox[0].subject


@pytest.mark.django_db
def test_application_create_checks_the_code_and_links_the_representative():
    from tests.factories import UserFactory, valid_uscc

    user = UserFactory()
    data = {"name": "测试申请有限公司", "roles": ["developer"], "region": "310000"}
    with pytest.raises(DomainError) as exc:
        services.application_create(act(user), uscc="91350100M000100Y44", data=data)
    assert exc.value.code == "uscc_invalid" and "第18位校验码与前17位不符" in str(exc.value.message)
    assert not JoinApplication.objects.exists()
    code = valid_uscc()
    app = services.application_create(act(user), uscc=" " + code.lower(), data=data)
    assert app.organisation.uscc == code and user.representative.organisation == app.organisation
    with pytest.raises(DomainError):
        services.application_create(act(UserFactory()), uscc=code, data=data)
    assert JoinApplication.objects.count() == 1


@pytest.mark.django_db
def test_a_stranger_cannot_claim_a_registered_organisation(org_a):
    """Applying with the code of a registered organisation neither links the account nor touches the record."""
    from members.models import Representative
    from tests.factories import UserFactory

    before = (org_a.name, org_a.contact_phone)
    with pytest.raises(DomainError) as exc:
        services.application_create(act(UserFactory()), uscc=org_a.uscc,
                                    data={"name": "冒名公司", "roles": ["developer"], "region": "110000",
                                          "contact_phone": "000"})
    assert exc.value.code == "organisation_registered"
    org_a.refresh_from_db()
    assert (org_a.name, org_a.contact_phone) == before
    assert not Representative.objects.exists() and not JoinApplication.objects.exists()


@pytest.mark.django_db
def test_a_former_member_cannot_rename_itself_on_a_new_draft(org_a, rep_a, reviewer):
    from datetime import date

    from tests.factories import make_signatory

    make_signatory(org_a, on=date(2025, 1, 10))
    services.withdrawal_acknowledge(act(reviewer), services.withdrawal_file(act(rep_a), org_a))
    app = services.application_reapply(act(rep_a), org_a)
    with pytest.raises(DomainError) as exc:
        services.application_update(act(rep_a), app, data={"name": "冒名公司", "contact_phone": "010-1"})
    assert exc.value.code == "public_details_locked" and exc.value.field == "name"
    org_a.refresh_from_db()
    assert org_a.name == "甲方数字科技有限公司" and org_a.contact_phone != "010-1"
    # Contact details (private) may still be corrected; unchanged public values pass.
    services.application_update(act(rep_a), app, data={"name": org_a.name, "roles": ["developer"],
                                                        "contact_phone": "010-12345678"})
    org_a.refresh_from_db()
    assert org_a.contact_phone == "010-12345678"


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["abc<script>", "1", "010-1234567a"])
def test_a_malformed_phone_number_is_refused_next_to_its_field(phone):
    from tests.factories import UserFactory, valid_uscc

    with pytest.raises(DomainError) as exc:
        services.application_create(act(UserFactory()), uscc=valid_uscc(),
                                    data={"name": "电话测试有限公司", "roles": ["developer"], "region": "110000",
                                          "contact_phone": phone})
    assert exc.value.field == "contact_phone" and "有效的电话号码" in str(exc.value.message)
    assert not JoinApplication.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["010-12345678", "13800000000", "+86 10 1234 5678", "(010) 1234567 转 8001"])
def test_ordinary_phone_numbers_are_accepted(phone):
    from tests.factories import UserFactory, valid_uscc

    app = services.application_create(act(UserFactory()), uscc=valid_uscc(),
                                      data={"name": "电话测试有限公司", "roles": ["developer"], "region": "110000",
                                            "contact_phone": phone})
    assert app.organisation.contact_phone == phone
