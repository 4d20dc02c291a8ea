"""The one reading of numbers: what it takes and what it refuses, with a sentence for each."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ascn_portal.numbers import to_decimal, to_integer

HOSTILE = [[1], {"a": 1}, True, False, None, b"1", float("inf"), float("-inf"), float("nan"), Decimal("NaN"),
           Decimal("Infinity"), "inf", "-inf", "nan", "Infinity", "1e999", "1E3", 10**30, "9" * 5000, "١٢٣",
           "1_000", "0x1F", "1,50,000", "1,500 000", "--1", "", "  "]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v)[:20] for v in HOSTILE])
def test_hostile_values_are_refused_with_a_sentence(value):
    for parse in (to_decimal, to_integer):
        with pytest.raises(ValidationError) as refused:
            parse(value, grouping=True)
        assert refused.value.messages[0].endswith(".")


@pytest.mark.parametrize(
    ("value", "grouping", "expected"),
    [
        ("1500000.50", False, Decimal("1500000.50")),
        (" 42 ", False, Decimal(42)),
        ("1,500,000.50", True, Decimal("1500000.50")),
        ("1 500 000", True, Decimal(1500000)),
        ("5.000", False, Decimal("5.00")),
        (12.5, False, Decimal("12.5")),
        (400000.0, False, Decimal("400000.0")),
        (7, False, Decimal(7)),
    ],
)
def test_numbers_as_people_and_programs_write_them(value, grouping, expected):
    assert to_decimal(value, grouping=grouping) == expected


def test_grouping_only_where_the_field_allows_it_and_bounds_are_kept():
    with pytest.raises(ValidationError):
        to_decimal("1,500", grouping=False)
    with pytest.raises(ValidationError, match="at most 2 digits after the point"):
        to_decimal("1.005")
    with pytest.raises(ValidationError, match="at most 14 digits before the point"):
        to_decimal("123456789012345")
    with pytest.raises(ValidationError, match="at least 0"):
        to_decimal("-1", min_value=0)
    assert to_integer(3.0) == 3 and to_integer("1,000", grouping=True) == 1000
    with pytest.raises(ValidationError, match="whole number"):
        to_integer(3.5)
    with pytest.raises(ValidationError, match="too large"):
        to_integer(2**63)
    with pytest.raises(ValidationError, match="at most 100"):
        to_integer("101", max_value=100)
