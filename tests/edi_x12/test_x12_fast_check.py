"""The one-regex fast path of the segment check agrees with the element-by-element check.

The reader trusts the fast path to say "no error" for almost every segment, so a pattern
that accepted a bad value would let it through unreported; this compares both on values
drawn around every boundary the definitions have (lengths, signs, points, dates, codes).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crossdock.connectors.edi.x12 import Separators
from crossdock.connectors.edi.x12 import segments as definitions
from crossdock.connectors.edi.x12.lexer import Segment
from crossdock.connectors.edi.x12.schema import SegmentDef, _segment_errors, check_segment

DEFINITIONS = sorted(
    (v for v in vars(definitions).values() if isinstance(v, SegmentDef)), key=lambda d: d.tag
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1.5",
            ".5",
            "5.",
            "1.2.3",
            "-",
            ".",
            "20240229",
            "20230229",
            "240101",
            "2400",
            "2359",
            "235960",
            "1200001",
            "EA",
            "GM",
            "S",
            "I",
            "F",
            "A",
            "00",
            "01",
            "BP",
            "X" * 12,
            "X" * 31,
            "9" * 16,
            "\x1d",
        ]
    ),
    st.text(alphabet="0123456789.-AZ ", max_size=20),
)
SEPARATORS = Separators()


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(DEFINITIONS), st.data())
def test_fast_path_agrees_with_the_detailed_check(
    definition: SegmentDef, data: st.DataObject
) -> None:
    values = data.draw(st.lists(VALUES, max_size=definition.limit + 2))
    segment = Segment([definition.tag, *values], 5, 0, SEPARATORS)
    detailed = _segment_errors(definition, segment, 3)
    assert (check_segment(definition, segment, 3) == []) == (detailed == [])
