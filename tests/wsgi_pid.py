"""The project's WSGI application, answering which server process served each request (tests only):
the two-worker tests check that both gunicorn workers took part."""

from __future__ import annotations

import os
from typing import Any

from convention.wsgi import application as _application


def application(environ: dict[str, Any], start_response: Any) -> Any:
    def tagged(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, [*headers, ("X-Test-Worker-Pid", str(os.getpid()))], exc_info)

    return _application(environ, tagged)
