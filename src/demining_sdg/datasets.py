"""Typed input tables: the only way analysis code and notebooks get data.

Tables are validated against the contract before they are typed; a data problem raises
:class:`~demining_sdg.problems.DataProblems`, never a half-loaded frame.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from demining_sdg import paths
from demining_sdg.contract import DataContract, TableContract
from demining_sdg.problems import DataProblems
from demining_sdg.validation import validate_data_dir


def _typed(frame: pd.DataFrame, contract: TableContract) -> pd.DataFrame:
    typed = pd.DataFrame(index=frame.index)
    for spec in contract.fields:
        text = frame[spec.name].astype(str).str.strip()
        blank = text == ""
        if spec.type == "number":
            typed[spec.name] = pd.to_numeric(text.where(~blank, None), errors="raise").astype("float64")
        elif spec.type == "integer":
            typed[spec.name] = pd.to_numeric(text.where(~blank, None), errors="raise").astype("Int64")
        elif spec.type == "date":
            typed[spec.name] = pd.to_datetime(text.where(~blank, None), format="%Y-%m-%d")
        elif spec.type == "boolean":
            typed[spec.name] = text.map({"true": True, "false": False}).astype("boolean")
        else:
            typed[spec.name] = text.where(~blank, None)
    return typed


class Datasets:
    """The validated, typed tables of one data folder."""

    def __init__(self, data_dir: Path = paths.DATA_DIR):
        self.data_dir = Path(data_dir)
        result = validate_data_dir(self.data_dir)
        if result.problems:
            raise DataProblems(result.problems)
        assert result.contract is not None
        self.contract: DataContract = result.contract
        self._text = result.tables
        self._typed: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """A copy of one typed table (index = spreadsheet row number)."""
        if name not in self._typed:
            text = self._text.get(name)
            if text is None:
                raise KeyError(f"no table named {name!r}; tables: {', '.join(self.contract.names)}")
            self._typed[name] = _typed(text, self.contract.table(name))
        return self._typed[name].copy()

    @cached_property
    def sources(self) -> pd.DataFrame:
        return self.table("sources").set_index("source_id", drop=False)

    def input_files(self) -> list[Path]:
        files = [self.data_dir / paths.CONTRACT_FILE_NAME]
        files += [self.data_dir / t.path for t in self.contract.tables]
        return files

    def countries_with_data(self) -> set[str]:
        countries: set[str] = set()
        for name in ("clearance", "casualties", "funding", "contamination_targets"):
            if name in self.contract.names:
                frame = self.table(name)
                column = "recipient_iso3" if "recipient_iso3" in frame.columns else "iso3"
                countries |= set(frame[column].dropna())
        return countries - {"WLD"}
