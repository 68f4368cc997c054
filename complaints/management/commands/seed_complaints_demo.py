"""Demo cases for the complaints desk: reports in every state, each measure, and a mediation.

Runs after ``seed_demo`` (it needs current signatories); ``--once`` does nothing if cases exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from complaints import services
from complaints.models import Complaint, tracking_code_display
from members.core import clock
from members.core.policy import ANONYMOUS, actor_for
from members.groups import COMPLAINT_OFFICER
from members.models import Organisation, Representative
from members.selectors import current_signatories

OFFICER = "officer@example.org"
OFFICER_2 = "officer2@example.org"  # a second officer: a few accounts for each role
OFFICER_PASSWORD = "demo-officer-2026"  # noqa: S105 - a published demo login, like seed_demo's


class Command(BaseCommand):
    help = "Load demo complaints, measures and a mediation case (after seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="do nothing if complaints already exist")

    @transaction.atomic
    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once and Complaint.objects.exists():
            self.stdout.write("Demo complaints already loaded; nothing to do.")
            return
        with_reps = list(current_signatories().filter(representatives__isnull=False).distinct().order_by("id")[:2])
        others = list(current_signatories().filter(representatives__isnull=True).order_by("id")[:3])
        if len(with_reps) < 2 or len(others) < 3:
            raise CommandError("run seed_demo first: need two signatories with representatives and three more")
        # The demo acts through the same policy: the officer as a verified staff session would.
        officer = actor_for(self._officer(), staff_verified=True)
        first, second = with_reps
        open_case = services.complaint_file(ANONYMOUS, organisation=others[0], description="演示：该应用首页强制签到。",
                                            app_name="演示办事", app_kind="mini_program", article_number=14)
        closed = self._decided(others[1], officer, substantiate=False)
        measured = self._decided(first, officer, substantiate=True)
        services.correction_order_issue(officer, measured, requirement="演示：请下架强制签到功能。",
                                        deadline=clock.today() + timedelta(days=14))
        services.internal_notice_issue(officer, measured, title="关于演示单位强制签到的内部通报",
                                       body="演示：经查证属实，已要求限期整改。")
        revoked = self._decided(others[2], officer, substantiate=True)
        services.complaint_revoke_membership(officer, revoked, reason="演示：拒不整改",
                                             public_notice="演示：多次强制用户签到，经要求改正仍拒不整改。")
        rep = Representative.objects.filter(organisation=first).order_by("id").first()
        assert rep is not None
        dispute = services.dispute_request(actor_for(rep.user), respondent=second, subject="演示：接口费用结算争议",
                                           description="演示：对方未按约定结算接口费用。")
        services.dispute_start_mediation(officer, dispute, comment="演示：已受理")
        services.dispute_record_step(officer, dispute, step="演示：组织双方电话会议。")
        self.stdout.write(f"Complaint officers: {OFFICER}, {OFFICER_2} / {OFFICER_PASSWORD}")
        self.stdout.write(f"Tracking code of the open demo report: {tracking_code_display(open_case.tracking_code)}")
        self.stdout.write(f"Unfounded demo report #{closed.pk}; revoked: {revoked.organisation.name}")

    def _officer(self) -> Any:
        User = get_user_model()
        for login in (OFFICER_2, OFFICER):
            officer = User.objects.filter(username=login).first()
            if officer is None:
                officer = User.objects.create_user(login, login, OFFICER_PASSWORD, is_staff=True)
            officer.groups.add(Group.objects.get(name=COMPLAINT_OFFICER))
        return officer

    def _decided(self, org: Organisation, officer: Any, *, substantiate: bool) -> Complaint:
        c = services.complaint_file(ANONYMOUS, organisation=org, description="演示：强制收集与服务无关的个人信息。",
                                    reporter_name="演示举报人", reporter_email="reporter@example.net").complaint
        services.complaint_start_verification(officer, c)
        if substantiate:
            return services.complaint_substantiate(officer, c, finding="演示：查证属实。")
        return services.complaint_close_unfounded(officer, c, reason="演示：经核查不属实。")
