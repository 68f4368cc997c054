"""Demo amendments (Art 24), after ``seed_demo``: a living convention, not a frozen version 1.

- an executive proposal adopted by ballot, which made version 2 (its diff is on the public site);
- an executive proposal rejected by ballot;
- a ballot still open, on which the demo representatives have not voted yet;
- a member proposal gathering sponsors.

Every step goes through the services, with the demo publisher and the members' representatives as
actors; the members who vote get a representative account without a password (nobody logs in as them).
``--once`` does nothing if proposals exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from convention.amendments import services
from convention.amendments.models import Ballot, Proposal
from convention.models import ConventionVersion
from members.core import clock
from members.core.policy import actor_for
from members.models import Organisation, Representative
from members.selectors import current_signatories

PUBLISHER_LOGIN = "publisher1@example.org"
DEMO_LOGINS = ("rep1@example.org", "rep1b@example.org", "rep2@example.org", "rep3@example.org")


class Command(BaseCommand):
    help = "Load demo amendments: an adopted one (version 2), a rejected one, an open ballot, a proposal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="do nothing if proposals already exist")

    @transaction.atomic
    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once and Proposal.objects.exists():
            self.stdout.write("Demo amendments already loaded; nothing to do.")
            return
        publisher = get_user_model().objects.filter(username=PUBLISHER_LOGIN).first()
        if publisher is None:
            raise CommandError("run seed_demo first: the demo publisher account is missing")
        staff = actor_for(publisher, staff_verified=True)
        demo_orgs = set(Representative.objects.filter(user__username__in=DEMO_LOGINS)
                        .values_list("organisation_id", flat=True))
        voters = [o for o in current_signatories().order_by("id") if o.pk not in demo_orgs]
        n = current_signatories().count()

        adopted = self._ballot(staff, "关于明确政务应用程序形态的修订",
                               "政务应用程序的形态已不限于客户端、小程序和快应用，定义应当覆盖公众号等服务号形态。",
                               2, ("快应用等", "快应用、公众号服务号等"))
        self._cast(adopted, voters[: adopted.yes_needed], "yes")
        rejected = self._ballot(staff, "关于将其他服务提供者纳入适用范围的修订",
                                "建议将其他服务提供者由“倡议遵守”改为“适用”。",
                                3, ("并且倡议其他服务提供者积极遵守", "其他服务提供者同样适用本公约"))
        self._cast(rejected, voters[: n - rejected.yes_needed + 1], "no")
        open_ballot = self._ballot(staff, "关于增加便民减负原则表述的修订", "在服务原则中突出“便民减负”。",
                                   4, ("便民减负、安全可靠", "便民减负、公开透明、安全可靠"), days=14)
        self._cast(open_ballot, voters[:5], "yes")
        self._cast(open_ballot, voters[5:7], "no")
        self._cast(open_ballot, voters[7:8], "abstain")
        # Still gathering: proposer + sponsors s stay below the one-tenth rule (10·s ≥ N qualifies).
        self._member_proposal(voters[8:8 + max(0, min(2, (n - 1) // 10 - 1))])

        for ballot in (adopted, rejected, open_ballot):
            ballot.refresh_from_db()
        latest = ConventionVersion.objects.order_by("-number").first()
        assert latest is not None and adopted.outcome == "adopted" and rejected.outcome == "rejected"
        self.stdout.write(f"Amendments: ballot #{adopted.pk} adopted (convention version {latest.number}), "
                          f"#{rejected.pk} rejected, #{open_ballot.pk} open until "
                          f"{open_ballot.deadline:%Y-%m-%d}.")

    def _ballot(self, staff: Any, title: str, rationale: str, article: int, edit: tuple[str, str], *,
                days: int = 30) -> Ballot:
        version = ConventionVersion.objects.order_by("-number").first()
        assert version is not None
        text = version.articles.get(number=article).text
        old, new = edit
        new_text = text.replace(old, new) if old in text else f"{text}{new}。"
        proposal = services.proposal_create(staff, title=title, rationale=rationale, executive=True,
                                            changes=[{"kind": "amend", "article_number": article,
                                                      "new_text": new_text}])
        services.proposal_submit(staff, proposal)
        return services.ballot_open(staff, proposal, deadline=clock.now() + timedelta(days=days))

    def _cast(self, ballot: Ballot, orgs: list[Organisation], choice: str) -> None:
        for org in orgs:
            ballot.refresh_from_db()
            if not ballot.is_open:
                return
            services.ballot_cast(actor_for(_voter(org)), ballot, choice=choice)

    def _member_proposal(self, sponsors: list[Organisation]) -> None:
        rep = Representative.objects.filter(user__username="rep3@example.org").select_related("user").first()
        if rep is None:
            return
        version = ConventionVersion.objects.order_by("-number").first()
        assert version is not None
        text = version.articles.get(number=5).text
        proposal = services.proposal_create(
            actor_for(rep.user), title="关于细化服务商管理义务的修订提议",
            rationale="建议明确服务商对下架、停运的政务应用程序及时通知用户的义务。",
            changes=[{"kind": "amend", "article_number": 5,
                      "new_text": f"{text}政务应用程序下架或者停止运营的，应当提前告知用户。"}])
        services.proposal_submit(actor_for(rep.user), proposal)
        for org in sponsors:
            services.proposal_sponsor(actor_for(_voter(org)), proposal)


def _voter(org: Organisation) -> Any:
    """The organisation's representative, created without a password when the demo has none for it."""
    rep = org.representatives.select_related("user").order_by("id").first()
    if rep is not None:
        return rep.user
    User = get_user_model()
    email = f"voter{org.pk}@example.org"
    user = User.objects.create_user(email, email)  # no usable password: it only acts in this command
    Representative.objects.create(user=user, organisation=org, is_primary=True)
    return user
