"""The English catalogue is complete, compiled, and actually used when a visitor asks for English."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from members import uscc
from tests.convention.amendment_helpers import ensure_version_1

CATALOGUE_DIR = Path(settings.BASE_DIR) / "convention" / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd]|\{[A-Za-z_]+\}")


@pytest.fixture(autouse=True)
def _back_to_chinese():
    """LocaleMiddleware leaves the last request's language active in the thread; don't leak English
    into the next test on this worker (e-mails rendered outside a request would come out in English)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _po_entries(path: Path) -> list[dict]:
    """A tiny .po reader: one dict per entry with its flags, msgid(_plural) and msgstr(s)."""
    entries: list[dict] = []
    entry: dict = {"flags": set(), "msgstr": {}}
    key: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set(), "msgstr": {}}

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            raise AssertionError(f"obsolete entry left in the catalogue: {line}")
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, f"continuation line without a keyword: {line}"
            text = ast.literal_eval(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += text
            else:
                entry[key[0]] += text
        else:
            keyword, _, value = line.partition(" ")
            text = ast.literal_eval(value)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                key = ("msgstr", int(match.group(1)))
            elif keyword == "msgstr":
                key = ("msgstr", 0)
            else:
                assert keyword in {"msgid", "msgid_plural", "msgctxt"}, keyword
                key = (keyword, 0)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] = text
            else:
                entry[key[0]] = text
    return [e for e in entries if e["msgid"]]  # drop the header


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return _po_entries(CATALOGUE_DIR / "django.po")


def test_catalogue_is_complete_and_keeps_placeholders(entries):
    assert len(entries) > 700
    assert "fuzzy" not in (CATALOGUE_DIR / "django.po").read_text(encoding="utf-8")  # header included
    problems = []
    for e in entries:
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
        expected_forms = 2 if "msgid_plural" in e else 1
        forms = [e["msgstr"].get(i, "") for i in range(expected_forms)]
        if not all(forms):
            problems.append(("untranslated", e["msgid"]))
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for source, form in zip(sources, forms, strict=False):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(form)):
                problems.append(("placeholders", e["msgid"]))
        if any(re.search(r"[\u4e00-\u9fff]", form) for form in forms):
            problems.append(("chinese left in the translation", e["msgid"]))
    assert problems == []


def test_compiled_catalogue_matches_the_po(entries):
    """The committed .mo is what Django loads; it must carry every translation of the .po."""
    with (CATALOGUE_DIR / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in entries:
        if "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0]
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr"][1]
        elif "msgctxt" in e:
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


def test_every_string_of_the_jinja_templates_is_in_the_catalogue(entries):
    """Jinja2 fragments (members.core.jinja) translate with ``_("…")`` only, which ``make messages``
    extracts; a string added there without a translation would show in Chinese on English pages."""
    from django.template import engines

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    translated = {e["msgid"] for e in entries if e["msgstr"].get(0)}
    folder = Path(settings.BASE_DIR) / "templates" / "jinja2"
    found = {}
    for path in folder.glob("**/*.jinja"):
        for _line, function, message in env.extract_translations(path.read_text(encoding="utf-8")):
            assert function == "_", f"{path.name}: {function}() is not extracted by makemessages; use _() or the view"
            if isinstance(message, tuple):  # _("…", name=value): the string, then None for each parameter
                message = message[0]
            found[message] = path.name
    assert len(found) > 40
    assert {m: name for m, name in found.items() if m not in translated} == {}
    # makemessages reads only _("…") without parameters from a template: the others are declared
    from members.public import texts

    with_parameters = {m for m in found if "%(" in m}
    assert with_parameters and with_parameters <= set(texts.PROFILE)


def test_no_catalogue_outside_the_project_locale_dir():
    base = Path(settings.BASE_DIR)
    found = [
        p for top in ("members", "complaints", "convention", "templates", "locale")
        for p in (base / top).glob("**/*.po") if p.parent != CATALOGUE_DIR
    ]
    assert found == []


PAGES = [
    ("/", "There are <strong>0</strong> signatories."),
    ("/register/", "<title>Member directory · Register of signatories to the Self-Discipline Convention"),
    ("/convention/", "Version 1"),
    ("/complaints/report/", "Report a member breaching the Convention"),
    ("/accounts/login/", "Organisation login"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "phrase"), PAGES)
def test_pages_read_in_english_with_the_language_cookie(client, url, phrase):
    ensure_version_1()  # an earlier transactional test in this worker may have flushed it
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert phrase in body
    assert "Member directory" in body and "Published lists" in body
    for chinese_nav_label in ("成员名录", "公约文本", "公开通报", "单位登录"):
        assert chinese_nav_label not in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/complaints/report/"])
def test_accept_language_english_is_honoured_and_chinese_stays_the_default(client, url):
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Skip to main content" in english and "跳到正文" not in english
    chinese = client.get(url).content.decode()
    assert "跳到正文" in chinese and "Skip to main content" not in chinese


@pytest.mark.django_db
def test_switching_language_through_the_form_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/register/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Member directory" in client.get("/register/").content.decode()


def test_uscc_errors_read_in_english_under_override():
    result = uscc.check("91350100M000100Y4")  # 17 characters
    with translation.override("en"):
        assert uscc.check("").reason == "The unified social credit code is empty."
        assert result.reason == "The unified social credit code must have 18 characters; this one has 17."
    with translation.override("zh-hans"):
        assert result.reason == "统一社会信用代码应为18位，当前为17位。"


def test_role_lists_use_the_languages_own_separator():
    from django.utils import translation

    from members.models import Organisation

    org = Organisation(roles="developer,operator")
    with translation.override("zh-hans"):
        assert org.get_roles_display() == "开发商、运维商"
    with translation.override("en"):
        assert org.get_roles_display() == "Developer, Operator"


def test_the_jinja_fragments_translation_memo_follows_the_language_and_forgets_on_a_settings_change(settings):
    from members.core import jinja

    for _ in range(2):  # the second time from the memo
        with translation.override("en"):
            assert jinja.gettext("成员名录") == "Member directory"
        with translation.override("zh-hans"):
            assert jinja.gettext("成员名录") == "成员名录"
    assert jinja._TRANSLATED
    settings.LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]  # setting_changed: translations may differ
    assert not jinja._TRANSLATED
