"""``python -m crossdock.sandbox.odoo``: the sandbox as a process, as the demo runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from crossdock.sandbox.odoo import ADMIN_API_KEY, SANDBOX_DB
from crossdock.sandbox.odoo.server import login_banner


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            httpx.get(f"{url}/web/version", timeout=0.5)
        except httpx.TransportError:
            time.sleep(0.05)
            continue
        return
    raise AssertionError("the sandbox did not start")


def test_banner_names_database_users_and_keys() -> None:
    banner = login_banner(19, "http://127.0.0.1:8069")
    assert f"database: {SANDBOX_DB}" in banner
    assert "admin" in banner and ADMIN_API_KEY in banner
    assert "/json/2/" in banner
    assert "/json/2/" not in login_banner(16, "http://127.0.0.1:8069")


def test_module_serves_and_keeps_data_in_the_db_file(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    db_file = tmp_path / "sandbox.sqlite"
    command = [
        sys.executable,
        "-m",
        "crossdock.sandbox.odoo",
        "--port",
        str(port),
        "--version",
        "19",
        "--db",
        str(db_file),
    ]
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "service": "common",
            "method": "authenticate",
            "args": [SANDBOX_DB, "admin", "admin", {}],
        },
        "id": 1,
    }
    headers = {"Authorization": f"bearer {ADMIN_API_KEY}"}
    for attempt in range(2):
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        try:
            _wait_until_up(url, process)
            assert httpx.post(f"{url}/jsonrpc", json=payload).json()["result"] == 2
            if attempt == 0:
                created = httpx.post(
                    f"{url}/json/2/res.partner/create",
                    json={"vals_list": [{"name": "Survivor"}]},
                    headers=headers,
                )
                assert created.status_code == 200
            else:
                found = httpx.post(
                    f"{url}/json/2/res.partner/search_count",
                    json={"domain": [["name", "=", "Survivor"]]},
                    headers=headers,
                )
                assert found.json() == 1
        finally:
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate(timeout=15)
        assert "database: sandbox" in out
