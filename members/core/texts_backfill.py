"""Data migrations' half of members.core.texts: give rows written before codes their code and parameters.

A stored text that matches a catalogue message (in Chinese or English, as it was written) gets that
message's code and the parameters read back out of it; a parameter that is itself a fixed message of the
catalogue (a state's label) becomes a nested code. Anything else is free text and stays as it is (and is
shown as it was stored).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from . import texts


def _fixed_codes() -> dict[str, str]:
    """Every fixed message, in each language, with its code."""
    found: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, message in texts._catalogue().items():
                if "%(" not in str(message):
                    found.setdefault(str(message), code)
    return found


def _nested(params: dict[str, Any], fixed: dict[str, str]) -> dict[str, Any]:
    return {k: ({"code": fixed[v], "params": {}} if isinstance(v, str) and v in fixed else v)
            for k, v in params.items()}


def code_rows(model: Any, text_field: str, code_field: str, params_field: str, codes: list[str]) -> int:
    """Code the rows of ``model`` (a migration's historical model) whose text matches one of ``codes``."""
    fixed = _fixed_codes()
    done = 0
    rows = model.objects.filter(**{code_field: ""}).exclude(**{text_field: ""}).values_list("pk", text_field)
    for pk, stored in rows.iterator():
        found = texts.recognise(stored, codes)
        if found is not None:
            params = _nested(dict(found.params), fixed)
            model._base_manager.filter(pk=pk).update(**{code_field: found.code, params_field: params})
            done += 1
    return done


# Notification kinds whose subject or body is not "<kind>.subject" / "<kind>.body".
NOTIFICATION_CODES: dict[str, tuple[list[str], list[str]]] = {
    "ballot_closed": (["ballot_adopted.subject", "ballot_rejected.subject"], ["ballot_closed.body"]),
    "mediation_settle": (["mediation_ended.subject"], []),
    "mediation_not_settle": (["mediation_ended.subject"], []),
    "mediation_withdraw": (["mediation_ended.subject"], []),
}


def code_notifications(model: Any) -> int:
    """Code old notifications by their kind: a subject and a body that match share the parameters."""
    catalogue = texts._catalogue()
    fixed = _fixed_codes()
    done = 0
    for note in model.objects.filter(subject_code="", body_code="").iterator():
        subjects, bodies = NOTIFICATION_CODES.get(note.kind, ([], []))
        subjects = subjects or [c for c in [f"{note.kind}.subject"] if c in catalogue]
        bodies = bodies or [c for c in [f"{note.kind}.body"] if c in catalogue]
        subject = texts.recognise(note.subject, subjects) if subjects else None
        body = texts.recognise(note.body, bodies) if bodies else None
        params = {**(subject.params if subject else {}), **(body.params if body else {})}
        if subject is None and body is None:
            continue
        model._base_manager.filter(pk=note.pk).update(
            subject_code=subject.code if subject else "", body_code=body.code if body else "",
            params=_nested(params, fixed))
        done += 1
    return done


# The codes of texts the system wrote into event comments and reasons.
EVENT_COMMENT_CODES = ["application.reapply", "membership.revoked", "complaint.correction_deadline"]
REASON_CODES = ["application.approved", "withdrawal.acknowledged", "membership.started", "details.staff_change"]
