"""Names are ordered by pinyin on every database, through the stored key ``name_sort``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Organisation
from members.sorting import name_sort_key
from tests.factories import OrganisationFactory, make_signatory


def test_it_orders_by_pinyin_not_by_code_point():
    names = ["中国移动有限公司", "北京云端科技有限公司", "阿里巴巴网络技术有限公司"]
    assert sorted(names) != sorted(names, key=name_sort_key)  # code point order: 中 < 北 < 阿
    assert sorted(names, key=name_sort_key) == ["阿里巴巴网络技术有限公司", "北京云端科技有限公司", "中国移动有限公司"]


def test_it_reads_polyphonic_characters_from_phrases():
    # 重庆 is chóng qìng (not zhòng) and 银行 is yín háng (not xíng): both by pypinyin's phrase dictionary.
    assert name_sort_key("重庆数字科技").startswith("chong2qing4")
    assert name_sort_key("银行卡服务").startswith("yin2hang2")
    assert sorted(["中国科技", "重庆科技"], key=name_sort_key) == ["重庆科技", "中国科技"]


def test_it_orders_syllables_as_a_dictionary_does():
    assert sorted(["昂立", "安徽", "爱奇艺", "阿里"], key=name_sort_key) == ["阿里", "爱奇艺", "安徽", "昂立"]
    assert sorted(["北京云端", "北京"], key=name_sort_key) == ["北京", "北京云端"]  # a prefix first


def test_it_folds_full_width_latin_and_ignores_punctuation():
    assert name_sort_key("ＡＢＣ科技").startswith("abc0ke1")
    assert name_sort_key("深圳（北京）科技").startswith("shen1zhen4bei3jing1ke1ji4")


def test_the_key_keeps_homophones_apart_and_uses_only_safe_characters():
    assert name_sort_key("李氏") != name_sort_key("里氏")
    key = name_sort_key("深圳ABC科技 360（北京）·有限公司𠀀")
    assert set(key) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


@pytest.mark.django_db
def test_saving_an_organisation_stores_its_key(db):
    org = OrganisationFactory(name="中国移动有限公司")
    assert Organisation.objects.get(pk=org.pk).name_sort == name_sort_key("中国移动有限公司")
    org.name = "阿里巴巴有限公司"
    org.save(update_fields=["name"])
    assert Organisation.objects.get(pk=org.pk).name_sort == name_sort_key("阿里巴巴有限公司")


@pytest.mark.django_db
def test_the_register_api_and_exports_list_names_in_pinyin_order(client, db):
    for name in ["中国移动有限公司", "北京云端科技有限公司", "阿里巴巴网络技术有限公司"]:
        make_signatory(OrganisationFactory(name=name))
    expected = ["阿里巴巴网络技术有限公司", "北京云端科技有限公司", "中国移动有限公司"]
    page = client.get(reverse("public:register"))
    assert [o.name for o in page.context["organisations"]] == expected
    assert [o.name for o in client.get(reverse("public:register"), {"sort": "-name"}).context["organisations"]] == (
        expected[::-1])
    api = client.get("/api/v1/organizations/", HTTP_ACCEPT="application/json").json()
    assert [o["name"] for o in api["results"]] == expected
    csv_text = b"".join(client.get(reverse("public:export_csv")).streaming_content).decode()
    assert [line.split(",")[1] for line in csv_text.splitlines()[1:]] == expected


@pytest.mark.django_db
def test_api_cursor_pages_follow_the_pinyin_order(client, db):
    names = [f"{city}科技有限公司" for city in ["中山", "北京", "阿坝", "上海", "长沙", "重庆", "安庆"]]
    for name in names:
        make_signatory(OrganisationFactory(name=name))
    seen: list[str] = []
    url: str | None = "/api/v1/organizations/?page_size=2"
    while url:
        body = client.get(url, HTTP_ACCEPT="application/json").json()
        seen += [o["name"] for o in body["results"]]
        url = body["next"]
    assert seen == sorted(names, key=name_sort_key)
