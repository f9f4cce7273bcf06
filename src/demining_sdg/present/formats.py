"""One style for numbers and dates, used by every table, sentence, chart and slide.

Dates are written "18 Mar 2021" (day precision), "Mar 2021" (month) or "2021" (year), built from
the date's parts so the output is the same on every operating system. Exact values keep their
digits ("54,478.67"); reader sentences use :func:`rounded` ("about 54,500").
"""

from __future__ import annotations

import math
from numbers import Number

import pandas as pd

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
QUALIFIER_WORDS = {"approximate": "about ", "lower_bound": "at least ", "upper_bound": "under ", "exact": ""}
UNIT_WORDS = {"ha": " ha", "km2": " km²", "m2": " m²", "count": "", "persons": "", "percent": "%", "items": ""}
MONEY_UNITS = {"EUR", "USD", "GBP", "AZN", "JPY", "CHF", "SEK", "NOK", "DKK", "CAD", "AUD", "KHR"}


def is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def number(value: object) -> str:
    """An exact value as the tables show it: '1,651', '54,478.67', '–' when missing."""
    if is_missing(value):
        return "–"
    if isinstance(value, pd.Timestamp):
        return date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Number):
        as_float = float(value)
        if as_float.is_integer():
            return f"{int(as_float):,}"
        return f"{as_float:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def fixed(value: object, decimals: int) -> str:
    """A value to exactly ``decimals`` places, for a column read down ('0.850', '1.130'); '–' when missing."""
    return "–" if is_missing(value) else f"{float(value):,.{decimals}f}"


def rounded(value: float, significant: int = 3) -> str:
    """A reader's number: three significant figures for large values ('54,500', '1.65 million')."""
    if is_missing(value):
        return "–"
    value = float(value)
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    value = round(value, significant - 1 - magnitude)  # 999,999 -> 1,000,000 -> "1 million"
    magnitude = math.floor(math.log10(abs(value)))
    if abs(value) >= 1_000_000:
        millions = round(value / 1_000_000, max(0, significant - 1 - (magnitude - 6)))
        text = f"{millions:,.2f}".rstrip("0").rstrip(".")
        return f"{text} million"
    digits = significant - 1 - magnitude
    kept = round(value, digits)
    if digits <= 0:
        return f"{int(kept):,}"
    return f"{kept:,.{digits}f}".rstrip("0").rstrip(".")


def date(value: object, precision: str | None = "day") -> str:
    """'18 Mar 2021', 'Mar 2021' or '2021'; 'date not stated' when missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "date not stated"
    stamp = pd.Timestamp(value)
    if precision == "year":
        return f"{stamp.year}"
    if precision == "month":
        return f"{MONTHS[stamp.month - 1]} {stamp.year}"
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"


def iso_date(value: object) -> str:
    """'2021-03-18' for machine-facing places (downloads, file records)."""
    stamp = pd.Timestamp(value)
    return f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}"


def qualified(value: float, qualifier: str | None = "exact", unit: str | None = None, *, exact: bool = True) -> str:
    """'about 168,000 ha', 'EUR 2.5 million': the number as its source qualifies it. Reader text
    never carries spurious precision: a fraction of 100 or more ('54,478.67 ha') reads 'about 54,500 ha'
    (the table beside it keeps the exact value); a bound ('at least 1,651.5') is never rounded."""
    word = QUALIFIER_WORDS.get(qualifier or "exact", "")
    fraction = (
        isinstance(value, Number) and not is_missing(value) and abs(value) >= 100 and not float(value).is_integer()
    )
    if fraction and exact and (qualifier or "exact") in ("exact", "approximate"):  # bounds stay exact
        exact, word = False, word or QUALIFIER_WORDS["approximate"]
    shown = number(value) if exact else rounded(value)
    if unit in MONEY_UNITS:
        return f"{word}{money(value, unit)}"
    suffix = UNIT_WORDS.get(unit or "", f" {unit}" if unit else "")
    return f"{word}{shown}{suffix}"


def money(value: float, currency: str, *, exact: bool = False) -> str:
    """'EUR 2.5 million', 'USD 480,000' (exact: 'EUR 2,500,000')."""
    if is_missing(value):
        return "–"
    if exact:
        return f"{currency} {number(value)}"
    return f"{currency} {rounded(value)}"


def percent(share: float, digits: int = 1) -> str:
    """A derived percentage: '24.2%'."""
    return f"{share:.{digits}f}%"
