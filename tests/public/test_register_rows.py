"""The register's rows written in Python (members.public.views._rows_markup) are the markup of the
template loop they replaced, escaping included, in both languages."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils import translation

from members.public import views

LABELS = ('{% set l_uscc = _("统一社会信用代码") %}{% set l_roles = _("角色") %}{% set l_region = _("地区") %}'
          '{% set l_status = _("状态") %}{% set l_joined = _("加入日期") %}{% set l_left = _("退出/取消日期") -%}')
LOOP = LABELS + """{% for pk, name, name_en, uscc, roles, region, status, status_label, joined, left in rows %}<tr>
  <td class="card-title"><a href="{{ profile_prefix }}{{ pk }}/">{{ name }}</a>{% if name_en %}<br><span class="muted">{{ name_en }}</span>{% endif %}</td>
  <td data-label="{{ l_uscc }}" class="code">{{ uscc }}</td><td data-label="{{ l_roles }}">{{ roles }}</td><td data-label="{{ l_region }}">{{ region }}</td>
  <td data-label="{{ l_status }}"><span class="badge {{ status }}">{{ status_label }}</span></td>
  <td data-label="{{ l_joined }}"><span class="date">{{ joined }}</span></td><td data-label="{{ l_left }}"{% if not left %} class="empty"{% endif %}><span class="date">{{ left }}</span></td>
</tr>{% endfor %}"""

ROWS = [
    (1, "北京云端科技有限公司", "Beijing Cloud Tech Co., Ltd.", "91110108MA01XXXX1X", "开发者、运营者", "北京市", "signatory",
     "签署成员", "2024-03-01", ""),
    (22, 'A&B "<script>"公司', "", "92330106*********X", "分发者", "浙江省", "withdrawn", "已退出", "2023-01-10",
     "2024-02-01"),
    (333, "上海\'数字\'", "O'Brien & Sons <Ltd>", "", "", "", "revoked", "已取消", "", "2024-05-20"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_are_the_template_loops_markup(language):
    template = engines["jinja2"].from_string(LOOP)
    with translation.override(language):
        expected = template.render({"rows": ROWS, "profile_prefix": "/register/"})
        assert str(views._rows_markup(ROWS, "/register/")) == expected
    assert "&lt;script&gt;" in expected and "<script>" not in expected
