"""Property-based tests of the CSV reader, the validator and the derivation rules.

Each example works in its own temporary folder (function-scoped fixtures are not reset between
hypothesis examples). Settings are modest so the file runs in seconds; the fast tier (make
test-fast) runs fewer examples (``examples``, the hypothesis profile ``fast``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from conftest import examples, read_rows
from demining_sdg import paths
from demining_sdg.derive import rules as derive
from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.problems import print_problems
from demining_sdg.inputs.tableio import read_table_text
from demining_sdg.inputs.validation import validate_data_dir, validate_table

PROPERTY_SETTINGS = settings(
    max_examples=examples(60), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
CONTRACT = load_contract(paths.DATA_DIR)

# Text a user might paste into a free-text cell: any character a UTF-8 file can hold except
# NUL (refused on purpose), plus the usual CSV and HTML troublemakers.
TRICKY = ['"', '""', ",", ";", "\t", "\n", "\r\n", "\r", "  ", "\ufeff", "ü€😀", "=SUM(A1)"]
TRICKY += ["<script>alert('x')</script>", "</td></tr>", "&amp;", "[/bold]"]
cell_text = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40),
        st.sampled_from(TRICKY),
    ),
    max_size=6,
).map("".join)


# (a) Free text round-trips through csv.writer and the reader -------------------------------


@PROPERTY_SETTINGS
@given(texts=st.lists(cell_text, min_size=1, max_size=8), crlf=st.booleans(), bom=st.booleans())
@example(texts=['He said "yes", then\nleft', "<script>alert(1)</script>", "a,b;c\td"], crlf=True, bom=True)
@example(texts=["\r", "a\rb", "\r\n"], crlf=False, bom=False)
def test_free_text_cells_round_trip_and_pass_validation(texts: list[str], crlf: bool, bom: bool):
    table = CONTRACT.table("population")
    header, rows = read_rows(paths.DATA_DIR / table.path)
    notes = header.index("notes")
    for index, text in enumerate(texts):
        rows[index][notes] = text
    buffer = io.StringIO()
    # Excel style (CRLF, minimal quoting) or LF with every field quoted: csv.writer with LF and
    # minimal quoting leaves a lone CR unquoted, which every reader takes as a line end.
    if crlf:
        writer = csv.writer(buffer, lineterminator="\r\n")
    else:
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / table.path
        path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
        frame, problems = read_table_text(path, table)
    assert problems == []
    assert frame is not None
    assert frame["notes"].tolist()[: len(texts)] == texts
    assert frame["notes"].tolist()[len(texts) :] == [r[notes] for r in rows[len(texts) :]]
    assert frame.index.tolist() == list(range(2, len(rows) + 2))
    assert validate_table(table, frame) == []


# (b) Any bytes as a whole file: problems or a pass, never an exception -----------------------

SMALL_TABLES = ["sources", "population", "glossary", "conference_claims", "sdg_linkages"]


@pytest.fixture(scope="module")
def small_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real tables the property writes over, with a contract listing only them (fast to validate)."""
    folder = tmp_path_factory.mktemp("small-data")
    package = json.loads((paths.DATA_DIR / paths.CONTRACT_FILE_NAME).read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] in SMALL_TABLES]
    (folder / paths.CONTRACT_FILE_NAME).write_text(json.dumps(package), encoding="utf-8")
    for name in SMALL_TABLES:
        shutil.copy(paths.DATA_DIR / CONTRACT.table(name).path, folder)
    assert validate_data_dir(folder).problems == []
    return folder


def _header_bytes(name: str) -> bytes:
    return (",".join(CONTRACT.table(name).column_names) + "\n").encode()


any_bytes = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.sampled_from(SMALL_TABLES), st.binary(max_size=500)).map(lambda p: _header_bytes(p[0]) + p[1]),
)


@PROPERTY_SETTINGS
@given(name=st.sampled_from(SMALL_TABLES), content=any_bytes)
@example(name="population", content=b"\xef\xbb\xbf")
@example(name="sources", content=b"\xff\xfe\x00")
@example(name="glossary", content=b'term,definition,source_note\n"open')
def test_any_bytes_as_a_file_give_problems_or_a_pass(small_data_dir: Path, name: str, content: bytes):
    file = CONTRACT.table(name).path
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        shutil.copytree(small_data_dir, data_dir)
        (data_dir / file).write_bytes(content)
        result = validate_data_dir(data_dir)
    known_files = {CONTRACT.table(t).path for t in SMALL_TABLES}
    assert {p.file for p in result.problems} <= known_files
    if result.problems:
        assert file in {p.file for p in result.problems}
        for problem in result.problems:
            assert problem.expected and problem.as_line().startswith(problem.file)
        print_problems(result.problems, Console(file=io.StringIO(), width=160))
    else:
        assert result.tables[name] is not None


