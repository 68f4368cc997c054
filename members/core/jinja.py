"""The Jinja2 environment of the few public fragments every cold request renders (the register's list).

Django's template language resolves each variable through a chain of lookups at render time; a
register page (20 rows, 34 region options, the filters) spent most of a cold request there. Jinja2
compiles the same markup to Python once. Translations are Django's own (``gettext`` of the active
language, the project's catalogue), installed "new style": ``{{ _("…") }}`` is the only form these
templates use, so ``make messages`` extracts their strings like any template's (``-e html,txt,py,jinja``);
a string with parameters (``_("自 %(d)s 起…", d=…)``) is also declared in the app's ``texts`` module
(``gettext_noop``), which extraction reads; counts and plurals are translated in the view.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.signals import setting_changed
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup


def ymd(value: date | None) -> str:
    """``YYYY-MM-DD`` or nothing, as Django's ``date:"Y-m-d"`` gives."""
    return value.isoformat() if value else ""


def local_ymd(value: datetime | None) -> str:
    """The day of a moment in the active time zone, as Django's ``date:"Y-m-d"`` gives."""
    return timezone.localtime(value).date().isoformat() if value else ""


_OPTIONS: dict[tuple[tuple[tuple[str, str], ...], str | None], Markup] = {}


def options(choices: list[tuple[str, str]], selected: Any) -> Markup:
    """``<option>`` elements, the one whose value is ``selected`` marked so.

    The lists are few (each filter's options in each language), so the markup is kept per list and
    selected value; a selected value that is not an option is shown as nothing selected.
    """
    if selected not in {value for value, _label in choices}:
        selected = None
    key = (tuple(choices), selected)
    markup = _OPTIONS.get(key)
    if markup is None:
        markup = _OPTIONS[key] = Markup("").join(
            Markup('<option value="{0}"{1}>{2}</option>').format(
                value, Markup(" selected") if value == selected else "", label)
            for value, label in choices)
    return markup


# The catalogue's answer per language and message: a template asks for the same few dozen strings on
# every page (a profile, about a hundred look-ups), and each Django gettext walks the active
# translation's catalogues. Cleared when the translations can change (settings in tests, a .mo file
# changing under the development server).
_TRANSLATED: dict[tuple[str, str], str] = {}


def gettext(message: str) -> str:
    key = (translation.get_language() or "", message)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = translation.gettext(message)
    return found


_CHOICE_LABELS: dict[tuple[str, Any], dict[Any, str]] = {}
_KEPT: dict[tuple[str, Any], Any] = {}


def kept(key: Any, build: Any) -> Any:
    """``build()`` once per language and ``key`` (markup that depends on nothing else), until the
    translations may change."""
    full_key = (translation.get_language() or "", key)
    value = _KEPT.get(full_key)
    if value is None:
        value = _KEPT[full_key] = build()
    return value


def _choice_labels(key: Any, choices: Any) -> dict[Any, str]:
    full_key = (translation.get_language() or "", key)
    labels = _CHOICE_LABELS.get(full_key)
    if labels is None:
        labels = _CHOICE_LABELS[full_key] = {value: str(text) for value, text in choices}
    return labels


def label(obj: Any, name: str) -> Any:
    """``obj.get_<name>_display()`` from labels kept per language and field: Django's rebuilds a dict of
    every choice, hashing (so translating) each lazy label, on every call."""
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    return _choice_labels(field, field.flatchoices).get(value, value)


def role_labels(codes: str) -> str:
    """The labels of comma-separated role codes, joined as the language lists them (``get_roles_display``).

    Kept per language and codes: a register has a few combinations of roles, and each build read the
    role choices, the separator's translation and every label (a sixth of a cold register page)."""
    full_key = (translation.get_language() or "", codes)
    text = _ROLE_TEXTS.get(full_key)
    if text is None:
        from members.core.i18n import list_separator
        from members.models import Role

        labels = _choice_labels("roles", Role.choices)
        text = list_separator().join(labels[r] for r in codes.split(",") if r in labels)
        if len(_ROLE_TEXTS) < _ROLE_TEXTS_MAX:  # codes are stored values, but never an unbounded memo
            _ROLE_TEXTS[full_key] = text
    return text


_ROLE_TEXTS: dict[tuple[str, str], str] = {}
_ROLE_TEXTS_MAX = 1000


def _translations_may_change(*, setting: str = "", file_path: Any = None, **kwargs: Any) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS") or (
            file_path is not None and str(file_path).endswith(".mo")):
        _TRANSLATED.clear()
        _CHOICE_LABELS.clear()
        _ROLE_TEXTS.clear()
        _KEPT.clear()


setting_changed.connect(_translations_may_change, dispatch_uid="jinja-translations-setting")
file_changed.connect(_translations_may_change, dispatch_uid="jinja-translations-file")


def render(template_name: str, context: dict[str, Any], request: HttpRequest) -> SafeString:
    """A fragment of the Jinja2 templates (``templates/jinja2/``) as markup for a Django template: it
    autoescapes what it is given, so its output goes into base.html unescaped."""
    from django.template import engines

    return mark_safe(engines["jinja2"].get_template(template_name).render(context, request=request))  # noqa: S308


def environment(**options_: Any) -> Environment:
    options_.setdefault("undefined", StrictUndefined)  # a misspelt name fails the tests instead of vanishing
    env = Environment(extensions=["jinja2.ext.i18n"], **options_)  # noqa: S701 (the backend sets autoescape)
    env.install_gettext_callables(gettext, translation.ngettext, newstyle=True)  # type: ignore[attr-defined]
    from members.core.labels import legal_basis_display

    env.filters.update(ymd=ymd, local_ymd=local_ymd, legal_basis=legal_basis_display,
                       linebreaksbr=lambda value: linebreaksbr(value, autoescape=True))
    env.globals.update(options=options, label=label, role_labels=role_labels)
    return env
