"""EDI parse-and-map throughput and peak memory: Crossdock's X12 reader against pyx12, and
Crossdock's EDIFACT reader against pydifact's raw parse.

Run as a module from the repository root: `.venv/bin/python -m benchmarks.edi`. The
comparison reader is pyx12 (PyPI, maintained): `.venv/bin/pip install pyx12` first.

Each measurement runs in its own subprocess so that one reader's memory cannot hide another's:
the child reports its wall time and, in a second run under tracemalloc, the peak of Python
allocations while reading. Files are generated here (X12 856 ship notices; EDIFACT DESADV)
into a temporary directory and deleted afterwards.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydifact.segmentcollection import Interchange

from benchmarks._common import machine_line, print_table, reproduce_line
from crossdock.canonical.asn import AdvanceShipNotice, AsnItem, AsnOrder, AsnPackage
from crossdock.canonical.common import LocationRef, Quantity, Weight, WeightUnit
from crossdock.connectors.edi.edifact import (
    MessageId,
    OutMessage,
    Party,
    read_edifact,
    ship_notice_from_desadv,
    ship_notice_to_desadv,
    write_interchange,
)
from crossdock.connectors.edi.x12 import (
    OutgoingGroup,
    OutgoingInterchange,
    OutgoingSet,
    TransactionSet,
    read_x12,
    serialize,
    ship_notice_from_856,
    ship_notice_to_856,
)

MB = 1_000_000
SETS_PER_INTERCHANGE = 500
CREATED = datetime(2026, 1, 5, 9, 30)


def sample_notice(number: int) -> AdvanceShipNotice:
    """A realistic 856: two pallets of two cartons of two items each, plus a loose item."""

    def item(line: int) -> AsnItem:
        return AsnItem(
            sku=f"SKU-{line:05d}",
            vendor_sku=f"V-{line:05d}",
            gtin="8712345678906",
            lot=f"LOT{number % 97}",
            line_id=str(line),
            quantity=Quantity(value=Decimal(12), uom="C62"),
        )

    def carton(serial: int) -> AsnPackage:
        return AsnPackage(
            kind="pack", sscc=f"{serial:018d}", items=[item(serial % 40), item(serial % 40 + 1)]
        )

    pallets = [
        AsnPackage(
            kind="tare",
            sscc=f"{number * 10 + p:018d}",
            packages=[carton(number * 100 + p * 10 + c) for c in range(2)],
        )
        for p in range(2)
    ]
    return AdvanceShipNotice(
        asn_id=f"ASN{number:09d}",
        issued_on=date(2026, 1, 5),
        shipped_on=date(2026, 1, 5),
        ship_from=LocationRef(code="ACME", name="Acme DC", city="Utrecht", country_code="NL"),
        ship_to=LocationRef(code="WH01", name="Crossdock WH"),
        carrier_code="DHLF",
        gross_weight=Weight(value=Decimal(812), unit=WeightUnit.KG),
        package_count=6,
        bill_of_lading=f"BOL{number}",
        orders=[
            AsnOrder(
                purchase_order_reference=f"P{number:06d}",
                purchase_order_date=date(2026, 1, 2),
                packages=pallets,
                items=[item(99)],
            )
        ],
    )


def generate_x12(path: Path, target: int) -> int:
    """Write interchanges of 856s until the file reaches ``target`` bytes; returns set count."""
    template = ship_notice_to_856(sample_notice(1))
    sets = 0
    with path.open("wb") as out:
        control = 0
        while out.tell() < target:
            control += 1
            batch = []
            for _ in range(SETS_PER_INTERCHANGE):
                sets += 1
                body = [list(segment) for segment in template]
                body[0][2] = f"ASN{sets:09d}"
                batch.append(OutgoingSet("856", f"{sets % 10**9:04d}", body))
            out.write(
                serialize(
                    OutgoingInterchange(
                        sender_qualifier="ZZ",
                        sender_id="ACME",
                        receiver_qualifier="ZZ",
                        receiver_id="CROSSDOCK",
                        control_number=control,
                        created=CREATED,
                        groups=[OutgoingGroup("ACME", "CROSSDOCK", control, batch)],
                    )
                )
                + b"\n"
            )
    return sets


def generate_edifact(path: Path, target: int) -> int:
    """One DESADV interchange of about ``target`` bytes; returns message count."""
    body = ship_notice_to_desadv(sample_notice(1))
    identifier = MessageId("DESADV", "D", "96A", "UN", "EAN005")
    count = max(1, target // len(str(body)) * 2)
    messages = [OutMessage(f"M{n}", identifier, body) for n in range(1, count + 1)]
    text = write_interchange(
        messages,
        sender=Party("ACME", "14"),
        recipient=Party("CROSSDOCK", "14"),
        reference="1",
        prepared=CREATED,
    )
    path.write_text(text, encoding="utf-8")
    return count


# -- readers (run in the child) ------------------------------------------------------------


def _crossdock_x12(path: Path) -> int:
    documents = 0
    with path.open("rb") as stream:
        for item in read_x12(stream):
            if isinstance(item, TransactionSet):
                ship_notice_from_856(item)
                documents += 1
            elif hasattr(item, "set_id"):
                raise RuntimeError(f"rejected set in generated file: {item}")
    return documents


def _crossdock_x12_read_only(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for item in read_x12(stream) if isinstance(item, TransactionSet))


def _pyx12(path: Path) -> int:
    # pyx12 is the comparison, not a dependency: imported only where it is measured.
    import pyx12.x12file  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: PLC0415

    documents = 0
    with pyx12.x12file.X12Reader(str(path)) as reader:
        for segment in reader:
            if segment.get_seg_id() == "ST":
                documents += 1
    return documents


def _crossdock_edifact(path: Path) -> int:
    documents = 0
    for interchange in read_edifact(path.read_bytes()):
        for message in interchange.messages:
            ship_notice_from_desadv(message)
            documents += 1
    return documents


def _pydifact(path: Path) -> int:
    interchange = Interchange.from_str(path.read_text(encoding="utf-8"))
    return sum(1 for segment in interchange.segments if segment.tag == "UNH")


READERS: dict[str, Callable[[Path], int]] = {
    "crossdock-x12": _crossdock_x12,
    "crossdock-x12-read": _crossdock_x12_read_only,
    "pyx12": _pyx12,
    "crossdock-edifact": _crossdock_edifact,
    "pydifact": _pydifact,
}
DESCRIPTIONS = {
    "crossdock-x12": "Crossdock read_x12 + 856 mapping",
    "crossdock-x12-read": "Crossdock read_x12, checks only",
    "pyx12": "pyx12 X12Reader, segments only",
    "crossdock-edifact": "Crossdock read_edifact + DESADV mapping",
    "pydifact": "pydifact Interchange.from_str",
}


PRELOAD = {"pyx12": "pyx12.x12file"}
"""Modules a reader needs beyond this one's imports, loaded before the RSS baseline."""


