"""End to end, exactly as the README tells a newcomer: download the verifier and two bulletins from a
running site, then check their consistency with the standalone verifier, standard library only."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from members.publications.services import publication_publish_sync
from tests.factories import OrganisationFactory, make_signatory, withdraw
from tests.helpers import act


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def _verifier(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -I: isolated (no user site, no environment, no current directory on the path); -S: no site-packages.
    return subprocess.run([sys.executable, "-I", "-S", str(tmp / "verify_register.py"), *args],
                          capture_output=True, text=True, timeout=60, cwd=tmp)


@pytest.fixture
def two_bulletins(transactional_db, settings):
    settings.PUBLICATIONS_RENDER_JOBS = 1
    make_signatory(OrganisationFactory(name="甲骨文数字政务科技有限公司"), on=date(2025, 1, 10))
    first = publication_publish_sync(act(), "2025-01")
    org = make_signatory(OrganisationFactory(name="乙丙丁软件服务有限公司"), on=date(2025, 2, 3))
    withdraw(org, date(2025, 2, 20))
    second = publication_publish_sync(act(), "2025-02")
    return first, second


def test_a_newcomer_verifies_two_bulletins_against_the_live_site(live_server, two_bulletins, tmp_path):
    first, second = two_bulletins
    base = live_server.url
    (tmp_path / "verify_register.py").write_bytes(_get(f"{base}/verify/verify_register.py"))
    assert "verify_register.py" in _get(f"{base}/verify/").decode()
    older, newer = tmp_path / "bulletin-A.json", tmp_path / "bulletin-B.json"
    older.write_bytes(_get(f"{base}/bulletins/{first.number}/json/"))
    newer.write_bytes(_get(f"{base}/bulletins/{second.number}/json/"))
    pdf = tmp_path / "bulletin-B.pdf"
    pdf.write_bytes(_get(f"{base}/bulletins/{second.number}/pdf/"))

    run = _verifier(tmp_path, "consistency", older.name, newer.name, "--base-url", base)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "consistent" in run.stdout

    run = _verifier(tmp_path, "bulletin", newer.name, "--pdf", pdf.name)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "pdf file SHA-256" in run.stdout and f"consistent with bulletin {first.number}" in run.stdout

    run = _verifier(tmp_path, "fetch", "--base-url", base, str(first.number), str(second.number))
    assert run.returncode == 0, run.stdout + run.stderr

    # The PDF's own signature, against the certificate the site publishes, with the sibling verifier.
    (tmp_path / "verify_pdf.py").write_bytes(_get(f"{base}/verify/verify_pdf.py"))
    (tmp_path / "executive-body.pem").write_bytes(_get(f"{base}/verify/executive-body.pem"))
    run = subprocess.run([sys.executable, "-I", "-S", "verify_pdf.py", pdf.name, "--certificate", "executive-body.pem"],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0 and "signed with the trusted key" in run.stdout, run.stdout + run.stderr

    # A saved proof file works offline, and a rewritten history does not verify.
    sizes = [json.loads(p.read_text())["transparency"]["log_head"]["size"] for p in (older, newer)]
    proof = tmp_path / "proof.json"
    proof.write_bytes(_get(f"{base}/api/v1/log/proof/consistency/?first={sizes[0]}&second={sizes[1]}"))
    assert _verifier(tmp_path, "consistency", older.name, newer.name, "--proof", proof.name).returncode == 0
    forged = json.loads(older.read_text())
    root = bytearray(forged["transparency"]["log_head"]["root"].encode())
    root[0] = ord("A") if root[0] != ord("A") else ord("B")
    forged["transparency"]["log_head"]["root"] = root.decode()
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    run = _verifier(tmp_path, "consistency", "forged.json", newer.name, "--proof", proof.name)
    assert run.returncode == 1 and run.stdout.startswith("FAILED")
    pdf.write_bytes(pdf.read_bytes() + b"%")
    run = _verifier(tmp_path, "bulletin", newer.name, "--pdf", pdf.name)
    assert run.returncode == 1 and "pdf file has SHA-256" in run.stdout
