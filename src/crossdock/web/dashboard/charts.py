"""Small inline SVG charts, rendered on the server: no script library, nothing fetched."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 600, 140, 28


def bar_chart(values: Sequence[float | None], *, title: str, unit: str) -> Markup:
    """One bar per value (None: no data, no bar), with the maximum written on the axis."""
    known = [v for v in values if v is not None]
    top = max(known) if known else 0.0
    scale = (HEIGHT - 2 * PAD) / top if top > 0 else 0.0
    width = (WIDTH - 2 * PAD) / max(len(values), 1)
    bars = []
    for index, value in enumerate(values):
        if value is None:
            continue
        height = value * scale
        x = PAD + index * width
        y = HEIGHT - PAD - height
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width - 2, 1):.1f}" '
            f'height="{height:.1f}"><title>{value:.3g} {escape(unit)}</title></rect>'
        )
    label = f"{top:.3g} {unit}" if known else "no data"
    return Markup(  # noqa: S704 - built from numbers and escaped text only
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" />'
        f'<text x="{PAD}" y="{PAD - 8}">{escape(label)}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 8}">-60 min</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" text-anchor="end">now</text>'
        + "".join(bars)
        + "</svg>"
    )
