"""Load deterministic demo data: organisations with histories, staff and representative accounts."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from members import services
from members.core.policy import SYSTEM, actor_for
from members.demo import blank_pdf, seed_register
from members.models import Document, MembershipStatus, Organisation, Representative
from members.selectors import registry_inconsistencies

DEMO_PASSWORDS = {"admin@example.org": "demo-admin-2026", "rep": "demo-rep-2026"}


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
        admin_email = "admin@example.org"
        if not User.objects.filter(username=admin_email).exists():
            User.objects.create_superuser(admin_email, admin_email, DEMO_PASSWORDS[admin_email])
        signatories = list(Organisation.objects.filter(status=MembershipStatus.SIGNATORY).order_by("id")[:3])
        for n, org in enumerate(signatories, start=1):
            email = f"rep{n}@example.org"
            if User.objects.filter(username=email).exists():
                continue
            user = User.objects.create_user(email, email, DEMO_PASSWORDS["rep"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            Representative.objects.create(user=user, organisation=org, is_primary=True)
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


def _applicant_code() -> str:
    from members import uscc

    return uscc.make("91", "110108", "MADEM001")
