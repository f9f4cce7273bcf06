"""The broken-input corpus: generated variants of the real data/ tables, one defect each.

Every variant must end in a located Problem (file, and row/column where they mean something,
plus the words the user needs) or, for files a spreadsheet program legitimately writes (BOM,
CRLF), be read exactly like the original. Never a traceback: validation, the printed table,
the CLI and the render command are all exercised.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from conftest import run_cli
from corpus import (
    Expected,
    Spot,
    add_column,
    append_copy_of_row,
    cell,
    drop_column,
    first_non_ascii_cell,
    keep_header_only,
    png_bytes,
    read_rows,
    rename_column,
    replace_line,
    rewrite,
    row_index,
    set_cell,
    spreadsheet_row,
    unquote,
    write_big_copy,
    write_rows,
    zip_of,
)
from demining_sdg import paths
from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.problems import print_problems
from demining_sdg.inputs.tableio import read_table_text
from demining_sdg.inputs.validation import ValidationResult, validate_data_dir

CASES: list = []
CASE_BY_ID: dict[str, Callable[[Path], list[Spot] | Expected]] = {}


KINDS_SEEN: set[str] = set()


def case(case_id: str, *marks: pytest.MarkDecorator):
    """Register a function that breaks a data copy and returns what validation must report.

    The fast tier (make test-fast) runs the first case of each kind (the id's first word: column,
    type, encoding, ...); the others carry the ``slow`` marker and run in the whole suite."""
    kind = case_id.split("-")[0]
    if kind in KINDS_SEEN:
        marks = (*marks, pytest.mark.slow)
    KINDS_SEEN.add(kind)

    def register(break_data: Callable[[Path], list[Spot] | Expected]):
        CASES.append(pytest.param(break_data, id=case_id, marks=marks))
        CASE_BY_ID[case_id] = break_data
        return break_data

    return register


def original_frame(name: str) -> pd.DataFrame:
    table = load_contract(paths.DATA_DIR).table(name)
    frame, problems = read_table_text(paths.DATA_DIR / table.path, table)
    assert frame is not None and not problems
    return frame


def reads_like_the_original(name: str) -> Callable[[ValidationResult], None]:
    def verify(result: ValidationResult) -> None:
        frame = result.tables[name]
        assert frame is not None
        pd.testing.assert_frame_equal(frame, original_frame(name))

    return verify


# Columns -------------------------------------------------------------------------------------


@case("column-missing")
def _(d: Path):
    drop_column(d / "population.csv", "value")
    return [Spot("population.csv", 1, "value", "this column to be present")]


@case("column-renamed")
def _(d: Path):
    rename_column(d / "casualties.csv", "iso3", "country")
    return [
        Spot("casualties.csv", 1, "iso3", "this column to be present"),
        Spot("casualties.csv", 1, "country", "only the contract's columns", value="country"),
    ]


@case("column-extra")
def _(d: Path):
    add_column(d / "funding.csv", "comment", "checked by Ana")
    return [Spot("funding.csv", 1, "comment", "only the contract's columns", value="comment")]


@case("column-twice")
def _(d: Path):
    add_column(d / "population.csv", "notes", "")
    return [Spot("population.csv", 1, "notes", "each column name once")]


@case("column-name-with-spaces")
def _(d: Path):
    rename_column(d / "sdg_values.csv", "iso3", " iso3 ")
    return [Spot("sdg_values.csv", 1, " iso3 ", "without surrounding spaces: 'iso3'")]


# Wrong types ---------------------------------------------------------------------------------


@case("type-text-in-number")
def _(d: Path):
    row = set_cell(d / "clearance.csv", 2, "value", "about 300")
    return [Spot("clearance.csv", row, "value", "a plain number", value="about 300")]


@case("type-decimal-in-integer")
def _(d: Path):
    row = set_cell(d / "population.csv", 1, "year", "2010.5")
    return [Spot("population.csv", row, "year", "a whole number", value="2010.5")]


@case("type-yes-in-boolean")
def _(d: Path):
    row = set_cell(d / "funding.csv", 0, "is_cumulative", "yes")
    return [Spot("funding.csv", row, "is_cumulative", "true or false", value="yes")]


@case("type-date-dd-mm-yyyy")
def _(d: Path):
    row = set_cell(d / "ecb_reference_rates.csv", 0, "date", "04/01/1999")
    return [Spot("ecb_reference_rates.csv", row, "date", "YYYY-MM-DD", value="04/01/1999")]


@case("type-impossible-date")
def _(d: Path):
    path = d / "funding.csv"
    row = set_cell(path, row_index(path, value_date=bool), "value_date", "2023-02-30")
    return [Spot("funding.csv", row, "value_date", "YYYY-MM-DD", value="2023-02-30")]


@case("required-cell-empty")
def _(d: Path):
    row = set_cell(d / "sources.csv", 4, "title", "  ")
    return [Spot("sources.csv", row, "title", "a value (this column is required)")]


@case("enum-unknown-word")
def _(d: Path):
    row = set_cell(d / "casualties.csv", 0, "outcome", "dead")
    return [Spot("casualties.csv", row, "outcome", "one of: ", value="dead")]


@case("pattern-bad-id")
def _(d: Path):
    row = set_cell(d / "clearance.csv", 0, "obs_id", "CLR-1")
    return [Spot("clearance.csv", row, "obs_id", "pattern ^CLR[0-9]{3}$", value="CLR-1")]


# Negative and absurd values ------------------------------------------------------------------


@case("value-negative")
def _(d: Path):
    row = set_cell(d / "funding.csv", 1, "value", "-100")
    return [Spot("funding.csv", row, "value", "at least 0", value="-100")]


@case("value-percent-250")
def _(d: Path):
    path = d / "casualties.csv"
    row = set_cell(path, row_index(path, unit="percent", value=bool), "value", "250")
    return [Spot("casualties.csv", row, "value", "percentage of at most 100", value="250")]


@case("value-year-3020")
def _(d: Path):
    row = set_cell(d / "population.csv", 0, "year", "3020")
    return [Spot("population.csv", row, "year", "at most 2100", value="3020")]


@case("value-date-in-3020")
def _(d: Path):
    row = set_cell(d / "contamination_targets.csv", 0, "reference_date", "3020-06-30")
    return [Spot("contamination_targets.csv", row, "reference_date", "between 1900-01-01 and 2100-12-31")]


@case("value-sdg-goal-19")
def _(d: Path):
    row = set_cell(d / "sdg_linkages.csv", 0, "sdg_goal", "19")
    return [Spot("sdg_linkages.csv", row, "sdg_goal", "at most 18", value="19")]


@case("value-overflows-1e999")
def _(d: Path):
    row = set_cell(d / "clearance.csv", 0, "value", "1e999")
    return [Spot("clearance.csv", row, "value", "storable size", value="1e999")]


@case("value-integer-25-digits")
def _(d: Path):
    row = set_cell(d / "population.csv", 0, "value", "9" * 25)
    return [Spot("population.csv", row, "value", "at most 18 digits")]


# Dates ---------------------------------------------------------------------------------------


@case("date-in-the-future")
def _(d: Path):
    row = set_cell(d / "casualties.csv", 0, "period_end", "2099-12-31")
    return [Spot("casualties.csv", row, "period_end", "not in the future", value="2099-12-31")]


@case("dates-reversed")
def _(d: Path):
    path = d / "clearance.csv"
    index = row_index(path, period_start=bool, period_end=bool)
    start = cell(path, index, "period_start")
    row = set_cell(path, index, "period_end", "1990-01-01")
    return [Spot("clearance.csv", row, "period_end", f"period_end on or after period_start ({start})")]


@case("years-reversed")
def _(d: Path):
    path = d / "funding.csv"
    index = row_index(path, period_start_year=lambda v: v > "1995", period_end_year=bool)
    row = set_cell(path, index, "period_end_year", "1990")
    return [Spot("funding.csv", row, "period_end_year", "on or after period_start_year")]


# Duplicate keys ------------------------------------------------------------------------------


@case("key-duplicate-obs-id")
def _(d: Path):
    path = d / "casualties.csv"
    copy_row = append_copy_of_row(path, 0)
    text = "a unique key (obs_id)"
    return [Spot("casualties.csv", 2, "obs_id", text), Spot("casualties.csv", copy_row, "obs_id", text)]


@case("key-duplicate-source-id")
def _(d: Path):
    path = d / "sources.csv"
    source_id = cell(path, 5, "source_id")
    copy_row = append_copy_of_row(path, 5)
    text = "a unique key (source_id)"
    return [
        Spot("sources.csv", spreadsheet_row(5), "source_id", text, source_id),
        Spot("sources.csv", copy_row, "source_id", text, source_id),
    ]


@case("key-duplicate-date-and-currency")
def _(d: Path):
    path = d / "ecb_reference_rates.csv"
    copy_row = append_copy_of_row(path, 0)
    key = f"{cell(path, 0, 'date')} | {cell(path, 0, 'currency')}"
    text = "a unique key (date, currency)"
    return [
        Spot("ecb_reference_rates.csv", 2, "date, currency", text, key),
        Spot("ecb_reference_rates.csv", copy_row, "date, currency", text, key),
    ]


# Dangling source ids -------------------------------------------------------------------------


@case("source-id-dangling")
def _(d: Path):
    row = set_cell(d / "clearance.csv", 4, "source_id", "S999")
    return [Spot("clearance.csv", row, "source_id", "an id listed in sources", value="S999")]


@case("evidence-source-ids-dangling")
def _(d: Path):
    path = d / "conference_claims.csv"
    row = set_cell(path, 1, "evidence_source_ids", cell(path, 1, "evidence_source_ids") + ";S998")
    return [Spot("conference_claims.csv", row, "evidence_source_ids", "an id listed in sources", value="S998")]


@case("article-source-id-dangling")
def _(d: Path):
    row = set_cell(d / "conference_claims.csv", 0, "article_source_id", "S997")
    return [Spot("conference_claims.csv", row, "article_source_id", "an id listed in sources", value="S997")]


# Encodings and line ends ---------------------------------------------------------------------

UTF8_HINT = "UTF-8 text; this cell has bytes that are not UTF-8"


@case("encoding-cp1252")
def _(d: Path):
    path = d / "casualties.csv"
    row, column = first_non_ascii_cell(path)
    rewrite(path, encoding="cp1252")
    return [Spot("casualties.csv", row, column, UTF8_HINT)]


@case("encoding-latin-1")
def _(d: Path):
    path = d / "glossary.csv"
    set_cell(path, 3, "definition", cell(path, 3, "definition") + " (zone à risque)")
    row, column = first_non_ascii_cell(path)
    rewrite(path, encoding="latin-1")
    return [Spot("glossary.csv", row, column, UTF8_HINT)]


@case("encoding-utf-16")
def _(d: Path):
    rewrite(d / "population.csv", encoding="utf-16")
    return [Spot("population.csv", None, None, "this file is UTF-16 encoded")]


@case("encoding-utf-16-without-bom")
def _(d: Path):
    rewrite(d / "sdg_values.csv", encoding="utf-16-le")
    return [Spot("sdg_values.csv", None, None, "this file is UTF-16 encoded")]


@case("excel-bom-is-read")
def _(d: Path):
    rewrite(d / "sources.csv", encoding="utf-8-sig")
    return Expected([], verify=reads_like_the_original("sources"))


@case("excel-crlf-is-read")
def _(d: Path):
    rewrite(d / "casualties.csv", newline="\r\n")
    return Expected([], verify=reads_like_the_original("casualties"))


@case("excel-bom-and-crlf-are-read")
def _(d: Path):
    rewrite(d / "funding.csv", newline="\r\n", encoding="utf-8-sig")
    return Expected([], verify=reads_like_the_original("funding"))


# Separators and number formats ---------------------------------------------------------------


@case("separator-semicolons")
def _(d: Path):
    rewrite(d / "clearance.csv", delimiter=";")
    return [Spot("clearance.csv", 1, None, "separated by semicolons")]


@case("separator-tabs")
def _(d: Path):
    rewrite(d / "sdg_values.csv", delimiter="\t")
    return [Spot("sdg_values.csv", 1, None, "separated by tabs")]


@case("decimal-comma-quoted")
def _(d: Path):
    path = d / "sdg_values.csv"
    index = row_index(path, value=lambda v: "." in v)
    comma = cell(path, index, "value").replace(".", ",")
    row = set_cell(path, index, "value", comma)
    return [Spot("sdg_values.csv", row, "value", "'.' as decimal mark", value=comma)]


@case("decimal-comma-unquoted")
def _(d: Path):
    path = d / "sdg_values.csv"
    index = row_index(path, value=lambda v: "." in v)
    comma = cell(path, index, "value").replace(".", ",")
    row = set_cell(path, index, "value", comma)
    unquote(path, comma)
    fields = len(read_rows(path)[0])
    return [Spot("sdg_values.csv", row, None, f"{fields} comma-separated fields; found {fields + 1}")]


@case("thousands-separators-quoted")
def _(d: Path):
    row = set_cell(d / "funding.csv", 3, "value", "9,173,082")
    return [Spot("funding.csv", row, "value", "no thousands separators", value="9,173,082")]


@case("thousands-separators-unquoted")
def _(d: Path):
    path = d / "population.csv"
    grouped = f"{int(cell(path, 1, 'value')):,}"
    row = set_cell(path, 1, "value", grouped)
    unquote(path, grouped)
    fields = len(read_rows(path)[0])
    return [Spot("population.csv", row, None, f"found {fields + grouped.count(',')}")]


# Empty and header-only files -----------------------------------------------------------------


@case("file-empty")
def _(d: Path):
    (d / "glossary.csv").write_bytes(b"")
    return [Spot("glossary.csv", 1, None, "a header row with the columns term, definition, source_note")]


@case("file-only-bom-and-blank-line")
def _(d: Path):
    (d / "sdg_linkages.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    return [Spot("sdg_linkages.csv", 1, None, "a header row with the columns")]


@case("file-starts-with-blank-line")
def _(d: Path):
    path = d / "population.csv"
    path.write_bytes(b"\n" + path.read_bytes())
    return [Spot("population.csv", 1, None, "the first line is blank")]


@case("header-only-sources-fails")
def _(d: Path):
    # Every other table cites sources: an empty registry is an error in sources.csv itself,
    # and each citation is reported as dangling where it is.
    keep_header_only(d / "sources.csv")
    return Expected(
        [Spot("sources.csv", None, None, "only its header, but casualties, clearance, conference_claims")],
        others=lambda p: p.file != "sources.csv" and "an id listed in sources" in p.expected,
        others_required=True,
    )


@case("header-only-ecb-rates-fails")
def _(d: Path):
    # No table has a key into the rates, but every money row of funding needs a rate of its year.
    keep_header_only(d / "ecb_reference_rates.csv")
    return Expected(
        [],
        others=lambda p: p.file == "funding.csv" and p.column == "value_date" and "a year with an ECB" in p.expected,
        others_required=True,
    )


@case("header-only-glossary-is-valid")
def _(d: Path):
    keep_header_only(d / "glossary.csv")  # referenced by no table: an empty glossary breaks no rule
    return Expected([], verify=lambda result: _assert_empty(result, "glossary"))


@case("header-only-conference-claims-is-valid")
def _(d: Path):
    keep_header_only(d / "conference_claims.csv")  # a leaf table: no claims is a valid state
    return Expected([], verify=lambda result: _assert_empty(result, "conference_claims"))


def _assert_empty(result: ValidationResult, name: str) -> None:
    frame = result.tables[name]
    assert frame is not None and frame.empty
    assert list(frame.columns) == load_contract(paths.DATA_DIR).table(name).column_names


# Size ----------------------------------------------------------------------------------------


@case("file-of-100-mb", pytest.mark.slow)
def _(d: Path):
    size = write_big_copy(d / "population.csv", 100 * 1024 * 1024)
    return [Spot("population.csv", None, None, "a file under 25 MB", value=f"{size / 1024 / 1024:.0f} MB")]


@case("cell-of-1-mb-in-notes-is-read")
def _(d: Path):
    row = set_cell(d / "population.csv", 0, "notes", "ü" * 1_000_000)

    def verify(result: ValidationResult) -> None:
        assert result.tables["population"].at[row, "notes"] == "ü" * 1_000_000

    return Expected([], verify=verify)


@case("cell-of-1-mb-in-a-number")
def _(d: Path):
    row = set_cell(d / "clearance.csv", 0, "value", "7 " * 500_000)

    def verify(result: ValidationResult) -> None:
        [problem] = result.problems
        assert "1,000,000 characters" in problem.shown_value() and len(problem.shown_value()) < 100

    return Expected([Spot("clearance.csv", row, "value", "a plain number")], verify=verify)


# Not a CSV at all ----------------------------------------------------------------------------


@case("binary-random-bytes")
def _(d: Path):
    (d / "funding.csv").write_bytes(random.Random(16).randbytes(64 * 1024))
    return [Spot("funding.csv", None, None, "a text (CSV) file; this file is binary data")]


@case("binary-png-image")
def _(d: Path):
    (d / "population.csv").write_bytes(png_bytes())
    return [Spot("population.csv", None, None, "a text (CSV) file; this file is a PNG image")]


@case("binary-zip-archive")
def _(d: Path):
    path = d / "clearance.csv"
    path.write_bytes(zip_of(path))
    return [Spot("clearance.csv", None, None, "a text (CSV) file; this file is a ZIP archive")]


@case("nul-byte-in-a-cell")
def _(d: Path):
    path = d / "population.csv"
    obs_id = cell(path, 3, "obs_id")
    raw = path.read_bytes()
    path.write_bytes(raw.replace(f"\n{obs_id},".encode(), f"\n{obs_id[:3]}\x00{obs_id[3:]},".encode(), 1))
    return [Spot("population.csv", spreadsheet_row(3), "obs_id", "text without NUL")]


# Broken rows ---------------------------------------------------------------------------------


@case("row-with-too-many-fields")
def _(d: Path):
    path = d / "population.csv"
    replace_line(path, 5, lambda line: line + ",extra")
    return [Spot("population.csv", spreadsheet_row(4), None, "12 comma-separated fields; found 13")]


@case("row-with-too-few-fields")
def _(d: Path):
    path = d / "glossary.csv"
    header, rows = read_rows(path)
    rows[2] = rows[2][:-1]
    write_rows(path, header, rows)
    return [Spot("glossary.csv", spreadsheet_row(2), None, "3 comma-separated fields; found 2")]


@case("quote-never-closed-mid-file")
def _(d: Path):
    path = d / "population.csv"
    line = path.read_text(encoding="utf-8").split("\n")[5]
    assert '",' in line
    replace_line(path, 5, lambda text: text.replace('",', ",", 1))  # drop the closing quote
    return [Spot("population.csv", spreadsheet_row(4), None, "a closing double quote")]


@case("quote-never-closed-at-the-end")
def _(d: Path):
    path = d / "glossary.csv"
    rows = len(read_rows(path)[1])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('mine action,"the quoted definition never ends,source\n')
    return [Spot("glossary.csv", rows + 2, None, "a closing double quote")]


@case("markup-like-value")
def _(d: Path):
    row = set_cell(d / "population.csv", 0, "value", "[/bold]")
    return [Spot("population.csv", row, "value", "a whole number", value="[/bold]")]


# Files that are not files --------------------------------------------------------------------


@case("file-is-a-directory")
def _(d: Path):
    path = d / "sdg_linkages.csv"
    path.unlink()
    path.mkdir()
    return [Spot("sdg_linkages.csv", None, None, "sdg_linkages.csv is a folder")]


@case("file-missing")
def _(d: Path):
    (d / "sdg_values.csv").unlink()
    return [Spot("sdg_values.csv", None, None, "the file sdg_values.csv (table 'sdg_values') to exist")]


@case("contract-is-a-directory")
def _(d: Path):
    path = d / "datapackage.json"
    path.unlink()
    path.mkdir()
    return [Spot("datapackage.json", None, None, "a readable contract")]


# The tests -----------------------------------------------------------------------------------


def _expected(outcome: list[Spot] | Expected) -> Expected:
    return outcome if isinstance(outcome, Expected) else Expected(outcome)


@pytest.mark.parametrize("break_data", CASES)
def test_broken_input_is_reported_where_it_is(break_data, data_copy: Path):
    expected = _expected(break_data(data_copy))
    result = validate_data_dir(data_copy)  # must return, never raise

    is_other = [expected.others is not None and bool(expected.others(p)) for p in result.problems]
    others = [p for p, other in zip(result.problems, is_other) if other]
    located = [p for p, other in zip(result.problems, is_other) if not other]
    assert sorted((p.file, p.row, p.column) for p in located) == sorted(
        (s.file, s.row, s.column) for s in expected.spots
    ), "\n".join(p.as_line()[:300] for p in located[:20])
    for spot in expected.spots:
        assert any(spot.matches(p) for p in located), (spot, [p.as_line()[:300] for p in located])
    if expected.others_required:
        assert others, "follow-on problems of the stated kind were expected"
    if expected.verify is not None:
        expected.verify(result)

    # The problems print as a table (as the CLI shows them) without error.
    buffer = io.StringIO()
    print_problems(result.problems, Console(file=buffer, width=200))
    for spot in expected.spots:
        assert spot.file in buffer.getvalue()

    for big in (p for p in data_copy.iterdir() if p.is_file() and p.stat().st_size > 10 * 1024 * 1024):
        big.unlink()  # do not leave 100 MB behind in pytest's kept temporary folders


CLI_CASES = [
    "encoding-cp1252",
    "header-only-sources-fails",
    "markup-like-value",
    "binary-png-image",
    "file-is-a-directory",
]


@pytest.mark.parametrize("case_id", CLI_CASES)
def test_cli_validate_reports_broken_input_without_a_traceback(case_id: str, data_copy: Path):
    expected = _expected(CASE_BY_ID[case_id](data_copy))
    done = run_cli("validate", "--data-dir", str(data_copy))
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-2000:]
    assert "Traceback" not in output
    assert expected.spots
    for spot in expected.spots:
        assert spot.file in done.stderr
        assert spot.value is None or spot.value in done.stderr
    assert "is not valid" in done.stderr


@pytest.mark.parametrize("case_id", ["separator-semicolons", "key-duplicate-obs-id", "encoding-utf-16"])
def test_render_refuses_broken_data_and_keeps_the_published_report(case_id: str, data_copy: Path, tmp_path: Path):
    expected = _expected(CASE_BY_ID[case_id](data_copy))
    out = tmp_path / "published"
    out.mkdir()
    report = b"<!doctype html><title>Last good report</title><p>published earlier</p>\n"
    (out / "index.html").write_bytes(report)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    done = run_cli("render", "--data-dir", str(data_copy), "--out", str(out))

    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-2000:]
    assert "Traceback" not in output
    assert "nothing was rendered" in done.stderr
    for spot in expected.spots:
        assert spot.file in done.stderr
    assert (out / "index.html").read_bytes() == report
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
