"""A correction bulletin states what changed against the bulletin it corrects; others say nothing new."""

from __future__ import annotations

import json
from datetime import date

from pypdf import PdfReader

from members.details.models import OrganisationDetails
from members.publications import services
from members.publications.selectors import correction_statement, published_content
from tests.helpers import act

from .conftest import PERIOD


def _json(pub) -> dict:
    return json.loads(services.file_path(pub.files.get(kind="json")).read_text(encoding="utf-8"))


def test_a_correction_lists_each_corrected_line_and_an_unchanged_one_says_so(march, settings,
                                                                            django_capture_on_commit_callbacks):
    pub = services.publication_publish_sync(act(), PERIOD)
    assert "changes" not in _json(pub)  # an ordinary bulletin keeps its exact bytes and keys
    # A recorded mistake in March's details is fixed in the record (as a data fix would): a version
    # valid from the day the organisation's period started in place of the wrong one.
    stayed = march.stayed
    OrganisationDetails.objects.create(organisation=stayed, valid_from=date(2025, 1, 10), name="甲骨文数字政务科技股份有限公司",
                                       name_en="", roles=stayed.roles, region=stayed.region,
                                       uscc_public=stayed.public_uscc, reason="更正登记错误")
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.publication_correct(act(), pub)
    correction.refresh_from_db()
    changes = _json(correction)["changes"]
    assert changes == [f"签署成员名录：{stayed.public_uscc} 的名称由“甲骨文数字政务科技有限公司”更正为“甲骨文数字政务科技股份有限公司”"]
    text = "".join(p.extract_text() for p in PdfReader(
        settings.PUBLICATIONS_ROOT / correction.files.get(kind="pdf").path).pages)
    assert "更正内容" in text and "甲骨文数字政务科技股份有限公司" in text
    # Recomputed against itself: nothing changed.
    from members.publications.selectors import bulletin_content

    same = correction_statement(correction.number, published_content(correction),
                                bulletin_content(correction.period_start, correction.period_end))
    assert same == [f"与第 {correction.number} 期相比，名单内容没有变化。"]
