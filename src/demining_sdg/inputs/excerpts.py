"""Every number is in its excerpt: the numbers a row reports must be stated by its excerpt or its
source's excerpt, unless ``unstated_figures.csv`` says why not.

Numbers are compared as values, so "1,651", "1 651", "1651", "12,5" (a decimal comma) and words
such as "ten" or "Four" all count. What a row reports is read strictly ("64,843" is sixty-four
thousand); what an excerpt states is read in every way it can be ("2017,106806" in a data extract
holds 2017 and 106806).
"""

from __future__ import annotations

import re

import pandas as pd

from demining_sdg.inputs.problems import Problem

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
RUN = re.compile(r"(?<![A-Za-z_])\d(?:[\d.,\u00a0\u202f ]*\d)?")  # not the 2 of km2
SPACES = re.compile(r"[\u00a0\u202f ]")
THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
DECIMAL_COMMA = re.compile(r"\d+,\d+")
WORD = re.compile(r"[A-Za-z]+")
# Where each table keeps what it reports and the excerpt that must state it.
REPORTED = {
    "clearance": ("value_as_reported", "excerpt", "source_id"),
    "casualties": ("value_as_reported", "excerpt", "source_id"),
    "funding": ("value_as_reported", "excerpt", "source_id"),
    "contamination_targets": ("value_as_reported", "excerpt", "source_id"),
    "population": ("value_as_reported", "excerpt", "source_id"),
    "conference_claims": ("value_as_stated", "quoted_sentence", "article_source_id"),
}


def _as_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def reported_numbers(text: object) -> set[float]:
    """The numbers a cell reports, each read one way (thousands separators before decimal commas)."""
    found: set[float] = set()
    if not isinstance(text, str):
        return found
    for match in RUN.finditer(text):
        compact = SPACES.sub("", match.group(0)).strip(".,")
        if THOUSANDS_COMMA.fullmatch(compact):
            value = _as_float(compact.replace(",", ""))
        elif THOUSANDS_DOT.fullmatch(compact) and compact.count(".") >= 2:
            value = _as_float(compact.replace(".", "").replace(",", "."))
        elif DECIMAL_COMMA.fullmatch(compact):
            value = _as_float(compact.replace(",", "."))
        else:
            value = _as_float(compact)
        if value is not None:
            found.add(value)
    found |= {float(NUMBER_WORDS[w.lower()]) for w in WORD.findall(text) if w.lower() in NUMBER_WORDS}
    return found


def stated_numbers(text: object) -> set[float]:
    """Every number an excerpt can be read to state."""
    found: set[float] = set()
    if not isinstance(text, str):
        return found
    for match in RUN.finditer(text):
        raw = match.group(0)
        compact = SPACES.sub("", raw).strip(".,")
        forms = {
            compact,
            compact.replace(",", ""),
            compact.replace(",", "."),
            compact.replace(".", "").replace(",", "."),
        }
        for word in SPACES.split(raw):  # "2016 9705,6": a year, then 9705.6 with a decimal comma
            forms |= {word, word.replace(",", "."), word.replace(",", "")}
        pieces = [piece for piece in re.split(r"[,\u00a0\u202f ]+", raw) if piece]
        for i, first in enumerate(pieces):  # "2019, 64,843" states 2019 and 64843
            joined = first
            forms.add(joined)
            for piece in pieces[i + 1 :]:
                if not re.fullmatch(r"\d{3}(?:\.\d+)?", piece):
                    break
                joined += piece
                forms.add(joined)
        found |= {v for v in (_as_float(f.strip(".")) for f in forms) if v is not None}
    found |= {float(NUMBER_WORDS[w.lower()]) for w in WORD.findall(text) if w.lower() in NUMBER_WORDS}
    return found


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def excerpt_problems(tables: dict[str, pd.DataFrame | None]) -> list[Problem]:
    sources, exceptions = tables.get("sources"), tables.get("unstated_figures")
    if sources is None:
        return []
    source_text = dict(zip(sources["source_id"].str.strip(), sources["excerpt"], strict=True))
    source_numbers: dict[str, set[float]] = {}  # each source's excerpt read once
    explained: set[tuple[str, float]] = set()
    if exceptions is not None:
        for obs_id, figure in zip(exceptions["obs_id"], exceptions["figure"], strict=True):
            value = _as_float(str(figure).replace(",", ""))
            if value is not None:
                explained.add((str(obs_id).strip(), value))
    problems = []
    for table, (reported_col, excerpt_col, source_col) in REPORTED.items():
        frame = tables.get(table)
        if frame is None or not {reported_col, excerpt_col, source_col} <= set(frame.columns):
            continue
        columns = (frame.index, frame.iloc[:, 0], frame[reported_col], frame[excerpt_col], frame[source_col])
        for row, record_id, reported, excerpt, source_id in zip(*columns, strict=True):
            wanted = reported_numbers(reported)
            source_id = str(source_id).strip()
            if not wanted or source_id not in source_text:
                continue  # nothing to state, or an unknown source id (reported as such)
            if source_id not in source_numbers:
                source_numbers[source_id] = stated_numbers(source_text[source_id])
            record_id = str(record_id).strip()
            missing = sorted(v for v in wanted - source_numbers[source_id] if (record_id, v) not in explained)
            if missing:
                missing = [v for v in missing if v not in stated_numbers(excerpt)]
            if missing:
                problems.append(
                    Problem(
                        f"{table}.csv",
                        int(row),
                        reported_col,
                        str(reported),
                        f"every number stated by the row's excerpt or its source's excerpt; "
                        f"{', '.join(_fmt(v) for v in missing)} is not: quote the sentence that states it in "
                        f"{excerpt_col}, or add the row to unstated_figures.csv with the reason",
                    )
                )
    return problems
