"""Every figure in data/ is sourced: each row's source id resolves to a source with an excerpt."""

from __future__ import annotations

import pandas as pd
import pytest

from demining_sdg import paths
from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.datasets import Datasets

CONTRACT = load_contract(paths.DATA_DIR)
OBSERVATION_TABLES = [t.name for t in CONTRACT.tables if "source_id" in t.column_names and t.name != "sources"]


@pytest.fixture(scope="module")
def data(project_datasets) -> Datasets:
    return project_datasets


def test_every_table_is_described_in_the_contract():
    on_disk = {p.name for p in paths.DATA_DIR.glob("*.csv")}
    assert on_disk == {t.path for t in CONTRACT.tables}


def test_every_source_has_an_excerpt_title_and_publisher(data: Datasets):
    sources = data.table("sources")
    for column in ("excerpt", "title", "publisher", "source_type"):
        missing = sources.loc[sources[column].isna(), "source_id"].tolist()
        assert missing == [], f"sources without {column}: {missing}"


@pytest.mark.parametrize("table", OBSERVATION_TABLES)
def test_every_row_resolves_its_source(data: Datasets, table: str):
    frame = data.table(table)
    known = set(data.table("sources")["source_id"])
    assert frame["source_id"].notna().all()
    assert set(frame["source_id"]) <= known


@pytest.mark.parametrize("table", [t for t in OBSERVATION_TABLES if "excerpt" in CONTRACT.table(t).column_names])
def test_every_observation_row_carries_an_excerpt(data: Datasets, table: str):
    frame = data.table(table)
    assert frame["excerpt"].notna().all(), frame.loc[frame["excerpt"].isna()].index.tolist()


def test_claim_evidence_ids_resolve(data: Datasets):
    claims = data.table("conference_claims")
    known = set(data.table("sources")["source_id"])
    for cell in claims["evidence_source_ids"]:
        assert set(cell.split(";")) <= known


def test_values_as_reported_are_kept_beside_every_value(data: Datasets):
    for table in ("clearance", "casualties", "funding", "contamination_targets", "population"):
        frame = data.table(table)
        has_value = frame["value"].notna()
        assert frame.loc[has_value, "value_as_reported"].notna().all(), table


def test_qualified_values_say_so(data: Datasets):
    """Rows reported with 'about', 'over', 'nearly' are never marked exact."""
    for table in ("clearance", "casualties", "funding", "contamination_targets"):
        frame = data.table(table)
        words = frame["value_as_reported"].fillna("").str.lower().str.split("(").str[0]
        hedged = words.str.contains(r"\b(?:about|approximately|nearly|over|more than|some|around)\b", regex=True)
        assert not (hedged & (frame["qualifier"] == "exact")).any(), frame.loc[
            hedged & (frame["qualifier"] == "exact"), "obs_id"
        ].tolist()


def test_the_exchange_rates_are_ecb_rows(data: Datasets):
    rates = data.table("ecb_reference_rates")
    assert set(rates["source_id"]) == {"S901"}
    assert set(rates["currency"]) == {"USD", "GBP"}
    day = rates[(rates["date"] == pd.Timestamp("2022-04-01")) & (rates["currency"] == "USD")]
    assert day["units_per_eur"].tolist() == [1.1052]


def test_data_readme_is_generated_from_the_contract():
    from demining_sdg.inputs.datadocs import render_data_readme

    on_disk = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert on_disk == render_data_readme(CONTRACT), "data/README.md is out of date: run `make docs`"
