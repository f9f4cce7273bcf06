"""Build the synthetic test data package: three made-up countries (XAA, XBB, XCC), never published.

``build_synthetic_data_dir(target)`` writes a complete data folder into ``target``:

* ``datapackage.json``: the project's real contract, as it is (so the fixture follows contract changes;
  country codes are checked by their pattern, so the synthetic codes of :data:`SYNTHETIC_ISO3` pass);
* the reference tables that are not country data, copied from ``data/``; the sources they cite
  are copied from ``data/sources.csv`` and added to the synthetic sources;
* the synthetic tables of ``tests/fixtures/synthetic/`` (written in the contract's column order);
* a header-only CSV for every other table of the contract;
* ``profiles/XAA.yaml``, ``XBB.yaml``, ``XCC.yaml``.

See ``tests/fixtures/synthetic/README.md`` for what each country holds.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from demining_sdg import paths

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "synthetic"
SYNTHETIC_ISO3 = ("XAA", "XBB", "XCC")
SYNTHETIC_PUBLISHER = "Synthetic test source"
# Reference tables copied as they are from data/ (not data about one country).
REFERENCE_TABLES = (
    "ecb_reference_rates",
    "glossary",
    "vocabulary",
    "sdg_frameworks",
    "sdg_indicators",
    "sdg_linkages",
    "sdg_values",
)
# Tables of data/ whose real rows are about real countries: only their header is copied, plus the
# real rows whose observation ids all exist in the built folder (disagreements).
HEADER_ONLY_TABLES = ("disagreements", "method_notes")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _fixture_rows(name: str, columns: list[str]) -> list[dict[str, str]]:
    """The synthetic rows of one table, checked against the contract's columns."""
    path = FIXTURE_DIR / f"{name}.csv"
    if not path.is_file():
        return []
    header, rows = _read(path)
    extra = [c for c in header if c not in columns]
    if extra:
        raise ValueError(
            f"{path}: columns {extra} are not in the contract's table {name!r} any more; "
            "update tests/fixtures/synthetic/"
        )
    return rows


def _cited_source_ids(rows: list[dict[str, str]]) -> set[str]:
    ids: set[str] = set()
    for row in rows:
        for column, cell in row.items():
            if column == "source_id" or column.endswith("_source_id") or column.endswith("_source_ids"):
                ids |= {part.strip() for part in (cell or "").split(";") if part.strip()}
    return ids


def build_synthetic_data_dir(target: Path) -> Path:
    """Write the synthetic data folder into ``target`` (created; must be empty or absent)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    (target / "profiles").mkdir(parents=True, exist_ok=True)
    package = json.loads((paths.DATA_DIR / paths.CONTRACT_FILE_NAME).read_text(encoding="utf-8-sig"))
    (target / paths.CONTRACT_FILE_NAME).write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")

    tables: dict[str, tuple[str, list[str], list[dict[str, str]]]] = {}
    for resource in package["resources"]:
        name, file = resource["name"], resource["path"]
        columns = [f["name"] for f in resource["schema"]["fields"]]
        rows: list[dict[str, str]] = []
        if name in REFERENCE_TABLES:
            _, rows = _read(paths.DATA_DIR / file)
        rows += _fixture_rows(name, columns)
        tables[name] = (file, columns, rows)

    # Real disagreements are kept only where every observation they name is in the folder.
    obs_ids = {row["obs_id"] for _, _, rows in tables.values() for row in rows if row.get("obs_id")}
    file, columns, rows = tables["disagreements"]
    _, real = _read(paths.DATA_DIR / file)
    kept = [r for r in real if all(i.strip() in obs_ids for i in r["obs_ids"].split(";") if i.strip())]
    tables["disagreements"] = (file, columns, kept + rows)

    # The synthetic sources, plus the real sources the copied reference tables cite.
    file, columns, synthetic_sources = tables["sources"]
    cited = set().union(*(_cited_source_ids(rows) for name, (_, _, rows) in tables.items() if name != "sources"))
    known = {row["source_id"] for row in synthetic_sources}
    _, real_sources = _read(paths.DATA_DIR / file)
    tables["sources"] = (
        file,
        columns,
        synthetic_sources + [r for r in real_sources if r["source_id"] in cited - known],
    )

    for file, columns, rows in tables.values():
        _write(target / file, columns, rows)
    for iso3 in SYNTHETIC_ISO3:
        shutil.copyfile(FIXTURE_DIR / "profiles" / f"{iso3}.yaml", target / "profiles" / f"{iso3}.yaml")
    return target


def synthetic_rows(data_dir: Path, name: str) -> list[dict[str, str]]:
    """The rows of one table of a built folder that come from the synthetic fixture."""
    fixture = FIXTURE_DIR / f"{name}.csv"
    if not fixture.is_file():
        return []
    _, fixture_rows = _read(fixture)
    key = next(iter(fixture_rows[0])) if fixture_rows else None
    ids = {row[key] for row in fixture_rows} if key else set()
    _, rows = _read(Path(data_dir) / f"{name}.csv")
    return [row for row in rows if key and row[key] in ids]


if __name__ == "__main__":  # python tests/synthetic.py DIR: build a folder to look at or render by hand
    import sys

    print(build_synthetic_data_dir(Path(sys.argv[1])))
