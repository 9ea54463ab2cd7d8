"""The one parser for numbers and dates from requests and files: never raises, and
whatever it returns is what int()/Decimal would read and a database column can hold."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.parsing import DB_INT_MAX, parse_date, parse_decimal, parse_id, parse_int

ODD = ["²", "①", "½", "1²", "1e3", "1_000", "0x10", " ", "", None, "NaN", "Infinity", "-", "+", "٣", "\x00", "1\x00"]


@pytest.mark.parametrize("text", ODD)
def test_int_refuses_what_int_refuses_or_is_not_a_plain_number(text):
    expected = {"٣": 3}.get(text)  # Arabic-Indic three is a decimal digit int() reads
    assert parse_int(text) == expected


@pytest.mark.parametrize(("text", "value"), [("42", 42), (" 7 ", 7), ("-3", -3), ("１２", 12), ("007", 7)])
def test_int_reads_plain_numbers(text, value):
    assert parse_int(text) == value


def test_id_is_positive_and_fits_a_bigint():
    assert parse_id("1") == 1 and parse_id(str(DB_INT_MAX)) == DB_INT_MAX
    assert parse_id("0") is parse_id("-1") is parse_id(str(DB_INT_MAX + 1)) is parse_id("9" * 40) is None


@pytest.mark.parametrize("text", ["1e309", "NaN", "sNaN", "Infinity", "-Infinity", "inf", "1e5", "²", "1.2.3", "."])
def test_decimal_refuses_exponents_and_specials(text):
    assert parse_decimal(text) is None


def test_decimal_rounds_and_bounds_like_the_column():
    assert parse_decimal("85.555", decimal_places=2) == Decimal("85.56")
    assert parse_decimal("9999999.99", max_digits=9, decimal_places=2) == Decimal("9999999.99")
    assert parse_decimal("10000000", max_digits=9, decimal_places=2) is None
    assert parse_decimal("1,234.5", allow_thousands=True) == Decimal("1234.5")
    assert parse_decimal(float("nan")) is None and parse_decimal(85.5) == Decimal("85.5")


@pytest.mark.parametrize(
    ("text", "value"),
    [("2026-12-01", date(2026, 12, 1)), ("2026/12/1", date(2026, 12, 1)), ("2026年12月1日", date(2026, 12, 1))],
)
def test_date_reads_the_usual_spellings(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "20261201", "²⁰²⁶-1-1", "", None, "0000-01-01"])
def test_date_refuses_what_is_not_a_day(text):
    assert parse_date(text) is None


@settings(derandomize=True, max_examples=300)
@given(st.text(max_size=40))
def test_int_never_raises_and_agrees_with_int(text):
    value = parse_int(text)
    if value is not None:
        assert value == int(text)


@settings(derandomize=True, max_examples=300)
@given(st.text(max_size=40))
def test_decimal_never_raises_and_is_finite(text):
    value = parse_decimal(text, max_digits=9, decimal_places=2)
    if value is not None:
        assert value.is_finite() and abs(value) < 10**7


@settings(derandomize=True, max_examples=300)
@given(st.text(max_size=20))
def test_date_never_raises(text):
    parse_date(text)
