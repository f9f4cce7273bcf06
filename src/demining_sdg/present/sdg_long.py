"""The UN SDG Global Database's long format (the CSV of its API), a field format of the downloads: a section
whose view is ``Download()`` hands its frame (one row per year, recorder and source, with ``year``,
``recorder``, ``scope``, ``qualifier``, ``source_ids`` and the columns the series are written from) to
:func:`long_rows`, which writes one row per year, source and series, each marked as a national proxy. The
columns, the series and the footnote are data, in ``present/sdg_long.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Mapping

import pandas as pd
import yaml

from demining_sdg import paths
from demining_sdg.derive.selections import split_ids, unique_ids

FORMAT_FILE = paths.PACKAGE_DIR / "present" / "sdg_long.yaml"


@functools.cache
def spec() -> dict:
    """``columns`` (name -> description, in the file's order), ``nature``, ``series`` and ``footnote``."""
    return yaml.safe_load(FORMAT_FILE.read_text(encoding="utf-8"))


def columns() -> tuple[str, ...]:
    return tuple(spec()["columns"])


def long_rows(frame: pd.DataFrame, *, area_code: int, area_name: str, publishers: Mapping[str, str]) -> pd.DataFrame:
    """The frame's values in the long format, a row per frame row and series with a value, sorted by series and
    year; ``source_ids`` (the row's ids, for the data package) follows the format's columns."""
    rows = []
    for row in frame.to_dict("records"):
        ids = unique_ids(split_ids(row["source_ids"]))
        source = "; ".join(f"{publishers[i]} ({i})" if i in publishers else i for i in ids)
        area = {"GeoAreaCode": area_code, "GeoAreaName": area_name, "TimePeriod": int(row["year"])}
        for column, series in spec()["series"].items():
            if pd.isna(value := row[column]):
                continue
            note = spec()["footnote"].format(**row | series, ids=", ".join(ids))
            written = {name: series[name] for name in ("SeriesCode", "SeriesDescription", "Units")}
            written |= {"Nature": spec()["nature"], "Source": source, "FootNote": note, "source_ids": ";".join(ids)}
            rows.append(series["fixed"] | area | written | {"Value": int(value) if series["whole"] else float(value)})
    if not rows:
        return pd.DataFrame(columns=[*columns(), "source_ids"])
    out = pd.DataFrame(rows, columns=[*columns(), "source_ids"])
    out["Value"] = pd.Series([row["Value"] for row in rows], dtype=object)  # counts stay whole numbers
    return out.sort_values(["SeriesCode", "TimePeriod"], kind="stable").reset_index(drop=True)
