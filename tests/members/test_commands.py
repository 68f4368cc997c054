"""The staff's command-line tools: check_uscc and seed_demo."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from members.models import MembershipEvent, Organisation
from members.selectors import registry_inconsistencies

ROOT = Path(__file__).resolve().parents[2]


def _run(args, stdin=""):
    return subprocess.run([sys.executable, "manage.py", "check_uscc", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60, env={**os.environ, "REGISTRY_TESTING": "1"})


def test_check_uscc_prints_one_line_per_code_and_fails_on_any_invalid():
    result = _run(["91350100M000100Y43", "９１３５０１００Ｍ０００１００Ｙ４４"])
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "91350100M000100Y43\tvalid"
    assert lines[1].startswith("91350100M000100Y44\tinvalid\t第18位校验码与前17位不符")


def test_check_uscc_reads_standard_input_and_succeeds_when_all_are_valid():
    result = _run(["-"], stdin="91350100M000100Y43\n\n 91350100m000100y43 \n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["91350100M000100Y43\tvalid"] * 2


def test_check_uscc_speaks_english_on_request():
    result = _run(["--lang", "en", "123"])
    assert result.returncode == 1 and "must have 18 characters" in result.stdout


@pytest.mark.django_db
def test_seed_demo_is_deterministic_consistent_and_loads_once():
    out = io.StringIO()
    call_command("seed_demo", orgs=300, seed=7, stdout=out)
    first = list(Organisation.objects.order_by("uscc").values_list("uscc", "name", "status", "joined_on"))
    assert len(first) == 302  # 300 + the two demo applicants
    assert registry_inconsistencies() == []
    statuses = {s for _, _, s, _ in first}
    assert {"signatory", "withdrawn"} <= statuses
    assert MembershipEvent.objects.filter(kind="withdrew").exists()
    names = [n for _, n, _, _ in first]
    assert len(set(names)) == len(names) and all("公司" in n or "工作室" in n for n in names)
    call_command("seed_demo", once=True, stdout=out)
    assert Organisation.objects.count() == 302

    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username="admin@example.org", is_superuser=True).exists()
    assert Organisation.objects.get(name="北京演示申请科技有限公司").applications.get().state == "submitted"
    draft = Organisation.objects.get(name="上海演示草稿信息技术有限公司").applications.get()
    assert draft.state == "draft" and draft.current_document("sealed_page") is None

    # A few accounts for each role, every one able to log in with its published password.
    User = get_user_model()
    for login, password, group in [("admin2@example.org", "demo-admin-2026", None),
                                   ("reviewer2@example.org", "demo-reviewer-2026", "审核员"),
                                   ("publisher2@example.org", "demo-publisher-2026", "名单发布员"),
                                   ("rep1b@example.org", "demo-rep-2026", None)]:
        user = User.objects.get(username=login)
        assert user.check_password(password)
        assert group is None or user.groups.filter(name=group).exists()
    rep1, rep1b = (User.objects.get(username=u).representative for u in ("rep1@example.org", "rep1b@example.org"))
    assert rep1.organisation_id == rep1b.organisation_id and rep1.is_primary and not rep1b.is_primary

    # rep2's organisation is still a signatory, with its withdrawal acknowledged for a later day.
    from members.core import clock
    from members.selectors import scheduled_end

    org2 = User.objects.get(username="rep2@example.org").representative.organisation
    assert org2.status == "signatory"
    end = scheduled_end(org2)
    assert end is not None and end.ended_on > clock.today()


@pytest.mark.django_db
def test_seed_register_gives_the_same_data_for_the_same_seed():
    from django.db import transaction

    from members.demo import seed_register

    def snapshot():
        return list(Organisation.objects.order_by("uscc").values_list("uscc", "name", "roles", "joined_on"))

    with transaction.atomic():
        seed_register(50, seed=11)
        a = snapshot()
        transaction.set_rollback(True)
    seed_register(50, seed=11)
    assert snapshot() == a
