"""Responses shared by the protocols: JSON bodies, werkzeug's 404 page, proxy errors.

Unknown routes answer werkzeug's HTML ``NotFound`` page with status 404, as Odoo does for a
path no controller serves (``odoo/http.py``: ``HttpDispatcher.handle_error``). The 503 and
429 pages are what nginx in front of Odoo answers when it is down or rate limiting.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

NOT_FOUND_HTML = (
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again.</p>\n"
)
PROXY_PAGES = {
    503: "503 Service Temporarily Unavailable",
    429: "429 Too Many Requests",
}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``request.make_json_response``: compact JSON, UTF-8, ``application/json``."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def not_found() -> Response:
    return HTMLResponse(NOT_FOUND_HTML, status_code=404)


async def not_found_handler(request: Request, exc: Exception) -> Response:
    return not_found()


def proxy_error(status: int) -> Response:
    title = PROXY_PAGES[status]
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    headers = {"Retry-After": "1"} if status == 429 else None
    return HTMLResponse(page, status_code=status, headers=headers)
