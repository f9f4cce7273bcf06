"""Short citations (author-date): how the report names a source in its reading text.

A source is cited by its publisher's short name and its year ("Trend, 2021"); where one publisher
has several sources in a year, letters tell them apart in the order of their dates ("Trend, 2021a",
"Trend, 2021b"), as in the source list. The source ids stay in the technical annex and downloads.
"""

from __future__ import annotations

import re

import pandas as pd

ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{0,5}[A-Z])\)")  # '(UNDP)', '(GiCHD)': an acronym in brackets
ASIDE = re.compile(r"\s*\([^)]*\)")  # '(via ReliefWeb)', '(mirror on docslib.org)'
REPOSITORY = re.compile(r"GitHub repo ([^,\s]+)")
TRAILING = re.compile(r"\s+(?:website|table|mirror)$")
YEAR = re.compile(r"\b(1[89]\d\d|2\d{3})\b")
LONG = 32  # a publisher name longer than this is cited by its acronym, where it gives one


def short_publisher(publisher: object) -> str:
    """'Geneva International Centre for Humanitarian Demining (GICHD)' -> 'GICHD'; 'MENAFN (Trend)' ->
    'MENAFN'; 'GitHub repo datasets/population, path …' -> 'GitHub datasets/population'."""
    text = str(publisher).strip() if isinstance(publisher, str) and publisher.strip() else "Unnamed source"
    if repository := REPOSITORY.match(text):
        return f"GitHub {repository[1]}"
    acronym = ACRONYM.search(text)
    base = TRAILING.sub("", ASIDE.sub("", text).split(" / ")[0].strip())
    return acronym[1] if acronym and len(base) > LONG else base or text


def citation_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Every source id's short citation, letters added where a publisher has several in a year."""
    if sources.empty:
        return {}
    frame = sources.reset_index(drop="source_id" in sources.columns)
    frame = frame.assign(
        short=frame["publisher"].map(short_publisher),
        year=frame["date_published"].map(lambda d: (m := YEAR.search(str(d))) and m[1] or "n.d."),
        order=frame["date_published"].astype(str),
    ).sort_values(["short", "year", "order", "source_id"])
    labels: dict[str, str] = {}
    for (short, year), group in frame.groupby(["short", "year"], sort=False):
        letters = [""] if len(group) == 1 else [_letter(i) for i in range(len(group))]
        for source_id, letter in zip(group["source_id"], letters):
            labels[str(source_id)] = f"{short}, {year}{letter}"
    return labels


def _letter(index: int) -> str:
    """a, b, …, z, aa, ab, … (more than 26 sources of one publisher in a year stay distinct)."""
    return _letter(index // 26 - 1) + chr(97 + index % 26) if index >= 26 else chr(97 + index)
