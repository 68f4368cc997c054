"""Publishing a period: files, hashes, PDF text and fonts, determinism, failures, triggers, immutability."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from pypdf import PdfReader

from members.core import clock
from members.core.errors import Conflict, DomainError, TransitionNotAllowed
from members.publications import rendering, services
from members.publications.models import Publication, PublicationFile, PublicationState
from tests.helpers import act

from .conftest import PERIOD, PERIOD_END, PERIOD_START


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _fonts(reader: Any) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                desc = desc.get_object()
                descriptor = desc.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                names.add(f"{desc['/BaseFont']}|{'embedded' if embedded else 'missing'}")
    return names


def _font_programs(path: Path) -> dict[str, int]:
    import pikepdf

    faces: dict[str, int] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
                    and any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3"))):
                face = str(obj.FontName).split("+", 1)[-1]
                faces[face] = faces.get(face, 0) + 1
    return faces


def test_it_publishes_a_period_with_pdf_csv_and_json(march, settings, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pub = services.publication_publish_sync(act(), PERIOD)

    assert pub.state == PublicationState.PUBLISHED and pub.published_at is not None and pub.attempts == 1
    assert (pub.number, pub.period_start, pub.period_end) == (1, PERIOD_START, PERIOD_END)
    files = {f.kind: f for f in pub.files.all()}
    assert set(files) == {"pdf", "csv", "json"}
    for f in files.values():
        data = (settings.PUBLICATIONS_ROOT / f.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f.sha256 and len(data) == f.size
    assert _files(settings.PUBLICATIONS_ROOT) == sorted(settings.PUBLICATIONS_ROOT / f.path for f in files.values())

    reader: Any = PdfReader(settings.PUBLICATIONS_ROOT / files["pdf"].path)
    assert len(reader.pages) == pub.page_count
    texts = [page.extract_text() for page in reader.pages]
    text = "\n".join(texts)
    for org in (march.joined, march.withdrew, march.revoked, march.stayed):
        assert org.name in text
    assert march.before.name not in text
    assert "违反公约第十二条" in text and march.joined.public_uscc in text
    for n, page_text in enumerate(texts, start=1):
        assert f"第 {n} 页 / 共 {pub.page_count} 页" in page_text
        assert "第 1 期" in page_text and "2025-03-01 至 2025-03-31" in page_text
    fonts = _fonts(reader)
    assert fonts and all(name.endswith("|embedded") for name in fonts)
    assert any("Noto-Sans-CJK-SC" in name for name in fonts)
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    # Each face is embedded once for the whole document.
    programs = _font_programs(settings.PUBLICATIONS_ROOT / files["pdf"].path)
    assert programs and all(n == 1 for n in programs.values()), programs

    meta = reader.metadata
    assert "2025-03-01 至 2025-03-31" in meta.title and "第 1 期" in meta.title
    assert "《政务移动互联网应用程序行业生态服务商自律公约》" in meta.title and meta.author == "中国互联网协会"
    assert meta["/CreationDate"].startswith("D:20250331235959")
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"

    csv_text = (settings.PUBLICATIONS_ROOT / files["csv"].path).read_bytes().decode("utf-8-sig")
    data = json.loads((settings.PUBLICATIONS_ROOT / files["json"].path).read_bytes())
    assert [u["name"] for u in data["joined"]] == [march.joined.name]
    assert [u["name"] for u in data["withdrew"]] == [march.withdrew.name]
    assert [u["name"] for u in data["revoked"]] == [march.revoked.name]
    assert len(data["roster"]) == 2 and data["bulletin_number"] == 1
    assert csv_text.count("\r\n") == 1 + 1 + 1 + 1 + 2
    # Private values never reach a published file.
    for private in (march.joined.contact_phone, march.joined.contact_email, march.joined.contact_name,
                    "私密理由不公开", "内部核查记录"):
        assert private not in text and private not in csv_text and private not in json.dumps(data, ensure_ascii=False)


def test_two_renders_of_one_period_have_the_same_bytes(march, tmp_path):
    pub, _ = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    files_a, pages_a = services.render_files(pub, first)
    files_b, pages_b = services.render_files(pub, second)
    assert files_a == files_b and pages_a == pages_b
    for f in files_a:
        assert (first / f.name).read_bytes() == (second / f.name).read_bytes()


def test_the_cover_laid_out_in_the_worker_gives_the_same_bytes_as_in_process(march, settings, tmp_path):
    settings.PUBLICATIONS_RENDER_SUBPROCESS = True
    pub, _ = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    files, pages = services.render_files(pub, tmp_path)
    reader: Any = PdfReader(tmp_path / files[0].name)
    assert len(reader.pages) == pages >= 2
    texts = [p.extract_text() for p in reader.pages]
    for n, page_text in enumerate(texts, start=1):
        assert f"第 {n} 页 / 共 {pages} 页" in page_text and "第 1 期" in page_text
    assert march.stayed.name in texts[-1]
    assert reader.metadata["/CreationDate"].startswith("D:20250331235959")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".render-")]  # the worker's folder is gone
    settings.PUBLICATIONS_RENDER_SUBPROCESS = False
    again = tmp_path / "again"
    again.mkdir()
    assert services.render_files(pub, again)[0] == files


def test_a_render_that_fails_half_way_leaves_nothing_published_and_can_be_run_again(march, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full half-way")

    monkeypatch.setattr(rendering, "render_csv", broken)  # the PDF is already written by then
    with pytest.raises(RuntimeError):
        services.publication_publish_sync(act(), PERIOD)
    pub = Publication.objects.get()
    assert pub.state == PublicationState.FAILED and "disk full" in pub.error and pub.published_at is None
    assert not PublicationFile.objects.exists()
    assert _files(settings.PUBLICATIONS_ROOT) == []

    monkeypatch.undo()
    pub = services.publication_render(act(), pub.pk)
    assert pub.state == PublicationState.PUBLISHED and pub.attempts == 2 and pub.files.count() == 3


def test_a_failure_after_files_are_moved_removes_them(march, settings, monkeypatch):
    real_create = PublicationFile.objects.create

    def create_then_crash(**kwargs):
        real_create(**kwargs)
        raise IntegrityError("lost the database half-way")

    monkeypatch.setattr(PublicationFile.objects, "create", create_then_crash)
    with pytest.raises(IntegrityError):
        services.publication_publish_sync(act(), PERIOD)
    assert Publication.objects.get().state == PublicationState.FAILED
    assert not PublicationFile.objects.exists()
    assert _files(settings.PUBLICATIONS_ROOT) == []


def test_a_claim_left_by_a_killed_worker_is_taken_over_once_stale(march, settings):
    pub, _ = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    # A worker claimed it and was killed: its staging folder is still there.
    Publication.objects.filter(pk=pub.pk).update(state=PublicationState.RENDERING, claim_token="dead",
                                                 claimed_at=clock.now(), attempts=1)
    leftover = settings.PUBLICATIONS_ROOT / ".staging" / f"{pub.file_stem}-dead"
    leftover.mkdir(parents=True)
    (leftover / "half.pdf").write_bytes(b"%PDF-1.7 half")

    assert services.publication_render(act(), pub.pk).state == PublicationState.RENDERING  # claim still fresh: hands off
    assert not PublicationFile.objects.exists()

    Publication.objects.filter(pk=pub.pk).update(claimed_at=clock.now() - services.STALE_CLAIM - timedelta(seconds=1))
    pub = services.publication_render(act(), pub.pk)
    assert pub.state == PublicationState.PUBLISHED and pub.attempts == 2
    assert not leftover.exists()
    assert len(_files(settings.PUBLICATIONS_ROOT)) == 3


def test_double_triggers_make_one_publication(march, django_capture_on_commit_callbacks):
    from members.publications.tasks import publication_render_task

    with django_capture_on_commit_callbacks(execute=True) as queued:
        first, created = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END)
    with django_capture_on_commit_callbacks(execute=True) as queued_again:
        second, created_again = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END)
    assert created and not created_again and first.pk == second.pk
    assert (len(queued), len(queued_again)) == (1, 0)
    assert Publication.objects.count() == 1
    first.refresh_from_db()
    assert first.state == PublicationState.PUBLISHED and first.attempts == 1
    publication_render_task.delay(first.pk)  # a duplicate delivery of the task: the claim makes it a no-op
    first.refresh_from_db()
    assert first.attempts == 1 and first.files.count() == 3


def test_a_racing_trigger_that_loses_the_insert_reads_the_winner(march, monkeypatch):
    winner, _ = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    # The loser looked before the winner committed: its first read finds nothing, its insert collides.
    real_filter = Publication.objects.filter
    calls = {"n": 0}

    def filter_missing_once(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if "corrects__isnull" in kwargs and calls["n"] == 0:
            calls["n"] += 1
            return qs.none()
        return qs

    monkeypatch.setattr(Publication.objects, "filter", filter_missing_once)
    loser, created = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    assert not created and loser.pk == winner.pk and calls["n"] == 1
    assert Publication.objects.count() == 1


def test_the_database_refuses_a_second_bulletin_for_a_period(march):
    Publication.objects.create(number=1, period_start=PERIOD_START, period_end=PERIOD_END)
    with pytest.raises(IntegrityError):
        Publication.objects.create(number=2, period_start=PERIOD_START, period_end=PERIOD_END)


def test_a_published_bulletin_is_immutable_and_a_correction_names_it(march, settings,
                                                                     django_capture_on_commit_callbacks):
    pub = services.publication_publish_sync(act(), PERIOD)
    hashes = sorted(pub.files.values_list("sha256", flat=True))
    services.publication_render(act(), pub.pk)
    pub.refresh_from_db()
    assert pub.attempts == 1 and sorted(pub.files.values_list("sha256", flat=True)) == hashes
    with pytest.raises(TypeError):
        PublicationFile.objects.filter(publication=pub).update(sha256="0" * 64)

    with django_capture_on_commit_callbacks(execute=True):
        correction = services.publication_correct(act(), pub)
    correction.refresh_from_db()
    assert correction.corrects == pub and correction.number == 2 and correction.state == PublicationState.PUBLISHED
    text = "".join(p.extract_text() for p in PdfReader(
        settings.PUBLICATIONS_ROOT / correction.files.get(kind="pdf").path).pages)
    assert "本期为对第 1 期的更正" in text
    with pytest.raises(Conflict):
        services.publication_correct(act(), pub)
    with pytest.raises(TransitionNotAllowed):
        services.publication_requeue(act(), pub)


def test_it_refuses_a_period_that_has_not_ended(db, monkeypatch):
    from datetime import date

    monkeypatch.setattr(clock, "today", lambda: date(2025, 3, 31))
    with pytest.raises(DomainError) as exc:
        services.publication_publish_sync(act(), "2025-03")
    assert exc.value.code == "period_not_over" and not Publication.objects.exists()


def test_the_command_publishes_and_prints_one_json_line(march, settings):
    out = io.StringIO()
    call_command("publish_list", "--period", PERIOD, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert (result["number"], result["period"], result["status"]) == (1, "2025-03", "published")
    assert {f["kind"] for f in result["files"]} == {"pdf", "csv", "json"}
    for f in result["files"]:
        assert hashlib.sha256(Path(f["path"]).read_bytes()).hexdigest() == f["sha256"]
    again = io.StringIO()
    call_command("publish_list", "--period", PERIOD, stdout=again)
    assert json.loads(again.getvalue()) == result and Publication.objects.count() == 1


def test_a_transient_failure_goes_back_to_the_queue_and_the_sweep_renders_it(march, monkeypatch, settings,
                                                                             django_capture_on_commit_callbacks):
    from members.publications.tasks import publication_render_task

    pub, _ = services.publication_request(act(), period_start=PERIOD_START, period_end=PERIOD_END, queue=False)
    real = services.render_files
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("NFS hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "render_files", flaky)
    assert publication_render_task.delay(pub.pk).get() == PublicationState.QUEUED  # no broker-delayed retry
    pub.refresh_from_db()
    assert pub.state == PublicationState.QUEUED and "NFS hiccup" in pub.error and not pub.files.exists()
    assert services.publication_sweep_stuck(act()) == {"requeued": 0, "failed": 0}  # not yet: within the grace
    Publication.objects.filter(pk=pub.pk).update(queued_at=clock.now() - services.QUEUE_GRACE - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publication_sweep_stuck(act()) == {"requeued": 1, "failed": 0}
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED and pub.attempts == 2 and calls["n"] == 2
    assert services.publication_sweep_stuck(act()) == {"requeued": 0, "failed": 0}  # idempotent
    timeout = settings.PUBLICATIONS_RENDER_TIMEOUT
    assert (publication_render_task.soft_time_limit, publication_render_task.time_limit) == (timeout + 30, timeout + 60)
