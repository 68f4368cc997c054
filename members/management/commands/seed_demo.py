"""Load deterministic demo data: organisations with histories, staff and representative accounts."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from members import services
from members.core.policy import SYSTEM, actor_for
from members.demo import blank_pdf, seed_register
from members.groups import PUBLISHER, REVIEWER
from members.models import Document, MembershipStatus, Organisation, Representative
from members.selectors import registry_inconsistencies

DEMO_PASSWORDS = {"admin@example.org": "demo-admin-2026", "rep": "demo-rep-2026"}
# A few accounts for each role (published demo logins, printed by `make run` and listed in the README).
DEMO_STAFF = [  # (login, password, group or "" for a superuser)
    ("admin@example.org", "demo-admin-2026", ""), ("admin2@example.org", "demo-admin-2026", ""),
    ("reviewer1@example.org", "demo-reviewer-2026", REVIEWER), ("reviewer2@example.org", "demo-reviewer-2026", REVIEWER),
    ("publisher1@example.org", "demo-publisher-2026", PUBLISHER),
    ("publisher2@example.org", "demo-publisher-2026", PUBLISHER),
]
DEMO_REPRESENTATIVES = 3  # rep1 … rep3 for three signatories; rep1b is rep1's colleague


class Command(BaseCommand):
    help = "Load deterministic demo data (organisations, histories, demo accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=150, help="number of organisations (default 150)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
        parser.add_argument("--once", action="store_true", help="do nothing if the register already has data")
        parser.add_argument("--no-accounts", action="store_true", help="skip demo accounts")

    def handle(self, *args: Any, orgs: int, seed: int, once: bool, no_accounts: bool, **options: Any) -> None:
        if once and Organisation.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        started = time.perf_counter()
        result = seed_register(orgs, seed, start_index=Organisation.objects.count())
        if not no_accounts:
            self._accounts()
        problems = registry_inconsistencies() if orgs <= 20000 else []
        if problems:
            raise SystemExit(f"demo data inconsistent: {problems[:3]}")
        self._extras()
        self.stdout.write(
            f"Seeded {result.organisations} organisations, {result.events} events, "
            f"{result.signatories} current signatories in {time.perf_counter() - started:.1f} s."
        )

    @transaction.atomic
    def _accounts(self) -> None:
        from allauth.account.models import EmailAddress

        User = get_user_model()
        for email, password, group in DEMO_STAFF:
            if User.objects.filter(username=email).exists():
                continue
            if group:
                user = User.objects.create_user(email, email, password, is_staff=True)
                user.groups.add(Group.objects.get(name=group))
            else:
                User.objects.create_superuser(email, email, password)
        signatories = list(Organisation.objects.filter(status=MembershipStatus.SIGNATORY).order_by("id")
                           [:DEMO_REPRESENTATIVES])
        logins = [(f"rep{n}@example.org", org, True) for n, org in enumerate(signatories, start=1)]
        logins.append(("rep1b@example.org", signatories[0], False))
        for email, org, primary in logins:
            if User.objects.filter(username=email).exists():
                continue
            user = User.objects.create_user(email, email, DEMO_PASSWORDS["rep"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            Representative.objects.create(user=user, organisation=org, is_primary=primary)
        # An applicant whose application waits for review, so staff have something to do.
        email = "applicant@example.org"
        if not User.objects.filter(username=email).exists():
            user = User.objects.create_user(email, email, DEMO_PASSWORDS["rep"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            applicant = actor_for(user)  # the demo applicant acts for itself, through the same policy
            app = services.application_create(
                applicant, uscc=_applicant_code(),
                data={"name": "北京演示申请科技有限公司", "name_en": "Beijing Demo Applicant Technology Co., Ltd.",
                      "roles": ["developer", "operator"], "region": "110000", "website": "https://demo.example.cn",
                      "contact_name": "张三", "contact_phone": "010-12345678", "contact_email": email},
            )
            for kind in (Document.Kind.BUSINESS_LICENCE, Document.Kind.SEALED_PAGE):
                services.document_upload(
                    applicant, organisation=app.organisation, kind=kind, application=app,
                    upload=SimpleUploadedFile(f"{kind}.pdf", blank_pdf(kind), "application/pdf"),
                )
            services.application_submit(applicant, app)
        # A second applicant with a draft still missing its sealed page: the checklist has work to show.
        email = "applicant2@example.org"
        if not User.objects.filter(username=email).exists():
            user = User.objects.create_user(email, email, DEMO_PASSWORDS["rep"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            applicant = actor_for(user)
            app = services.application_create(
                applicant, uscc=_applicant_code("MADEM002", "310104"),
                data={"name": "上海演示草稿信息技术有限公司", "name_en": "Shanghai Demo Draft IT Co., Ltd.",
                      "roles": ["distributor"], "region": "310000", "website": "",
                      "contact_name": "李四", "contact_phone": "021-12345678", "contact_email": email},
            )
            services.document_upload(
                applicant, organisation=app.organisation, kind=Document.Kind.BUSINESS_LICENCE, application=app,
                upload=SimpleUploadedFile("licence.pdf", blank_pdf("licence"), "application/pdf"))
        self._scheduled_withdrawal()

    def _scheduled_withdrawal(self) -> None:
        """rep2's organisation gave notice to leave at the end of next month; staff acknowledged it for that
        day, so the membership is still current and its end is shown everywhere with its date."""
        from members.core import clock

        rep = Representative.objects.filter(user__username="rep2@example.org").select_related("organisation").first()
        if rep is None or rep.organisation.withdrawals.exists():
            return
        today = clock.today()
        next_month_end = (today.replace(day=28) + timedelta(days=40)).replace(day=1) - timedelta(days=1)
        notice = services.withdrawal_file(actor_for(rep.user), rep.organisation, reason="演示：业务调整，计划退出。",
                                          requested_date=next_month_end)
        reviewer = get_user_model().objects.get(username="reviewer1@example.org")
        services.withdrawal_acknowledge(actor_for(reviewer, staff_verified=True), notice)

    def _extras(self) -> None:
        """A published bulletin for each of the last three complete months (oldest first, so their
        numbers follow the calendar), so that the archive and the home page have something real."""
        from members.core import clock
        from members.publications.selectors import last_completed_period
        from members.publications.services import publication_publish_sync

        periods = []
        day = clock.today()
        for _ in range(3):
            start, end = last_completed_period(day)
            periods.append((start, end))
            day = start
        for period in reversed(periods):
            publication_publish_sync(SYSTEM, period)


def _applicant_code(body: str = "MADEM001", division: str = "110108") -> str:
    from members import uscc

    return uscc.make("91", division, body)
