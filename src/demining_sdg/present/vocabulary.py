"""The display words for data codes, read from the data folder's ``vocabulary.csv``.

One vocabulary for the whole report: every table cell, sentence and chart label that shows a
code ('inconsistent_with_series', 'AP_mine') shows its words from here. A code without an entry
is shown with its underscores as spaces.
"""

from __future__ import annotations

import pandas as pd

from demining_sdg.inputs.datasets import Datasets


class Vocabulary:
    def __init__(self, frame: pd.DataFrame | None = None):
        self._label: dict[tuple[str, str], str] = {}
        self._short: dict[tuple[str, str], str] = {}
        if frame is not None:
            for row in frame.itertuples(index=False):
                key = (str(row.column), str(row.code))
                self._label[key] = str(row.label)
                short = row.short_label
                self._short[key] = str(short) if isinstance(short, str) and short else str(row.label)

    @classmethod
    def of(cls, data: Datasets) -> Vocabulary:
        return cls(data.table("vocabulary") if "vocabulary" in data.contract.names else None)

    def words(self, column: str, code: object, *, short: bool = False) -> str | None:
        """The words for one code; None for a missing value."""
        if code is None or code is pd.NA or (isinstance(code, float) and pd.isna(code)):
            return None
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        key = (column, str(code))
        found = (self._short if short else self._label).get(key)
        return found if found is not None else str(code).replace("_", " ")

    def column(self, column: str, values: pd.Series, *, short: bool = False) -> pd.Series:
        return values.map(lambda code: self.words(column, code, short=short))