def child(reader: str, path: Path, trace: bool) -> dict[str, Any]:
    """One measurement: imports first, so the RSS baseline holds the code, not the data."""
    run = READERS[reader]
    if reader in PRELOAD:
        importlib.import_module(PRELOAD[reader])
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    documents = run(path)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline
    return {"documents": documents, "seconds": seconds, "peak": peak, "rss_kib": grown}


def measure(reader: str, path: Path, trace: bool = False) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.edi", "--child", reader, str(path)]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"{reader} failed on {path.name}:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _row(name: str, size: int, timing: dict[str, Any], peak: dict[str, Any] | None) -> list[str]:
    seconds = timing["seconds"]
    return [
        DESCRIPTIONS[name],
        f"{size / MB:.1f}",
        f"{seconds:.2f}",
        f"{size / MB / seconds:.2f}",
        f"{timing['documents'] / seconds:,.0f}",
        f"{timing['rss_kib'] / 1024:.1f}",
        f"{peak['peak'] / 2**20:.2f}" if peak else "-",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--x12-mb", type=float, default=50, help="size of the large X12 file")
    parser.add_argument("--small-mb", type=float, default=10, help="size of the small X12 file")
    parser.add_argument("--edifact-mb", type=float, default=3, help="size of the EDIFACT file")
    parser.add_argument("--skip-pyx12", action="store_true", help="measure Crossdock only")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.trace)))
        return
    print(machine_line())
    with tempfile.TemporaryDirectory(prefix="crossdock-edi-bench-") as tmp:
        work = Path(tmp)
        big, small, edifact = work / "big.x12", work / "small.x12", work / "desadv.edi"
        sets = generate_x12(big, int(args.x12_mb * MB))
        small_sets = generate_x12(small, int(args.small_mb * MB))
        messages = generate_edifact(edifact, int(args.edifact_mb * MB))
        sizes = {p: p.stat().st_size for p in (big, small, edifact)}
        print(
            f"X12: {sizes[big] / MB:.1f} MB ({sets:,} 856 sets) and "
            f"{sizes[small] / MB:.1f} MB ({small_sets:,}); "
            f"EDIFACT: {sizes[edifact] / MB:.1f} MB ({messages:,} DESADV)\n"
        )
        rows: list[list[str]] = []
        x12_readers = ["crossdock-x12", "crossdock-x12-read"]
        if not args.skip_pyx12:
            x12_readers.append("pyx12")
        timings: dict[tuple[str, Path], dict[str, Any]] = {}
        for name in x12_readers:
            for path in (small, big):
                timings[name, path] = measure(name, path)
                # tracemalloc slows a reader several times: only the mapped reader pays it,
                # on both sizes, which is what shows whether memory grows with the file.
                peak = measure(name, path, trace=True) if name == "crossdock-x12" else None
                rows.append(_row(name, sizes[path], timings[name, path], peak))
        for name in ("crossdock-edifact", "pydifact"):
            timings[name, edifact] = measure(name, edifact)
            rows.append(_row(name, sizes[edifact], timings[name, edifact], None))
        print_table(
            [
                "reader",
                "MB",
                "seconds",
                "MB/s",
                "documents/s",
                "RSS growth MiB",
                "tracemalloc peak MiB",
            ],
            rows,
        )
        if not args.skip_pyx12:
            ours = timings["crossdock-x12", big]["seconds"]
            theirs = timings["pyx12", big]["seconds"]
            print(
                f"\nparse-and-map against pyx12 on {sizes[big] / MB:.0f} MB: {theirs / ours:.1f}x"
            )
    print("\nreproduce: " + reproduce_line("benchmarks.edi", sys.argv[1:]))


if __name__ == "__main__":
    main()
