"""The one table of the access matrix (``test_access_matrix.py`` explains the cells), row per route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STAFF = ["reviewer", "officer", "publisher", "superuser"]
BASE = ["anon", "plain", "rep_a", "rep_b", *STAFF]
PASSWORD_ONLY = [f"{k}_p" for k in STAFF]
TOKENS = ["token_read", "token_write", "token_expired", "token_revoked", "token_staff_no2fa"]
KINDS = BASE + PASSWORD_ONLY + TOKENS
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Row:
    path: str
    cells: dict[str, dict[str, str]]  # method -> {base kind or "*" -> outcome}
    body: dict[str, Any] = field(default_factory=dict)
    api: bool = False
    tokens_ignored: bool = False  # the view reads no credentials at all
    multipart: bool = False

    def expected(self, method: str, kind: str) -> str:
        if kind in self.cells[method]:  # an explicit cell for a derived kind
            return self.cells[method][kind]
        if kind.endswith("_p"):
            kind = "plain"
        if kind in ("token_expired", "token_revoked"):
            return self._base(method, "anon") if self.tokens_ignored else "401"
        if kind == "token_write":
            kind = "rep_a"
        if kind == "token_staff_no2fa":
            kind = "plain"
        if kind == "token_read":  # the token layer refuses any write of a read token (token_read_only)
            return "403" if method in WRITES else self._base(method, "rep_a")
        return self._base(method, kind)

    def _base(self, method: str, kind: str) -> str:
        cell = self.cells[method]
        if kind == "anon":
            return cell.get("anon", "401" if self.api else "login")
        return cell.get(kind, cell.get("*", "?"))


def everyone(outcome: str = "ok") -> dict[str, str]:
    return {"anon": outcome, "*": outcome}


def only(*kinds: str, other: str, anon: str | None = None) -> dict[str, str]:
    cell = dict.fromkeys(kinds, "pass")
    cell["*"] = other
    if anon is not None:
        cell["anon"] = anon
    return cell


def public(path: str, methods: tuple[str, ...] = ("GET",), outcome: str = "ok", **kw: Any) -> Row:
    return Row(path, {m: everyone(outcome) for m in methods}, **kw)


def api(path: str, cells: dict[str, dict[str, str]], body: dict[str, Any] | None = None, **kw: Any) -> Row:
    return Row(path, cells, body or {}, api=True, **kw)


REPS = ("rep_a", "rep_b")
SIGNED_IN = {"*": "ok"}
FUTURE = "2099-01-01T10:00:00+08:00"
DRAFT = {"title": "修订", "rationale": "理由", "changes": [{"kind": "remove", "article_number": 3}]}

ROWS: dict[str, Row] = {
    # --- Public pages and downloads ----------------------------------------------------------------
    "": public("/"),
    "register/": public("/register/"),
    "register/<int:pk>/": public("/register/{org_a}/"),
    "register/export.csv": public("/register/export.csv"),
    "register/export.json": public("/register/export.json"),
    "register/feed.atom": public("/register/feed.atom"),
    "bench/floor/": public("/bench/floor/", outcome="any"),  # only when the benchmark switches it on
    "convention/": public("/convention/"),
    "convention/versions/": public("/convention/versions/"),
    "convention/versions/<int:number>/": public("/convention/versions/1/"),
    "convention/diff/": public("/convention/diff/"),
    "convention/amendments/": public("/convention/amendments/"),
    "convention/amendments/<int:pk>/": public("/convention/amendments/{proposal}/"),
    "convention/ballots/<int:pk>/": public("/convention/ballots/{ballot}/"),
    "convention/ballots/<int:pk>/electorate.txt": public("/convention/ballots/{ballot}/electorate.txt"),
    "bulletins/": public("/bulletins/"),
    "bulletins/<int:number>/<str:kind>/": public("/bulletins/9999/pdf/", outcome="404"),
    "complaints/report/": public("/complaints/report/", ("GET", "POST")),  # POST without CAPTCHA: the form
    "complaints/report/filed/": public("/complaints/report/filed/", outcome="redirect"),
    "complaints/track/": public("/complaints/track/", ("GET", "POST")),
    "complaints/notices/": public("/complaints/notices/"),
    # A signed notice PDF exists only for a public notice: any other id is 404 for everyone.
    "complaints/notices/<int:pk>.pdf": public("/complaints/notices/999999.pdf", outcome="404"),
    "verify/verify_pdf.py": public("/verify/verify_pdf.py"),
    "verify/executive-body.pem": public("/verify/executive-body.pem"),
    "documents/<int:pk>/": Row("/documents/{doc_a}/", {"GET": {"rep_a": "ok", "reviewer": "ok", "superuser": "ok",
                                                                "*": "404"}}),
    # For a signed-in account the switch also keeps the account's language (a write of its own row).
    "i18n/setlang/": Row("/i18n/setlang/", {"POST": {"anon": "redirect", "*": "pass"}}, {"language": "en"}),
    # The old enrolment address sends everyone to the two-factor set-up.
    "security/otp/enrol/": public("/security/otp/enrol/", ("GET", "POST"), outcome="redirect"),
    "health/": public("/health/", outcome="any"),
    "^static/(?P<path>.*)$": public("/static/missing.css", outcome="any"),
    "api/schema/": public("/api/schema/"),
    "api/docs/": public("/api/docs/"),
    "api/redoc/": public("/api/redoc/"),
    # Third-party pages with their own rules (login, sign-up, CAPTCHA): only "no server error".
    **{route: public(path, outcome="any") for route, path in {
        "security/login/": "/security/login/", "security/setup/": "/security/setup/",
        "security/setup/qrcode/": "/security/setup/qrcode/", "security/setup/complete/": "/security/setup/complete/",
        "security/backup-codes/": "/security/backup-codes/", "security/": "/security/",
        "accounts/login/": "/accounts/login/", "accounts/logout/": "/accounts/logout/",
        "accounts/inactive/": "/accounts/inactive/", "accounts/signup/": "/accounts/signup/",
        "accounts/reauthenticate/": "/accounts/reauthenticate/",
        "accounts/reauthenticate/code/": "/accounts/reauthenticate/code/",
        "accounts/reauthenticate/code/confirm/": "/accounts/reauthenticate/code/confirm/",
        "accounts/email/": "/accounts/email/", "accounts/confirm-email/": "/accounts/confirm-email/",
        "accounts/password/change/": "/accounts/password/change/",
        "accounts/password/set/": "/accounts/password/set/", "accounts/password/reset/": "/accounts/password/reset/",
        "accounts/login/code/confirm/": "/accounts/login/code/confirm/",
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "/accounts/confirm-email/bad-key/",
        "accounts/password/reset/key/done/": "/accounts/password/reset/key/done/",
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "/accounts/password/reset/key/1-bad/",
        "accounts/password/reset/done/": "/accounts/password/reset/done/",
        "captcha/image/(?P<key>\\w+)/$": "/captcha/image/bad/", "captcha/image/(?P<key>\\w+)@2/$": "/captcha/image/bad@2/",
        "captcha/audio/(?P<key>\\w+).wav$": "/captcha/audio/bad.wav", "captcha/refresh/$": "/captcha/refresh/",
    }.items()},
    # The public log and verifier: public reads, the same answer for everyone (a proof or a check asked
    # for without its parameters is a 400, an unknown certificate a 404).
    **{route: Row(path, {"GET": everyone(outcome)}, api=path.startswith("/api/"))
       for route, (path, outcome) in {
           "verify/": ("/verify/", "ok"), "verify/verify_register.py": ("/verify/verify_register.py", "ok"),
           "verify/check/": ("/verify/check/", "ok"), "verify/certificates/<str:number>/": ("/verify/certificates/none/", "404"),
           "verify/badge/<int:pk>.svg": ("/verify/badge/{org_a}.svg", "ok"), "api/v1/log/entries/": ("/api/v1/log/entries/", "ok"),
           "api/v1/log/entries/<int:index>/": ("/api/v1/log/entries/0/", "ok"), "api/v1/log/head/": ("/api/v1/log/head/", "ok"),
           "api/v1/log/proof/inclusion/": ("/api/v1/log/proof/inclusion/", "400"),
           "api/v1/log/proof/consistency/": ("/api/v1/log/proof/consistency/", "400"), "api/v1/verify/": ("/api/v1/verify/", "400"),
           }.items()},
    # A POST-only endpoint: an unimplemented method answers 405 before any credential is looked at.
    "api/v1/verify/file/": Row("/api/v1/verify/file/", {"GET": everyone("405")}, api=True, tokens_ignored=True),
    # Status on a date (public) and the ALTCHA challenges (public, no credentials read).
    **{route: Row(path, {"GET": everyone("any")}, tokens_ignored=True)
       for route, path in {"register/on/": "/register/on/", "altcha/challenge/": "/altcha/challenge/",
                           "altcha/sentinel/challenge/": "/altcha/sentinel/challenge/"}.items()},
    "portal/certificate.pdf": Row("/portal/certificate.pdf", {"GET": {"anon": "login", "*": "any"}}),
    # --- The member portal: the representative's own organisation only --------------------------------
    "portal/": Row("/portal/", {"GET": SIGNED_IN}),
    "portal/apply/": Row("/portal/apply/", {m: {"rep_a": "dash", "rep_b": "dash", "*": "ok"} for m in ("GET", "POST")}),
    "portal/reapply/": Row("/portal/reapply/", {"POST": only(*REPS, other="dash")}),
    "portal/applications/<int:pk>/": Row("/portal/applications/{app_a}/", {"GET": only("rep_a", other="dash") | {"rep_b": "404"}}),
    "portal/applications/<int:pk>/edit/": Row("/portal/applications/{app_a}/edit/",
                                              {m: only("rep_a", other="dash") | {"rep_b": "404"} for m in ("GET", "POST")}),
    "portal/applications/<int:pk>/submit/": Row("/portal/applications/{app_a}/submit/",
                                                {"POST": only("rep_a", other="dash") | {"rep_b": "404"}}),
    "portal/applications/<int:pk>/signature-page.pdf": Row("/portal/applications/{app_a}/signature-page.pdf",
                                                           {"GET": only("rep_a", other="dash") | {"rep_b": "404"}}),
    "portal/withdrawal/": Row("/portal/withdrawal/", {m: only(*REPS, other="dash") for m in ("GET", "POST")}),
    "portal/withdrawals/<int:pk>/": Row("/portal/withdrawals/{notice_b}/", {"GET": only("rep_b", other="dash") | {"rep_a": "404"}}),
    "portal/withdrawals/<int:pk>/cancel/": Row("/portal/withdrawals/{notice_b}/cancel/",
                                               {"POST": only("rep_b", other="dash") | {"rep_a": "404"}}),
    "portal/notifications/": Row("/portal/notifications/", {"GET": only(*REPS, other="dash")}),
    "portal/notifications/<int:pk>/": Row("/portal/notifications/{note_a}/", {"GET": only("rep_a", other="dash") | {"rep_b": "404"}}),
    "portal/team/": Row("/portal/team/", {m: only(*REPS, other="dash") for m in ("GET", "POST")}, {"email": "bad"}),
    "portal/team/<int:pk>/remove/": Row("/portal/team/{colleague_a}/remove/", {"POST": only("rep_a", other="dash") | {"rep_b": "404"}}),
    "portal/invitations/<int:pk>/revoke/": Row("/portal/invitations/{invitation_a}/revoke/",
                                               {"POST": only("rep_a", other="dash") | {"rep_b": "404"}}),
    # The invitation is for another address: every account is refused, nothing changes.
    "portal/invitations/accept/<str:token>/": Row("/portal/invitations/accept/{invitation_token}/",
                                                  {"GET": SIGNED_IN, "POST": {"*": "400"}}),
    # Personal API tokens: every signed-in account manages its own; another's token is not found.
    "portal/tokens/": Row("/portal/tokens/", {"GET": SIGNED_IN, "POST": {"*": "pass"}}),
    # Its owner, or a verified superuser (members.audit.tokens' own rule); anyone else is told no.
    "portal/tokens/<int:pk>/revoke/": Row("/portal/tokens/{token_a}/revoke/",
                                          {"POST": only("rep_a", "superuser", other="redirect")}),
    "portal/settings/": Row("/portal/settings/", {"GET": SIGNED_IN, "POST": {"*": "pass"}}, {"language": "en"}),
    "portal/feedback/": Row("/portal/feedback/", {m: only(*REPS, other="dash") for m in ("GET", "POST")}),
    "portal/amendments/": Row("/portal/amendments/", {"GET": SIGNED_IN}),
    "portal/amendments/proposals/new/": Row("/portal/amendments/proposals/new/", {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    # A draft: its own organisation and staff who may change proposals (policy "proposal.view_draft").
    "portal/amendments/proposals/<int:pk>/": Row("/portal/amendments/proposals/{draft_a}/",
                                                 {"GET": only("rep_a", "publisher", "superuser", other="404")}),
    "portal/amendments/proposals/<int:pk>/submit/": Row("/portal/amendments/proposals/{draft_a}/submit/",
                                                        {"POST": only("rep_a", other="404")
                                                         | {"publisher": "redirect", "superuser": "redirect"}}),
    "portal/amendments/proposals/<int:pk>/sponsor/": Row("/portal/amendments/proposals/{proposal}/sponsor/",
                                                         {"POST": only(*REPS, other="redirect")}),
    "portal/amendments/proposals/<int:pk>/unsponsor/": Row("/portal/amendments/proposals/{proposal}/unsponsor/",
                                                           {"POST": only(*REPS, other="redirect")}),
    # Issue 15: a password-only staff session (publisher_p answers as "plain") withdraws nothing.
    "portal/amendments/proposals/<int:pk>/withdraw/": Row("/portal/amendments/proposals/{proposal}/withdraw/",
                                                          {"POST": only("rep_a", "publisher", "superuser", other="redirect")}),
    "portal/amendments/ballots/<int:pk>/": Row("/portal/amendments/ballots/{ballot}/",
                                               {"GET": SIGNED_IN, "POST": only(*REPS, other="ok")}, {"choice": "yes"}),
    "portal/cases/": Row("/portal/cases/", {"GET": only(*REPS, other="403")}),
    "portal/cases/corrections/<int:pk>/": Row("/portal/cases/corrections/{order_a}/",
                                              {m: only("rep_a", other="403") | {"rep_b": "404"} for m in ("GET", "POST")},
                                              {"report": "已整改"}),
    "portal/cases/notices/<int:pk>/": Row("/portal/cases/notices/{internal_notice}/", {"GET": only(*REPS, other="403")}),
    "portal/cases/disputes/new/": Row("/portal/cases/disputes/new/", {m: only(*REPS, other="403") for m in ("GET", "POST")}),
    "portal/cases/disputes/<int:pk>/": Row("/portal/cases/disputes/{dispute}/", {"GET": only(*REPS, other="403")}),
    "portal/cases/disputes/<int:pk>/withdraw/": Row("/portal/cases/disputes/{dispute}/withdraw/",
                                                    {"POST": only("rep_a", other="403") | {"rep_b": "redirect"}}),
    # --- The API: the register -----------------------------------------------------------------------
    "api/v1/organizations/": api("/api/v1/organizations/", {"GET": everyone()}),
    "api/v1/organizations/<str:uscc>/": api("/api/v1/organizations/{uscc_a}/", {"GET": everyone()}),
    "api/v1/organizations/<str:uscc>/status/": api("/api/v1/organizations/{uscc_a}/status/", {"GET": everyone()}),
    **{f"api/v1/applications/<int:pk>/{step}/": api(f"/api/v1/applications/{{app_c}}/{step}/",
                                                      {"POST": only("reviewer", "superuser", other="403")}, body)
       for step, body in (("start-review", {}), ("verify-sealed-page", {}), ("approve", {"comment": ""}),
                          ("return", {"comment": "补充"}), ("reject", {"comment": "不符"}))},
    "api/v1/withdrawals/<int:pk>/acknowledge/": api("/api/v1/withdrawals/{notice_b}/acknowledge/",
                                                    {"POST": only("reviewer", "superuser", other="403")}),
    "api/v1/portal/applications/": api("/api/v1/portal/applications/", {"GET": SIGNED_IN, "POST": {"*": "400"}}),
    "api/v1/portal/applications/<int:pk>/": api("/api/v1/portal/applications/{app_a}/",
                                                {"GET": only("rep_a", other="404"), "PATCH": only("rep_a", other="404")},
                                                {"website": "https://a.example.cn"}),
    "api/v1/portal/applications/<int:pk>/documents/": api("/api/v1/portal/applications/{app_a}/documents/",
                                                          {"POST": only("rep_a", other="404")},
                                                          {"kind": "business_licence"}, multipart=True),
    "api/v1/portal/applications/<int:pk>/submit/": api("/api/v1/portal/applications/{app_a}/submit/",
                                                       {"POST": only("rep_a", other="404")}),
    "api/v1/portal/withdrawals/": api("/api/v1/portal/withdrawals/", {m: only(*REPS, other="404") for m in ("GET", "POST")}),
    "api/v1/portal/withdrawals/<int:pk>/": api("/api/v1/portal/withdrawals/{notice_b}/", {"GET": only("rep_b", other="404")}),
    "api/v1/portal/withdrawals/<int:pk>/cancel/": api("/api/v1/portal/withdrawals/{notice_b}/cancel/",
                                                      {"POST": only("rep_b", other="404")}),
    "api/v1/portal/invitations/": api("/api/v1/portal/invitations/", {m: only(*REPS, other="404") for m in ("GET", "POST")},
                                      {"email": "colleague-new@example.org"}),
    "api/v1/portal/invitations/<int:pk>/revoke/": api("/api/v1/portal/invitations/{invitation_a}/revoke/",
                                                      {"POST": only("rep_a", other="404")}),
    "api/v1/portal/feedback/": api("/api/v1/portal/feedback/", {"POST": only(*REPS, other="404")},
                                   {"subject": "建议", "body": "内容"}),
    "api/v1/portal/notifications/": api("/api/v1/portal/notifications/", {"GET": only(*REPS, other="404")}),
    "api/v1/portal/notifications/<int:pk>/": api("/api/v1/portal/notifications/{note_a}/", {"GET": only("rep_a", other="404")}),
    "api/v1/portal/applications/reapply/": api("/api/v1/portal/applications/reapply/", {"POST": only(*REPS, other="404")}),
    "api/v1/portal/representatives/": api("/api/v1/portal/representatives/", {"GET": only(*REPS, other="404")}),
    "api/v1/portal/representatives/<int:pk>/remove/": api("/api/v1/portal/representatives/{colleague_a2}/remove/",
                                                          {"POST": only("rep_a", other="404")}),
    # --- The API: bulletins, convention, amendments ------------------------------------------------------
    "api/v1/bulletins/": api("/api/v1/bulletins/", {"GET": everyone()}),
    # Issued and revoked from a session only, never with a token.
    "api/v1/tokens/": api("/api/v1/tokens/", {"GET": SIGNED_IN, "POST": {"*": "pass"}}, {"name": "matrix"}),
    "api/v1/tokens/<int:pk>/revoke/": api("/api/v1/tokens/{token_a}/revoke/",
                                          {"POST": only("rep_a", "superuser", other="404")}),
    # A published bulletin: the publisher passes the door and is told it cannot be requeued (409).
    "api/v1/bulletins/<int:number>/requeue/": api("/api/v1/bulletins/{bulletin}/requeue/",
                                                  {"POST": only("publisher", "superuser", other="403")}),
    "api/v1/bulletins/<int:number>/": api("/api/v1/bulletins/9999/", {"GET": everyone("404")}),
    # A period not over yet: the publisher passes the door and gets the period's 400, nothing is rendered.
    "api/v1/bulletins/publish-now/": api("/api/v1/bulletins/publish-now/",
                                         {"POST": only("publisher", "superuser", other="403")}, {"period": "2099-01"}),
    "api/v1/convention/versions/": api("/api/v1/convention/versions/", {"GET": everyone()}),
    "api/v1/convention/current/": api("/api/v1/convention/current/", {"GET": everyone()}),
    "api/v1/convention/versions/<int:number>/": api("/api/v1/convention/versions/1/", {"GET": everyone()}),
    "api/v1/convention/versions/<int:number>/articles/<int:article>/": api("/api/v1/convention/versions/1/articles/1/",
                                                                            {"GET": everyone()}),
    "api/v1/amendments/proposals/": api("/api/v1/amendments/proposals/", {"GET": everyone()}),
    "api/v1/amendments/proposals/<int:pk>/": api("/api/v1/amendments/proposals/{proposal}/", {"GET": everyone()}),
    "api/v1/amendments/ballots/": api("/api/v1/amendments/ballots/", {"GET": everyone()}),
    "api/v1/amendments/ballots/<int:pk>/": api("/api/v1/amendments/ballots/{ballot}/", {"GET": everyone()}),
    "api/v1/amendments/proposals/create/": api("/api/v1/amendments/proposals/create/",
                                               {"POST": only(*REPS, other="403")}, DRAFT),
    "api/v1/amendments/proposals/create-executive/": api("/api/v1/amendments/proposals/create-executive/",
                                                         {"POST": only("publisher", "superuser", other="403")}, DRAFT),
    "api/v1/amendments/proposals/<int:pk>/submit/": api("/api/v1/amendments/proposals/{draft_a}/submit/",
                                                        {"POST": only("rep_a", other="404")
                                                         | {"publisher": "403", "superuser": "403"}}),
    "api/v1/amendments/proposals/<int:pk>/sponsor/": api("/api/v1/amendments/proposals/{proposal}/sponsor/",
                                                         {"POST": only(*REPS, other="403")}),
    "api/v1/amendments/proposals/<int:pk>/withdraw-sponsorship/": api(
        "/api/v1/amendments/proposals/{proposal}/withdraw-sponsorship/", {"POST": only(*REPS, other="403")}),
    "api/v1/amendments/proposals/<int:pk>/withdraw/": api("/api/v1/amendments/proposals/{proposal}/withdraw/",
                                                          {"POST": only("rep_a", "publisher", "superuser", other="403")}),
    "api/v1/amendments/proposals/<int:pk>/open-ballot/": api("/api/v1/amendments/proposals/{proposal}/open-ballot/",
                                                             {"POST": only("publisher", "superuser", other="403")},
                                                             {"deadline": FUTURE}),
    "api/v1/amendments/ballots/<int:pk>/vote/": api("/api/v1/amendments/ballots/{ballot}/vote/",
                                                    {"POST": only(*REPS, other="403")}, {"choice": "no"}),
    # --- The API: complaints, measures, disputes --------------------------------------------------------
    "api/v1/notices/": api("/api/v1/notices/", {"GET": everyone()}, tokens_ignored=True),
    "api/v1/cases/corrections/": api("/api/v1/cases/corrections/", {"GET": only(*REPS, other="403")}),
    "api/v1/cases/corrections/<int:pk>/answer/": api("/api/v1/cases/corrections/{order_a}/answer/",
                                                     {"POST": only("rep_a", other="403") | {"rep_b": "404"}},
                                                     {"report": "已整改"}),
    "api/v1/cases/disputes/": api("/api/v1/cases/disputes/", {m: only(*REPS, other="403") for m in ("GET", "POST")},
                                  {"respondent_uscc": "{uscc_b}", "subject": "争议", "description": "情况"}),
    "api/v1/cases/disputes/<int:pk>/": api("/api/v1/cases/disputes/{dispute}/", {"GET": only(*REPS, other="403")}),
    "api/v1/cases/disputes/<int:pk>/withdraw/": api("/api/v1/cases/disputes/{dispute}/withdraw/",
                                                    {"POST": only("rep_a", other="403")}),
    **{f"api/v1/complaints/<int:pk>/{step}/": api(f"/api/v1/complaints/{{complaint}}/{step}/",
                                                   {"POST": only("officer", "superuser", other="403")}, body)
       for step, body in (("start-verification", {}), ("close-unfounded", {"reason": "不属实"}),
                          ("substantiate", {"finding": "属实"}), ("assign", {"assignee_id": None}),
                          ("notes", {"note": "备注"}), ("correction-orders", {"requirement": "整改", "deadline": "2099-01-01"}),
                          ("internal-notices", {"title": "通报", "body": "内容"}),
                          ("revoke-membership", {"reason": "理由", "public_notice": "通报"}))},
    **{f"api/v1/corrections/<int:pk>/{step}/": api(f"/api/v1/corrections/{{order_a}}/{step}/",
                                                    {"POST": only("officer", "superuser", other="403")}, body)
       for step, body in (("accept", {}), ("escalate", {"comment": "理由"}))},
    **{f"api/v1/disputes/<int:pk>/{step}/": api(f"/api/v1/disputes/{{dispute}}/{step}/",
                                                 {"POST": only("officer", "superuser", other="403")}, body)
       for step, body in (("start-mediation", {}), ("steps", {"step": "电话"}), ("settle", {"outcome": "和解"}),
                          ("not-settle", {"outcome": "不成"}))},
    # Staff withdraw on the requester's behalf; the requester itself may use this door too (same rule).
    "api/v1/disputes/<int:pk>/withdraw/": api("/api/v1/disputes/{dispute}/withdraw/",
                                              {"POST": only("officer", "superuser", "rep_a", other="403")}),
}

# The admin's own pages beyond Django's model pages: each lock checked for verified staff too.
ADMIN_ROWS: dict[str, Row] = {
    "admin/members/joinapplication/<int:pk>/decide/<str:action>/": Row(
        "/admin/members/joinapplication/{app_c}/decide/start_review/",
        {"POST": only("reviewer", "superuser", other="redirect") | {"plain": "admin_login", "rep_a": "admin_login",
                                                                     "rep_b": "admin_login", "anon": "admin_login"}}),
    "admin/complaints/complaint/<int:pk>/case/": Row(
        "/admin/complaints/complaint/{complaint}/case/",
        {"GET": {"officer": "ok", "superuser": "ok", "reviewer": "403", "publisher": "403", "*": "admin_login"},
         "POST": {"officer": "pass", "superuser": "pass", "reviewer": "403", "publisher": "403", "*": "admin_login"}},
        {"action": "note", "note-text": "备注"}),
    "admin/complaints/dispute/<int:pk>/case/": Row(
        "/admin/complaints/dispute/{dispute}/case/",
        {"GET": {"officer": "ok", "superuser": "ok", "reviewer": "403", "publisher": "403", "*": "admin_login"}}),
    "admin/complaints/complaint/evidence/<int:pk>/": Row(
        "/admin/complaints/complaint/evidence/{evidence}/",
        {"GET": {"officer": "ok", "superuser": "ok", "reviewer": "403", "publisher": "403", "*": "admin_login"}}),
    "admin/publications/publication/publish-now/": Row(
        "/admin/publications/publication/publish-now/",
        {"GET": {"publisher": "ok", "superuser": "ok", "reviewer": "403", "officer": "403", "*": "admin_login"}}),
    # The correction of a details version: its page only for staff the policy lets correct; a correction
    # posted without a reason is refused by the service (200, the form again) and writes nothing.
    "admin/members/organisationdetails/<int:pk>/correct/": Row(
        "/admin/members/organisationdetails/{details_a}/correct/",
        {"GET": {"reviewer": "ok", "superuser": "ok", "officer": "redirect", "publisher": "redirect",
                 "*": "admin_login"},
         "POST": {"reviewer": "ok", "superuser": "ok", "officer": "redirect", "publisher": "redirect",
                  "*": "admin_login"}},
        {"name": "更正后的名称", "roles": ["developer"], "region": "110000", "reason": ""}),
    "admin/convention/proposal/<int:pk>/open-ballot/": Row(
        "/admin/convention/proposal/{proposal}/open-ballot/",
        {"GET": {"publisher": "ok", "superuser": "ok", "reviewer": "redirect", "officer": "redirect",
                 "*": "admin_login"}}),
}
for _row in ADMIN_ROWS.values():
    for _cell in _row.cells.values():
        _cell.setdefault("anon", "admin_login")
