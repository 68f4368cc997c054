"""A profile's links, kept with marks for the id and the code (members.public.views._profile_urls), are
what ``reverse`` gives, under any script prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from members.public.views import _profile_urls


def _reversed(pk: int, uscc: str) -> dict[str, str]:
    return {
        "register": reverse("public:register"), "profile": reverse("public:profile", args=[pk]),
        "badge": reverse("transparency:badge", args=[pk]), "log_entries": reverse("log-entries"),
        "how": reverse("transparency:how"),
        "notice_pdf_prefix": reverse("complaints:notice_pdf", args=[0])[:-len("0.pdf")],
        "api": reverse("api-organisation-detail", args=[uscc]) if uscc else "",
    }


@pytest.mark.parametrize("prefix", ["/", "/registry/"])
def test_the_kept_links_are_the_reversed_ones(prefix):
    set_script_prefix(prefix)
    try:
        for pk, uscc in [(1, "91310000MA1FL8XQ3A"), (987_654_321, "91110108MA01ABCD2X"), (42, ""),
                         (7, "9131 0000 空格"), (12, "987654321987")]:
            for _twice in range(2):
                assert _profile_urls(pk, uscc) == _reversed(pk, uscc)
        assert _profile_urls(5, "X")["profile"].startswith(prefix)
    finally:
        set_script_prefix("/")
