"""Render faults: a missing font refuses at once (command, task, /health/, ``check``); the cover worker never
blocks on its output, is killed at the time limit, and dies with its parent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.publications import rendering, services
from members.publications.health import check_pdf_fonts
from members.publications.models import Publication, PublicationFile, PublicationState
from tests.helpers import act

from .conftest import PERIOD, PERIOD_END, PERIOD_START

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_fonts(tmp_path, monkeypatch):
    """A fontconfig configuration with no font at all: what a machine without (or still installing) the
    CJK font looks like to WeasyPrint and fc-match."""
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<dir>{tmp_path / "fonts"}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    return conf


def test_the_command_ends_within_a_minute_naming_the_missing_font_and_publishes_nothing(no_fonts, tmp_path):
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_DEBUG="1", REGISTRY_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="convention.settings")
    started = time.monotonic()
    # A bare SQLite file without tables: the refusal must come before the command writes anything.
    result = subprocess.run([sys.executable, "manage.py", "publish_list", "--period", "2025-03"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 60
    assert result.returncode != 0
    assert "Noto Sans CJK SC" in result.stderr and "缺少生成名单公告所需的字体" in result.stderr, result.stderr[-2000:]
    assert "no such table" not in result.stderr
    assert not (var / "publications").exists() or not any((var / "publications").rglob("*.pdf"))


def test_a_missing_font_is_refused_in_process_and_reported_by_check_and_health(no_fonts, march, client):
    with pytest.raises(CommandError, match="Noto Sans CJK SC"):
        call_command("publish_list", "--period", PERIOD)
    assert not Publication.objects.exists() and not PublicationFile.objects.exists()

    messages = check_pdf_fonts()
    assert [m.id for m in messages] == ["publications.W001", "publications.W001"]
    assert "Noto Sans CJK SC" in messages[0].msg and "Noto Serif CJK SC" in messages[1].msg
    assert [m.id for m in check_pdf_fonts(deploy=True)] == ["publications.E001"] * 2

    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    failing = {name: status for name, status in json.loads(response.content).items() if status != "OK"}
    assert len(failing) == 1 and "PdfFont" in next(iter(failing)), failing
    assert "Noto Sans CJK SC" in next(iter(failing.values()))


def test_a_queued_render_without_the_font_fails_with_the_reason_and_writes_no_file(no_fonts, march, settings):
    pub, _ = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    from members.publications.tasks import publication_render_task

    assert publication_render_task.delay(pub.pk).get() == PublicationState.FAILED
    pub.refresh_from_db()
    assert pub.state == PublicationState.FAILED and "Noto Sans CJK SC" in pub.error
    assert not pub.files.exists() and not list(Path(settings.PUBLICATIONS_ROOT).rglob("*.pdf"))


def test_the_health_check_and_check_pass_when_the_fonts_are_there(client):
    assert check_pdf_fonts() == []


def _cover_job(folder: Path, html: str) -> dict[str, str]:
    (folder / "cover.html").write_text(html, encoding="utf-8")
    return {"html": str(folder / "cover.html"), "out": str(folder / "cover.pdf"), "identifier": "t"}


def test_a_worker_that_floods_its_standard_error_still_finishes(tmp_path, caplog):
    # Each unknown property is one WeasyPrint warning on standard error: far more than a pipe holds.
    rules = "".join(f"p{{bogus-{i}: 1}}" for i in range(4000))
    html = f"<html><head><style>{rules}</style></head><body><p>中国互联网协会</p></body></html>"
    worker = rendering.CoverWorker(tmp_path)
    try:
        assert worker.render(_cover_job(tmp_path, html), rendering.Deadline(120)) == 1
    finally:
        worker.close()
    assert (tmp_path / "worker.err").stat().st_size > 200_000
    assert (tmp_path / "cover.pdf").read_bytes().startswith(b"%PDF")


def test_a_worker_past_the_time_limit_is_killed_and_the_render_refused(tmp_path):
    html = "<html><body>" + "<p>中国互联网协会 成员名单公告</p>" * 60000 + "</body></html>"
    worker = rendering.CoverWorker(tmp_path)
    try:
        with pytest.raises(rendering.RenderTimeout):
            worker.render(_cover_job(tmp_path, html), rendering.Deadline(3))
        assert worker.proc.poll() is not None  # gone, not left running
    finally:
        worker.close()
    assert not (tmp_path / "cover.pdf").exists()


PARENT = textwrap.dedent("""
    import os, signal, sys, django
    django.setup()
    from pathlib import Path
    from members.publications.rendering import CoverWorker
    worker = CoverWorker(Path(sys.argv[1]))
    print(worker.proc.pid, flush=True)
    sys.stdin.readline()
    os.kill(os.getpid(), signal.SIGKILL)  # the parent dies without any chance to clean up
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_worker_dies_with_its_parent(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "convention.settings",
           "REGISTRY_VAR_DIR": str(tmp_path)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert parent.stdout is not None and parent.stdin is not None
    worker_pid = int(parent.stdout.readline())
    assert _alive(worker_pid)
    parent.stdin.write("go\n")
    parent.stdin.flush()
    parent.wait(timeout=30)
    # The kernel delivers PR_SET_PDEATHSIG at once; allow the scheduler a moment on a loaded machine.
    deadline = time.monotonic() + 30
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker_pid)
