"""Every move of every case table, allowed and forbidden, through the one service per move."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints import services
from complaints.models import (
    COMPLAINT_TRANSITIONS,
    CORRECTION_TRANSITIONS,
    DISPUTE_TRANSITIONS,
    Complaint,
    ComplaintEvent,
    ComplaintState,
    CorrectionOrder,
    CorrectionState,
    Dispute,
    DisputeEvent,
    DisputeState,
)
from members.core import clock
from members.core.errors import TransitionNotAllowed
from tests.complaints.conftest import file_complaint
from tests.helpers import act

COMPLAINT_MOVES = {
    "start_verification": lambda c, u: services.complaint_start_verification(act(u), c),
    "close_unfounded": lambda c, u: services.complaint_close_unfounded(act(u), c, reason="证据不足"),
    "substantiate": lambda c, u: services.complaint_substantiate(act(u), c, finding="查证属实"),
}


@pytest.mark.parametrize("state", ComplaintState.values)
def test_it_walks_the_whole_complaint_table(state, member_a, complaint_officer):
    for action, move in COMPLAINT_MOVES.items():
        c = file_complaint(member_a).complaint
        Complaint.objects.filter(pk=c.pk).update(state=state)
        c.refresh_from_db()
        events_before = ComplaintEvent.objects.filter(complaint=c).count()
        expected = COMPLAINT_TRANSITIONS[action].get(state)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                move(c, complaint_officer)
            c.refresh_from_db()
            assert c.state == state
            assert ComplaintEvent.objects.filter(complaint=c).count() == events_before
        else:
            move(c, complaint_officer)
            c.refresh_from_db()
            assert c.state == expected
            last = c.events.order_by("-id")[0]
            assert (last.from_state, last.to_state, last.action, last.actor) == (state, expected, action,
                                                                                  complaint_officer)


def test_it_needs_a_reason_to_close_and_records_the_decision(filed, complaint_officer):
    c = services.complaint_start_verification(act(complaint_officer), filed.complaint)
    assert c.assigned_to == complaint_officer
    with pytest.raises(services.DomainError):
        services.complaint_close_unfounded(act(complaint_officer), c, reason="  ")
    c = services.complaint_close_unfounded(act(complaint_officer), c, reason="经核查，应用未强制签到。")
    assert c.decision == "经核查，应用未强制签到。" and c.decided_at is not None
    assert [e.action for e in c.events.order_by("id")] == ["file", "start_verification", "close_unfounded"]


def test_it_keeps_the_history_append_only(filed):
    event = filed.complaint.events.first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        ComplaintEvent.objects.all().delete()


def _substantiated(member, officer):
    c = file_complaint(member).complaint
    services.complaint_start_verification(act(officer), c)
    return services.complaint_substantiate(act(officer), c, finding="属实")


@pytest.mark.parametrize("state", CorrectionState.values)
def test_it_walks_the_whole_correction_table(state, member_a, rep_a, complaint_officer):
    c = _substantiated(member_a, complaint_officer)
    moves = {
        "answer": lambda o: services.correction_answer(act(rep_a), o, report="已下架相关功能"),
        "accept": lambda o: services.correction_accept(act(complaint_officer), o),
        "escalate": lambda o: services.correction_escalate(act(complaint_officer), o, comment="整改不到位"),
    }
    for action, move in moves.items():
        order = services.correction_order_issue(act(complaint_officer), c, requirement="下架签到功能",
                                                deadline=clock.today() + timedelta(days=10))
        CorrectionOrder.objects.filter(pk=order.pk).update(state=state)
        order.refresh_from_db()
        expected = CORRECTION_TRANSITIONS[action].get(state)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                move(order)
            order.refresh_from_db()
            assert order.state == state
        else:
            move(order)
            order.refresh_from_db()
            assert order.state == expected
            assert order.events.order_by("-id")[0].action == action


@pytest.mark.parametrize("state", DisputeState.values)
def test_it_walks_the_whole_dispute_table(state, member_a, member_b, rep_a, complaint_officer):
    moves = {
        "start_mediation": lambda d: services.dispute_start_mediation(act(complaint_officer), d),
        "settle": lambda d: services.dispute_settle(act(complaint_officer), d, outcome="双方达成和解"),
        "not_settle": lambda d: services.dispute_not_settle(act(complaint_officer), d, outcome="未能达成一致"),
        "withdraw": lambda d: services.dispute_withdraw(act(rep_a), d, reason="已自行协商解决"),
    }
    for action, move in moves.items():
        d = services.dispute_request(act(rep_a), respondent=member_b, subject="接口费用", description="对方拖欠")
        Dispute.objects.filter(pk=d.pk).update(state=state)
        d.refresh_from_db()
        before = DisputeEvent.objects.filter(dispute=d).count()
        expected = DISPUTE_TRANSITIONS[action].get(state)
        if expected is None:
            with pytest.raises(TransitionNotAllowed):
                move(d)
            d.refresh_from_db()
            assert d.state == state and d.events.count() == before
        else:
            move(d)
            d.refresh_from_db()
            assert d.state == expected
            assert d.events.order_by("-id")[0].action == action
