"""How the warehouse sets (940, 944, 945) name an item: a UPC in its own element, or
qualified id pairs (buyer's or vendor's item number, GTIN, …) later in the segment."""

from __future__ import annotations

from typing import NamedTuple

from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.po850 import SKU_QUALIFIERS
from crossdock.connectors.edi.x12.values import id_pairs

ITEM_QUALIFIERS = (*SKU_QUALIFIERS, "PN", "PI")
GTIN_QUALIFIERS = ("UP", "UK", "EN", "UA")


class ItemIds(NamedTuple):
    """The SKU is the first item number qualified as one, else the GTIN; either may be
    missing, and the caller says what that means for its set."""

    sku: str | None
    gtin: str | None
    qualified: dict[str, str]


def item_ids(segment: Segment, upc_element: int, pairs: tuple[int, int]) -> ItemIds:
    qualified = id_pairs(segment, *pairs)
    gtin = segment.element(upc_element) or next(
        (qualified[q] for q in GTIN_QUALIFIERS if q in qualified), None
    )
    sku = next((qualified[q] for q in ITEM_QUALIFIERS if q in qualified), None) or gtin
    return ItemIds(sku, gtin, qualified)
