"""Typed input tables: the only way analysis code and notebooks get data.

Tables are validated against the contract before they are typed; a data problem raises
:class:`~demining_sdg.inputs.problems.DataProblems`, never a half-loaded frame.
"""

from __future__ import annotations

import copy
import json
from functools import cached_property
from pathlib import Path

import pandas as pd

from demining_sdg import paths
from demining_sdg.inputs.contract import ContractError, DataContract, TableContract, load_contract
from demining_sdg.inputs.problems import DataProblems
from demining_sdg.inputs.profiles import CountryProfile, profile_files, read_profile
from demining_sdg.inputs.tableio import read_table_text
from demining_sdg.inputs.validation import validate_data_dir
from demining_sdg.provenance import record as provenance


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


VALIDATED_STAMP = "validated.json"


def write_validated_stamp(datasets: Datasets, folder: Path) -> Path:
    """Record the hashes of inputs that just passed validation (the render does this once, so
    its chapters need not validate the same bytes again)."""
    stamp = Path(folder) / VALIDATED_STAMP
    files = {str(p.resolve()): provenance.sha256_of(p) for p in datasets.input_files()}
    stamp.write_text(json.dumps({"inputs": files}, indent=1), encoding="utf-8")
    return stamp


def _stamp_matches(data_dir: Path, stamp: Path | None) -> bool:
    if stamp is None or not stamp.is_file():
        return False
    recorded = json.loads(stamp.read_text(encoding="utf-8"))["inputs"]
    try:
        files = load_contract(data_dir).input_files(data_dir)
    except ContractError:
        return False
    return all(p.is_file() and recorded.get(str(p.resolve())) == provenance.sha256_of(p) for p in files)


class Datasets:
    """The validated, typed tables of one data folder.

    ``validated_stamp``: a file written by :func:`write_validated_stamp`; when every input's
    hash matches it, the (already passed) validation is not repeated.
    """

    def __init__(self, data_dir: Path = paths.DATA_DIR, validated_stamp: Path | None = None):
        self.data_dir = Path(data_dir)
        if _stamp_matches(self.data_dir, validated_stamp):
            self.contract = load_contract(self.data_dir)
            self._text = {t.name: read_table_text(self.data_dir / t.path, t)[0] for t in self.contract.tables}
            self.profiles = {p.stem: read_profile(p)[0] for p in profile_files(self.data_dir)}
        else:
            result = validate_data_dir(self.data_dir)
            if result.problems:
                raise DataProblems(result.problems)
            assert result.contract is not None
            self.contract: DataContract = result.contract
            self._text = result.tables
            self.profiles = result.profiles
        self._typed: dict[str, pd.DataFrame] = {}
        self.tables_read: set[str] = set()  # what a chapter depends on (the render's cache keys on it)

    def for_chapter(self) -> Datasets:
        """A view sharing the loaded tables that records its own reads: a kernel that runs several
        chapters keeps one ``Datasets``, but each chapter's cache entry must list what it read."""
        view = copy.copy(self)
        view.tables_read = set()
        view.__dict__.pop("sources", None)  # cached_property: re-read through table(), so recorded
        return view

    def table(self, name: str) -> pd.DataFrame:
        """A copy of one typed table (index = spreadsheet row number)."""
        self.tables_read.add(name)
        if name not in self._typed:
            text = self._text.get(name)
            if text is None:
                raise KeyError(f"no table named {name!r}; tables: {', '.join(self.contract.names)}")
            self._typed[name] = _typed(text, self.contract.table(name))
        return self._typed[name].copy()

    @cached_property
    def sources(self) -> pd.DataFrame:
        return self.table("sources").set_index("source_id", drop=False)

    def profile(self, iso3: str) -> CountryProfile | None:
        """The country's profile, or None when data/profiles/ has none for it."""
        return self.profiles.get(iso3)

    def input_files(self) -> list[Path]:
        return self.contract.input_files(self.data_dir)

    def latest_date(self, iso3: str) -> pd.Timestamp | None:
        """The data cut-off of a country's report: the latest date an observation about it (clearance,
        casualties, funding) refers to. Targets and deadlines look ahead and do not count."""
        latest = None
        for name, country, date in (
            ("clearance", "iso3", "period_end"),
            ("casualties", "iso3", "period_end"),
            ("funding", "recipient_iso3", "value_date"),
        ):
            if name in self.contract.names:
                frame = self.table(name)
                found = frame.loc[frame[country] == iso3, date].max()
                if pd.notna(found) and (latest is None or found > latest):
                    latest = found
        return latest

    def rows_about(self, iso3: str) -> dict[str, int]:
        """How many rows of clearance, casualties and funding are about one country."""
        counts = {}
        for name, column in (("clearance", "iso3"), ("casualties", "iso3"), ("funding", "recipient_iso3")):
            if name in self.contract.names:
                counts[name] = int((self.table(name)[column] == iso3).sum())
        return counts