# (c) Increments of a cumulative series ------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    points=st.lists(
        st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.integers(-(10**12), 10**12)),
        min_size=2,
        max_size=30,
        unique_by=lambda point: point[0],
    )
)
def test_increments_add_up_to_the_change_of_the_cumulative_series(points):
    frame = pd.DataFrame({"date": [pd.Timestamp(d) for d, _ in points], "value": [v for _, v in points]})
    result = derive.increments_from_cumulative(frame)
    ordered = sorted(points)
    assert len(result) == len(points) - 1
    assert result["increment"].sum() == ordered[-1][1] - ordered[0][1]
    assert (result["consistent"] == (result["increment"] >= 0)).all()
    assert (result["days"] > 0).all()


# (d) Currency conversion round trip ---------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    year=st.integers(1999, 2030),
    rate_days=st.lists(st.integers(0, 364), min_size=1, max_size=5, unique=True),
    usd_rates=st.lists(st.floats(0.05, 500.0), min_size=5, max_size=5),
    gbp_rates=st.lists(st.floats(0.05, 500.0), min_size=5, max_size=5),
    amounts=st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e13)), min_size=1, max_size=5),
    value_day=st.integers(0, 364),
    currency=st.sampled_from(["EUR", "GBP"]),
)
def test_converting_to_usd_and_back_returns_the_amount(
    year, rate_days, usd_rates, gbp_rates, amounts, value_day, currency
):
    start = pd.Timestamp(year=year, month=1, day=1)
    days = [start + pd.Timedelta(days=d) for d in rate_days]
    rates = pd.DataFrame(
        {
            "date": days * 2,
            "currency": ["USD"] * len(days) + ["GBP"] * len(days),
            "units_per_eur": usd_rates[: len(days)] + gbp_rates[: len(days)],
        }
    )
    value_date = start + pd.Timedelta(days=value_day)
    funding = pd.DataFrame({"value": amounts, "unit": currency, "value_date": value_date})
    in_usd = derive.convert_amounts(funding, rates, "USD")
    back = derive.convert_amounts(
        pd.DataFrame({"value": in_usd["amount_usd"], "unit": "USD", "value_date": value_date}), rates, currency
    )
    assert in_usd["value"].tolist() == amounts  # originals kept
    for original, returned in zip(amounts, back[f"amount_{currency.lower()}"]):
        assert math.isclose(returned, original, rel_tol=1e-9, abs_tol=0.0)


# (e) Area units ------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(values=st.lists(st.floats(0.0, 1e12, allow_nan=False), min_size=1, max_size=20), data=st.data())
def test_to_hectares_multiplies_km2_by_100_and_divides_m2_by_10000(values, data):
    unit = st.sampled_from(["km2", "m2", "ha", "count"])
    units = data.draw(st.lists(unit, min_size=len(values), max_size=len(values)))
    result = derive.to_hectares(pd.Series(values), pd.Series(units))
    assert len(result) == len(values)
    for value, unit, hectares in zip(values, units, result):
        if unit == "km2":
            assert hectares == value * 100
        elif unit == "m2":
            assert math.isclose(hectares, value / 10_000, rel_tol=1e-12, abs_tol=0.0)
        elif unit == "ha":
            assert hectares == value
        else:
            assert math.isnan(hectares)


# (f) One preferred value per key ------------------------------------------------------------

observation = st.fixed_dictionaries(
    {
        "iso3": st.sampled_from(["AZE", "KHM", "WLD"]),
        "year": st.integers(2018, 2021),
        "evidence_tier": st.integers(1, 4),
        "period_end": st.dates(dt.date(2018, 1, 1), dt.date(2021, 12, 31)).map(pd.Timestamp),
        "value": st.sampled_from([0.0, 1.0, 2.5, 1000.0]),
    }
)


@PROPERTY_SETTINGS
@given(rows=st.lists(observation, min_size=1, max_size=25))
def test_pick_preferred_chooses_one_lowest_tier_row_per_key(rows):
    observations = pd.DataFrame(rows).assign(obs_id=[f"OBS{i:03d}" for i in range(len(rows))])
    key = ["iso3", "year"]
    chosen, others = derive.pick_preferred(observations, key=key)

    assert not chosen.duplicated(subset=key).any()
    assert set(map(tuple, chosen[key].to_numpy().tolist())) == set(map(tuple, observations[key].to_numpy().tolist()))
    assert len(chosen) + len(others) == len(observations)
    assert set(chosen["obs_id"]).isdisjoint(others["obs_id"])
    assert set(chosen["obs_id"]) | set(others["obs_id"]) == set(observations["obs_id"])
    minimum = observations.groupby(key)["evidence_tier"].min()
    assert chosen.set_index(key)["evidence_tier"].sort_index().equals(minimum.sort_index())
    assert (others["chosen_obs_id"].isin(chosen["obs_id"])).all()
