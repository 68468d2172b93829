"""``GET /web/version``: the version route 19 added (``addons/web/controllers/webclient.py``).

The external API documentation of 19 gives its answer as
``{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}``; older versions have no such
route and answer werkzeug's 404 page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crossdock.sandbox.odoo.orm import OdooDatabase
from crossdock.sandbox.odoo.protocol.responses import json_response, not_found


async def web_version_endpoint(request: Request) -> Response:
    db: OdooDatabase = request.app.state.odoo
    if not db.version.has_web_version:
        return not_found()
    return json_response(
        {"version_info": db.version.version_info, "version": db.version.server_version}
    )
