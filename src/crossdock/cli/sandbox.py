"""`crossdock sandbox`: simulators of the systems around Crossdock, for demos and tests."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import httpx
import typer
import uvicorn

from crossdock.errors import ConfigError
from crossdock.sandbox.carriers import providers
from crossdock.sandbox.carriers import scenario as scenarios
from crossdock.sandbox.carriers.api import TrackingBook
from crossdock.sandbox.carriers.api import build_app as build_carrier_api
from crossdock.sandbox.carriers.sender import Sent, send_scenario, webhook_url
from crossdock.sandbox.odoo import SUPPORTED_VERSIONS
from crossdock.sandbox.odoo.server import serve
from crossdock.sandbox.wms import file_mode
from crossdock.sandbox.wms.file_layouts import LayoutName
from crossdock.sandbox.wms.server import build_app as build_wms_api
from crossdock.sandbox.wms.warehouse import Behaviour, Warehouse

app = typer.Typer(help="Simulators (not the real systems) for demos and tests.")


@app.command()
def odoo(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8069,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    db: Annotated[Path | None, typer.Option(help="SQLite file that keeps its data.")] = None,
    version: Annotated[int, typer.Option(help="Odoo version to behave as.")] = 18,
) -> None:
    """Serve a simulated Odoo (JSON-RPC, and JSON-2 on 19) with seeded demo data."""
    if version not in SUPPORTED_VERSIONS:
        known = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise typer.BadParameter(f"version {version} is not simulated (choose {known})")
    serve(port=port, version=version, db_path=db, host=host)


@app.command()
def carrier(
    provider: Annotated[
        str, typer.Option(help="Provider whose format and signature to use.")
    ] = "easypost",
    target: Annotated[str, typer.Option(help="Crossdock's base URL.")] = "http://127.0.0.1:8080",
    partner: Annotated[str, typer.Option(help="Partner id the webhooks are posted to.")] = "",
    secret: Annotated[str, typer.Option(help="The partner's webhook secret.")] = "",
    tracking: Annotated[str | None, typer.Option(help="Tracking number to use.")] = None,
    carrier_code: Annotated[
        str, typer.Option("--carrier", help="Carrier code of the shipment.")
    ] = "usps",
    scenario: Annotated[str, typer.Option(help="delivered or exception.")] = "delivered",
    delay: Annotated[float, typer.Option(help="Seconds between webhooks.")] = 0.0,
    out_of_order: Annotated[
        bool, typer.Option(help="Swap neighbouring webhooks, as late retries arrive.")
    ] = False,
) -> None:
    """Send one shipment's tracking webhooks in a provider's format, signed as it signs."""
    try:
        chosen = providers.provider(provider)
        story = scenarios.build(scenario, tracking, carrier_code)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if not partner or not secret:
        raise typer.BadParameter("--partner and --secret are required")
    typer.echo(
        f"{chosen.name} scenario {story.name!r}: tracking {story.tracking_number} "
        f"({story.carrier}), {len(story.steps)} webhooks to {webhook_url(target, partner)}"
    )

    def show(sent: Sent) -> None:
        typer.echo(f"  webhook {sent.step} ({sent.code}): HTTP {sent.status_code} {sent.answer}")

    async def run() -> list[Sent]:
        async with httpx.AsyncClient(timeout=30.0) as http:
            return await send_scenario(
                http,
                chosen,
                target,
                partner,
                secret,
                story,
                delay=delay,
                out_of_order=out_of_order,
                on_sent=show,
            )

    try:
        results = asyncio.run(run())
    except httpx.HTTPError as exc:
        typer.echo(f"could not reach {target}: {exc!r}", err=True)
        raise typer.Exit(1) from None
    refused = [sent for sent in results if not 200 <= sent.status_code < 300]
    if refused:
        typer.echo(f"{len(refused)} of {len(results)} webhooks were not accepted", err=True)
        raise typer.Exit(1)


@app.command("carrier-api")
def carrier_api(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8091,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    api_key: Annotated[str, typer.Option(help="The API key every provider accepts.")] = (
        "sandbox-carrier-key"
    ),
    max_per_second: Annotated[
        int | None, typer.Option(help="Requests per second per provider before 429.")
    ] = None,
    advance_every: Annotated[
        float | None, typer.Option(help="Seconds after which each shipment shows one more scan.")
    ] = None,
    carrier_code: Annotated[
        str, typer.Option("--carrier", help="Carrier code of the shipments.")
    ] = "usps",
) -> None:
    """Serve simulated EasyPost, AfterShip, Shippo and generic tracking APIs for polling."""
    book = TrackingBook(advance_every=timedelta(seconds=advance_every) if advance_every else None)
    seeded = [
        (scenarios.build("delivered", carrier=carrier_code), None),
        (scenarios.build("exception", carrier=carrier_code), None),
        (scenarios.build("delivered", carrier=carrier_code), 2),
    ]
    for story, visible in seeded:
        book.add(story, visible)
    url = f"http://{host}:{port}"
    typer.echo(f"Carrier tracking APIs (simulated) at {url}, API key {api_key}")
    for story, visible in seeded:
        told = len(story.steps) if visible is None else visible
        typer.echo(f"  {story.tracking_number} ({story.carrier}) {story.name}, {told} scans told")
    typer.echo(
        f"  EasyPost  {url}/v2/trackers?tracking_code=N\n"
        f"  AfterShip {url}/tracking/2024-07/trackings?tracking_numbers=N\n"
        f"  Shippo    {url}/tracks/{carrier_code}/N\n"
        f"  generic   {url}/generic/track/N"
    )
    uvicorn.run(
        build_carrier_api(book, api_key, max_per_second=max_per_second),
        host=host,
        port=port,
        log_level="warning",
    )


@app.command()
def wms(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8092,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    target: Annotated[str, typer.Option(help="Crossdock's base URL.")] = "http://127.0.0.1:8080",
    partner: Annotated[str, typer.Option(help="Partner id the webhooks are posted to.")] = "wms",
    secret: Annotated[str, typer.Option(help="The partner's webhook secret (whsec_…).")] = "",
    api_key: Annotated[str | None, typer.Option(help="API key accepted (X-Api-Key).")] = None,
    client_id: Annotated[str | None, typer.Option(help="OAuth2 client id accepted.")] = None,
    client_secret: Annotated[str | None, typer.Option(help="OAuth2 client secret.")] = None,
    delay: Annotated[float, typer.Option(help="Seconds before each warehouse step.")] = 0.5,
    short_every: Annotated[int, typer.Option(help="Pick every n-th order short (0: never).")] = 0,
    split: Annotated[int, typer.Option(help="Parcels per order.")] = 1,
    outage: Annotated[bool, typer.Option(help="Start in an outage (503 to releases).")] = False,
    books_carrier: Annotated[
        bool, typer.Option(help="Book the carrier itself (else wait for Crossdock's labels).")
    ] = True,
    mode: Annotated[str, typer.Option(help="rest, or files (a legacy file WMS).")] = "rest",
    folder: Annotated[Path | None, typer.Option(help="files: the drop folder's root.")] = None,
    transport: Annotated[
        Path | None, typer.Option(help="files: YAML of the partner's transport (SFTP too).")
    ] = None,
    layout: Annotated[str, typer.Option(help="files: csv or fixed.")] = "csv",
    poll_every: Annotated[float, typer.Option(help="files: seconds between looks.")] = 2.0,
    once: Annotated[bool, typer.Option(help="files: handle what is there, then exit.")] = False,
) -> None:
    """Serve a simulated WMS (REST) that executes released orders and posts signed webhooks.

    `POST /sandbox/outage?on=true|false` switches the outage while it runs. With
    `--mode files` it reads released-order files and writes confirmation files instead.
    """
    if mode == "files":
        behaviour = Behaviour(
            delays=(delay, delay, delay, delay), short_every=short_every, split_parcels=split
        )
        file_wms(folder, transport, layout, behaviour, partner, poll_every, once)
        return
    if mode != "rest":
        raise typer.BadParameter(f"--mode {mode!r}: choose rest or files")
    if not secret:
        raise typer.BadParameter("--secret is required (the partner's Standard Webhooks secret)")
    if api_key is None and not (client_id and client_secret):
        raise typer.BadParameter("give --api-key, or --client-id and --client-secret")
    behaviour = Behaviour(
        delays=(delay, delay, delay, delay),
        short_every=short_every,
        split_parcels=split,
        outage=outage,
        books_carrier=books_carrier,
    )
    warehouse = Warehouse(
        target=target, partner=partner, secret=secret, behaviour=behaviour, auto=True
    )
    client = (client_id, client_secret) if client_id and client_secret else None
    url = f"http://{host}:{port}"
    typer.echo(f"WMS (simulated, REST) at {url}; webhooks to {target}/webhooks/{partner}")
    typer.echo("  POST /orders, POST /orders/{id}/cancel, POST /orders/{id}/labels, GET /orders")
    if client is not None:
        typer.echo(f"  OAuth2 client credentials at {url}/oauth/token")
    uvicorn.run(
        build_wms_api(warehouse, api_key=api_key, client=client),
        host=host,
        port=port,
        log_level="warning",
    )


def file_wms(
    folder: Path | None,
    transport: Path | None,
    layout: str,
    behaviour: Behaviour,
    partner: str,
    poll_every: float,
    once: bool,
) -> None:
    """The sandbox WMS in file mode (`crossdock.sandbox.wms.file_mode`)."""
    if layout not in ("csv", "fixed"):
        raise typer.BadParameter(f"--layout {layout!r}: choose csv or fixed")
    try:
        chosen = file_mode.crossdock_transport(folder, transport)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None
    name: LayoutName = "fixed" if layout == "fixed" else "csv"
    warehouse = file_mode.file_warehouse(chosen, name, behaviour, partner=partner)
    typer.echo(
        f"WMS (simulated, files, {layout}): orders from {chosen.outbound}, "
        f"confirmations to {chosen.inbound}"
    )
    handled = asyncio.run(file_mode.run(warehouse, poll_every, once=once))
    if once:
        typer.echo(f"{handled} file(s) taken, {len(warehouse.written)} confirmation(s) written")
