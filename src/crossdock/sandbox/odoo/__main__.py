"""``python -m crossdock.sandbox.odoo``: serve a simulated Odoo until interrupted."""

from __future__ import annotations

import argparse
from pathlib import Path

from crossdock.sandbox.odoo import SUPPORTED_VERSIONS
from crossdock.sandbox.odoo.server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crossdock.sandbox.odoo",
        description="Serve a simulated Odoo (JSON-RPC, and JSON-2 on 19) for demos and tests.",
    )
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--version", type=int, default=18, choices=SUPPORTED_VERSIONS)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file that keeps the data")
    options = parser.parse_args(argv)
    serve(port=options.port, version=options.version, db_path=options.db, host=options.host)


if __name__ == "__main__":
    main()
