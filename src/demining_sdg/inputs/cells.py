"""The cells of one table read once: every cell's text without surrounding spaces, and what each
number, integer and date cell reads as. The contract's checks and the rules between tables all
work on these, so no column is stripped, matched or parsed twice."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from demining_sdg.inputs.contract import TableContract

NUMBER_PATTERN = r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?"
INTEGER_PATTERN = r"-?\d+"
STORABLE_INTEGER_PATTERN = r"-?0*\d{1,18}"  # always fits a 64-bit integer
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
BOOLEAN_VALUES = ("true", "false")


@dataclass(frozen=True)
class Cells:
    """``text``: every cell stripped of surrounding spaces ('' where blank). ``values``: each number
    and integer field as a float, each date field as a timestamp (NaN / NaT where blank or unreadable;
    a number written as such is read even in an integer field, as the range checks want)."""

    text: pd.DataFrame
    values: pd.DataFrame

    def present(self, column: str) -> pd.Series:
        return self.text[column] != ""


def numbers(text: pd.Series) -> pd.Series:
    """Cells written as plain numbers, as floats (NaN otherwise)."""
    return pd.to_numeric(text.where(text.str.fullmatch(NUMBER_PATTERN)), errors="coerce")


def dates(text: pd.Series) -> pd.Series:
    """Cells written YYYY-MM-DD that are real dates, as timestamps (NaT otherwise)."""
    return pd.to_datetime(text.where(text.str.fullmatch(DATE_PATTERN)), format="%Y-%m-%d", errors="coerce")


def read_cells(frame: pd.DataFrame, contract: TableContract) -> Cells:
    stripped = {c: [cell.strip() for cell in frame[c].tolist()] for c in frame.columns}
    text = pd.DataFrame(stripped, index=frame.index, columns=frame.columns, dtype=object)
    values = {}
    for spec in contract.fields:
        if spec.type in ("number", "integer"):
            values[spec.name] = numbers(text[spec.name])
        elif spec.type == "date":
            values[spec.name] = dates(text[spec.name])
    return Cells(text, pd.DataFrame(values, index=frame.index))
