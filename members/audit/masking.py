"""Personal fields are never written to the audit log in clear: a keyed fingerprint shows a change."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.conf import settings

# model label -> field names that hold personal data (see inventory.py for why each is kept).
PERSONAL_FIELDS: dict[str, set[str]] = {
    "members.organisation": {"contact_name", "contact_phone", "contact_email"},
    "members.invitation": {"email", "token"},
    "members.withdrawalnotice": {"reason"},
    "members.feedback": {"body"},
    "auth.user": {"username", "email", "first_name", "last_name", "password"},
    "otp_totp.totpdevice": {"key"},
}
# Any field of any audited model whose name looks personal or secret is masked too, so that models
# added by other apps (complaints' reporter fields, ...) are covered without registering them.
PERSONAL_NAME = re.compile(
    r"(^|_)(contact|email|e_mail|phone|mobile|tel|reporter|complainant|id_number|address|password|secret|"
    r"token|key|ip)(_|$)"
)


def is_personal(model_label: str, field: str) -> bool:
    if field in PERSONAL_FIELDS.get(model_label, set()):
        return True
    # Timestamps such as reporter_purged_at say when, not who.
    return not field.endswith(("_at", "_on")) and bool(PERSONAL_NAME.search(field))


def mask_value(value: Any) -> Any:
    if value in (None, ""):
        return value
    digest = hmac.new(settings.SECRET_KEY.encode(), str(value).encode(), hashlib.sha256).hexdigest()[:10]
    return f"[masked:{digest}]"


def mask(model_label: str, data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {key: mask_value(value) if is_personal(model_label, key) else value for key, value in data.items()}
