"""The synthetic data package (tests/fixtures/synthetic/) is valid and labelled synthetic, and
country profiles are validated against the tables: a broken profile in a copy of it is a data
problem naming ``profiles/<ISO3>.yaml`` and the field."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

import synthetic
from conftest import read_rows, run_cli, write_rows
from demining_sdg import paths
from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.problems import Problem
from demining_sdg.inputs.validation import validate_data_dir

ROW_TABLES = ("clearance", "casualties", "funding", "contamination_targets", "population")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- the package ----------------------------------------------------------------------------------


def test_the_synthetic_package_passes_validate(synthetic_data_dir: Path):
    done = run_cli("validate", "--data-dir", str(synthetic_data_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Valid" in done.stdout + done.stderr


def test_every_table_of_the_contract_is_there_with_its_columns(synthetic_data_dir: Path):
    contract = load_contract(paths.DATA_DIR)
    for table in contract.tables:
        header, _ = read_rows(synthetic_data_dir / table.path)
        assert header == table.column_names, table.path
    header, rows = read_rows(synthetic_data_dir / "conference_claims.csv")
    assert rows == [], "a table the fixture does not provide is header-only"
    assert sorted(p.name for p in (synthetic_data_dir / "profiles").iterdir()) == ["XAA.yaml", "XBB.yaml", "XCC.yaml"]


def test_every_synthetic_row_is_labelled_and_its_figure_is_in_its_excerpts(synthetic_data_dir: Path):
    sources = {row["source_id"]: row for row in _rows(synthetic_data_dir / "sources.csv")}
    checked = 0
    for name in ROW_TABLES:
        for row in synthetic.synthetic_rows(synthetic_data_dir, name):
            where = f"{name} {row['obs_id']}"
            source = sources[row["source_id"]]
            assert source["publisher"] == synthetic.SYNTHETIC_PUBLISHER, where
            assert source["title"].startswith("[synthetic]"), where
            assert "synthetic test row" in row["notes"], where
            assert row["excerpt"].startswith("Synthetic excerpt:"), where
            assert row["value_as_reported"] in row["excerpt"], where
            assert row["value_as_reported"] in source["excerpt"], where
            assert row.get("iso3", row.get("recipient_iso3")) in synthetic.SYNTHETIC_ISO3, where
            checked += 1
    assert checked >= 100


def test_the_package_holds_no_real_country_data(synthetic_data_dir: Path):
    for name in ROW_TABLES + ("method_notes",):
        rows = _rows(synthetic_data_dir / f"{name}.csv")
        countries = {row.get("iso3") or row.get("recipient_iso3") for row in rows}
        assert countries <= set(synthetic.SYNTHETIC_ISO3), name
    real = {row["source_id"] for row in _rows(paths.DATA_DIR / "sources.csv")}
    for name in ROW_TABLES:
        assert not {row["source_id"] for row in _rows(synthetic_data_dir / f"{name}.csv")} & real, name


def test_the_profiles_are_as_documented(synthetic_data_dir: Path):
    import datetime as dt

    result = validate_data_dir(synthetic_data_dir)
    xaa, xbb, xcc = (result.profiles[code] for code in synthetic.SYNTHETIC_ISO3)
    assert [xaa.name, xbb.name, xcc.name] == ["Synthetic Country A", "Synthetic Country B", "Synthetic Country C"]
    programme, focus = xaa.scopes
    assert xaa.focus is focus and programme.ends + dt.timedelta(days=1) == focus.starts
    assert len(xaa.recorders) == 2 and xaa.comparators == ("XBB",)
    assert xbb.scope_codes == ("national",)
    assert result.tables["clearance"]["iso3"].isin(["XCC"]).sum() == 0
    assert (result.tables["funding"]["recipient_iso3"] == "XCC").sum() > 0


def test_the_build_follows_the_contract_and_refuses_columns_it_dropped(tmp_path: Path, monkeypatch):
    fixture = tmp_path / "fixture"
    shutil.copytree(synthetic.FIXTURE_DIR, fixture)
    header, rows = read_rows(fixture / "population.csv")
    write_rows(fixture / "population.csv", header + ["retired_column"], [r + [""] for r in rows])
    monkeypatch.setattr(synthetic, "FIXTURE_DIR", fixture)
    with pytest.raises(ValueError, match="retired_column"):
        synthetic.build_synthetic_data_dir(tmp_path / "data")


def test_the_contract_checks_country_codes_by_pattern_so_the_synthetic_codes_pass_unchanged():
    package = json.loads((paths.DATA_DIR / paths.CONTRACT_FILE_NAME).read_text(encoding="utf-8"))
    fields = [f for r in package["resources"] for f in r["schema"]["fields"] if f["name"].endswith("iso3")]
    assert fields and all("enum" not in f.get("constraints", {}) for f in fields)
    assert all(re.fullmatch(f["constraints"]["pattern"], code) for f in fields for code in synthetic.SYNTHETIC_ISO3)


# -- profile validation -----------------------------------------------------------------------------


def _copy(synthetic_data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(synthetic_data_dir, target)
    return target


def _edit_profile(folder: Path, iso3: str, edit) -> None:
    path = folder / "profiles" / f"{iso3}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")


def _problems(folder: Path, file: str) -> list[Problem]:
    return [p for p in validate_data_dir(folder).problems if p.file == file]


@pytest.mark.parametrize(
    ("iso3", "edit", "field", "value"),
    [
        pytest.param(
            "XAA", lambda raw: raw.update(favourite_colour="blue"), "favourite_colour", "blue", id="unknown-key"
        ),
        pytest.param("XAA", lambda raw: raw["recorders"].append("CMAA"), "recorders", "CMAA", id="unused-recorder"),
        pytest.param(
            "XBB", lambda raw: raw.update(comparators=["XZZ"]), "comparators", "XZZ", id="comparator-no-profile"
        ),
        pytest.param(
            "XAA",
            lambda raw: raw.update(scopes=raw["scopes"][1:]),
            "scopes",
            "pre_2020_programme",
            id="undeclared-scope",
        ),
        pytest.param(
            "XAA",
            lambda raw: raw["national_targets"].update(deadline="no_such_indicator"),
            "national_targets",
            "no_such_indicator",
            id="unknown-target-indicator",
        ),
    ],
)
def test_a_broken_profile_is_a_problem_naming_the_file_and_field(
    synthetic_data_dir: Path, tmp_path: Path, iso3: str, edit, field: str, value: str
):
    folder = _copy(synthetic_data_dir, tmp_path)
    _edit_profile(folder, iso3, edit)
    found = _problems(folder, f"profiles/{iso3}.yaml")
    assert [(p.column, p.value) for p in found] == [(field, value)], found


def test_a_focus_scope_that_is_not_a_scope_is_a_problem(synthetic_data_dir: Path, tmp_path: Path):
    folder = _copy(synthetic_data_dir, tmp_path)
    _edit_profile(folder, "XAA", lambda raw: raw.update(focus_scope="nowhere"))
    (problem,) = _problems(folder, "profiles/XAA.yaml")
    assert "focus_scope" in problem.as_line() and "nowhere" in problem.as_line()


def test_a_focus_scope_problem_is_in_the_focus_scope_field(synthetic_data_dir: Path, tmp_path: Path):
    folder = _copy(synthetic_data_dir, tmp_path)
    _edit_profile(folder, "XAA", lambda raw: raw.update(focus_scope="nowhere"))
    (problem,) = _problems(folder, "profiles/XAA.yaml")
    assert (problem.column, problem.value) == ("focus_scope", "nowhere")


def test_a_file_name_that_differs_from_iso3_is_a_problem(synthetic_data_dir: Path, tmp_path: Path):
    folder = _copy(synthetic_data_dir, tmp_path)
    (folder / "profiles" / "XBB.yaml").rename(folder / "profiles" / "XBD.yaml")
    (problem,) = _problems(folder, "profiles/XBD.yaml")
    assert (problem.column, problem.value) == ("iso3", "XBB")
    assert "XBD" in problem.expected


def test_a_table_scope_a_profile_does_not_declare_is_a_problem(synthetic_data_dir: Path, tmp_path: Path):
    folder = _copy(synthetic_data_dir, tmp_path)
    path = folder / "casualties.csv"
    header, rows = read_rows(path)
    row = next(r for r in rows if r[header.index("iso3")] == "XBB")
    row[header.index("programme_scope")] = "pre_2020_programme"
    write_rows(path, header, rows)
    found = _problems(folder, "profiles/XBB.yaml")
    assert [(p.column, p.value) for p in found] == [("scopes", "pre_2020_programme")]


def test_a_recorder_only_another_country_uses_is_a_problem(synthetic_data_dir: Path, tmp_path: Path):
    folder = _copy(synthetic_data_dir, tmp_path)
    _edit_profile(folder, "XBB", lambda raw: raw["recorders"].append("survey"))  # only XAA rows use it
    found = _problems(folder, "profiles/XBB.yaml")
    assert [(p.column, p.value) for p in found] == [("recorders", "survey")]


def test_validate_exits_1_and_names_the_profile_and_field(synthetic_data_dir: Path, tmp_path: Path):
    folder = _copy(synthetic_data_dir, tmp_path)
    _edit_profile(folder, "XAA", lambda raw: raw.update(favourite_colour="blue"))
    _edit_profile(folder, "XBB", lambda raw: raw.update(comparators=["XZZ"]))
    done = run_cli("validate", "--data-dir", str(folder))
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    for text in ("profiles/XAA.yaml", "favourite_colour", "profiles/XBB.yaml", "comparators", "XZZ"):
        assert text in out, text
