"""Chapter 9 (sources and methods): the data-following frames as snapshots, data edits that change
them, sections left out when the data do not support them, Cambodia's own chapter, and the shared
helpers the old chapter's tests covered."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from statistics import mean

import pandas as pd
import pytest

from conftest import frame_text, open_test_chapter, read_rows, write_rows
from demining_sdg import paths
from demining_sdg.chapters import methods
from demining_sdg.chapters.sections import Section
from demining_sdg.derive import rules
from demining_sdg.present import show

SECTIONS = [value for value in vars(methods).values() if isinstance(value, Section)]
SNAPSHOT_FRAMES = {
    "findings": methods.findings,
    "tiers": methods.tiers,
    "flag_counts": methods.flag_counts,
    "flagged_rows": methods.flagged_rows,
    "disagreements": methods.disagreements,
    "disputed_claims": methods.disputed_claims,
    "exchange_rates": methods.exchange_rates,
}


def edit(path: Path, key: str, **cells: str) -> None:
    """Set cells of the row whose first column is ``key`` (a new row when no row has it)."""
    header, rows = read_rows(path)
    row = next((r for r in rows if r[0] == key), None)
    if row is None:
        row = [""] * len(header)
        row[0] = key
        rows.append(row)
    for column, value in cells.items():
        row[header.index(column)] = value
    write_rows(path, header, rows)


@pytest.mark.parametrize("name", SNAPSHOT_FRAMES)
@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_frames_follow_the_data(tmp_path: Path, snapshot, name: str, country: str):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    frame = SNAPSHOT_FRAMES[name](open_test_chapter(tmp_path, country=country).ctx)
    assert frame_text(frame) == snapshot
    assert frame.attrs == snapshot(name="attrs")


def test_every_observation_row_is_counted_once(tmp_path: Path):
    ctx = open_test_chapter(tmp_path).ctx
    rows = methods.observations(ctx)
    tables = methods.observation_tables(ctx)
    assert "sources" not in tables and "ecb_reference_rates" not in tables
    assert len(rows) == sum(len(ctx.table(name)) for name in tables)
    assert rows["obs_id"].is_unique
    tiers = methods.tiers(ctx)
    assert tiers["y"].sum() == len(rows) and tiers["sources"].sum() == len(ctx.sources)


def test_reclassifying_a_source_moves_its_rows_to_another_tier(data_copy: Path, tmp_path: Path):
    before = methods.tiers(open_test_chapter(tmp_path / "before").ctx).set_index("x")
    cited = methods.observations(open_test_chapter(tmp_path / "before").ctx)
    source = cited.loc[cited["evidence_tier"] == 3, "source_id"].iloc[0]
    edit(data_copy / "sources.csv", source, source_type="monitoring_report")
    after = methods.tiers(open_test_chapter(tmp_path / "after", data_copy).ctx).set_index("x")
    moved = int((cited["source_id"] == source).sum())
    assert after.loc[1, "y"] == before.loc[1, "y"] + moved and after.loc[3, "y"] == before.loc[3, "y"] - moved
    assert after.loc[1, "sources"] == before.loc[1, "sources"] + 1


def test_flagging_a_row_lists_it_and_changes_the_counts(data_copy: Path, tmp_path: Path):
    ctx = open_test_chapter(tmp_path / "before").ctx
    funding = ctx.table("funding")
    row = funding[funding["quality_flag"].isna() & (funding["recipient_iso3"] == ctx.country)].iloc[0]
    edit(data_copy / "funding.csv", row["obs_id"], quality_flag="implausible")
    ch = open_test_chapter(tmp_path / "after", data_copy)
    flagged = methods.flagged_rows(ch.ctx)
    assert row["obs_id"] in set(flagged["obs_id"])
    assert len(flagged) == len(methods.flagged_rows(ctx)) + 1
    before = methods.findings(ctx).set_index("message").loc["flagged", "n"]
    assert methods.findings(ch.ctx).set_index("message").loc["flagged", "n"] == before + 1


def test_disagreements_show_the_rows_own_values_dates_and_sources(tmp_path: Path):
    ctx = open_test_chapter(tmp_path).ctx
    frame = methods.disagreements(ctx)
    rows = methods.observations(ctx).set_index("obs_id")
    for item in frame.itertuples(index=False):
        assert item.value_as_reported == rows.at[item.obs_id, "value_as_reported"]
        assert item.source_id == rows.at[item.obs_id, "source_id"]
        assert item.iso3 in (ctx.country, "WLD")
    listed = ctx.table("disagreements")
    shown = frame["what"].replace("", None).dropna()
    assert set(shown) <= set(listed["description"]) and len(shown) >= 1


def test_a_new_disagreement_appears_with_its_rows(data_copy: Path, tmp_path: Path):
    ctx = open_test_chapter(tmp_path / "before").ctx
    population = ctx.table("population")
    pair = population[population["iso3"] == ctx.country]["obs_id"].iloc[:2]
    edit(data_copy / "disagreements.csv", "DIS999", obs_ids=";".join(pair), description="Synthetic test disagreement")
    frame = methods.disagreements(open_test_chapter(tmp_path / "after", data_copy).ctx)
    added = frame[frame["obs_id"].isin(pair)]
    assert list(added["what"])[0] == "Synthetic test disagreement" and len(added) >= 2


def test_disagreements_about_other_countries_are_left_out(tmp_path: Path):
    ctx = open_test_chapter(tmp_path, country="KHM").ctx
    frame = methods.disagreements(ctx)
    assert set(frame["iso3"]) <= {"KHM", "WLD"}
    assert "AZE" not in set(frame["iso3"])


def test_claims_need_a_claim_set(tmp_path: Path):
    ch = open_test_chapter(tmp_path, country="KHM")
    shown = ch.show(methods.CLAIMS)
    assert shown.html is None and shown.omitted == "the report on Cambodia checks no conference claims"
    aze = open_test_chapter(tmp_path / "aze")
    claims = methods.disputed_claims(aze.ctx)
    assert len(claims) and set(claims["verdict"]) <= set(methods.DISPUTED_VERDICTS)
    assert all(i.startswith(r) for i, r in zip(claims["source_ids"], claims["article_source_id"]))


def test_without_money_rows_no_exchange_rates_are_listed(data_copy: Path, tmp_path: Path):
    path = data_copy / "funding.csv"
    header, rows = read_rows(path)
    for row in rows:
        row[header.index("unit")] = "items"  # no amount of money left to convert
    write_rows(path, header, rows)
    shown = open_test_chapter(tmp_path, data_copy).show(methods.RATES)
    assert shown.html is None and "no exchange rate is used" in shown.omitted


def test_exchange_rates_are_annual_means_of_the_ecb_rates(tmp_path: Path):
    rates = methods.exchange_rates(open_test_chapter(tmp_path).ctx).set_index("year")
    with open(paths.DATA_DIR / "ecb_reference_rates.csv", encoding="utf-8-sig", newline="") as handle:
        daily = [r for r in csv.DictReader(handle) if r["currency"] == "USD"]
    year = rates.index[-1]
    usd = [float(r["units_per_eur"]) for r in daily if r["date"].startswith(year)]
    assert rates.loc[year, "USD per EUR, annual average (derived)"] == f"{mean(usd):.4f}"
    assert rates.loc[year, "ECB days averaged"] == len(usd)


def test_every_derivation_rule_the_vocabulary_names_is_a_rule_of_the_code_with_words(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = methods.derivation_rules(ch.ctx)
    words = ch.ctx.table("vocabulary")
    named = list(words.loc[words["column"] == "derivation_rule", "code"])
    assert len(named) >= 5 and list(frame["rule"]) == named  # every one shown, in the vocabulary's order
    assert all(callable(getattr(rules, name, None)) for name in named)
    assert set(named) <= set(words.loc[words["column"] == "derivation_formula", "code"])


def test_every_source_is_a_link_target_in_the_registry(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = methods.registry(ch.ctx)
    assert frame["source_id"].is_unique and len(frame) == len(ch.ctx.sources)
    assert list(frame["evidence_tier"]) == sorted(frame["evidence_tier"])
    html_text = ch.show(methods.REGISTRY).html
    targets = re.findall(r'<tr id="source-(S\d+)"', html_text)
    assert sorted(targets) == sorted(frame["source_id"])  # every '#source-<id>' link of the report lands


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_every_section_renders_clean_text(tmp_path: Path, country: str):
    ch = open_test_chapter(tmp_path, country=country)
    for section in SECTIONS:
        shown = ch.show(section)
        if section is methods.CLAIMS and country == "KHM":
            assert shown.html is None
            continue
        assert shown.html, f"{section.key} left out for {country}: {shown.omitted}"
        text = html.unescape(re.sub(r"<svg.*?</svg>", "", shown.html, flags=re.S))
        assert "{{" not in text and not re.search(r"\b(?:None|nan|NaN|NaT)\b", text), section.key
        assert "not available for" not in text and "specific to" not in text
        prose = " ".join(re.findall(r"<(?:p|li|figcaption)[^>]*>(.*?)</(?:p|li|figcaption)>", text, flags=re.S))
        assert not re.search(r"\b(?:CLR|CAS|FUN|CON|POP|SDM|SDV)\d{3}\b", re.sub(r"<[^>]+>", "", prose))
    assert ch.show(methods.PARAMETERS).html.count(ch.profile.name) == 1
    assert (tmp_path / "09_rows_by_evidence_tier.png").stat().st_size > 0


# -- shared helpers the old chapter's tests covered ----------------------------------------------


def test_show_sources_table_escapes_text_and_requires_the_id_column():
    frame = pd.DataFrame({"id": ["S999"], "title": ["<script>x</script>"], "rows": [3]})
    html_text = show.sources_table(frame, caption="c", source="s", id_column="id").data
    assert '<tr id="source-S999">' in html_text
    assert "&lt;script&gt;" in html_text and "<script>" not in html_text
    assert '<td class="num">3</td>' in html_text
    with pytest.raises(KeyError):
        show.sources_table(frame, caption="c", source="s")


def test_shared_selections_of_the_chapters():
    from demining_sdg.derive import selections as common

    frame = pd.DataFrame(
        {"year": [2009, 2010, 2024, 2025], "date": pd.to_datetime(["2009-12-31", "2010-01-01", "2024-12-31", None])}
    )
    assert list(common.in_years(frame, 2010, 2024, "year")["year"]) == [2010, 2024]
    assert list(common.in_years(frame, 2010, 2024, "date")["year"]) == [2010, 2024]
    note = "lower bound; value converted exactly from 8 million EUR; research-notes measure: allocated"
    assert common.reader_note(note) == "lower bound"
    assert common.reader_note("target text: '18.3 ...' (sdg_indicators.csv SDM019)") == "target text: '18.3 ...'"
    assert common.unique_ids(["S1", None, "S2", "S1", float("nan")]) == ("S1", "S2")
    assert common.split_ids("S1; S2") == ["S1", "S2"]
    html_text = show.table(
        pd.DataFrame({"year": [2010], "population (mid-year)": [9054332.0]}), caption="c", source="s"
    ).data
    assert "9,054,332" in html_text and ">2010<" in html_text


def test_the_whole_chapter_is_audit_trail_in_the_annex():
    assert SECTIONS and all(s.placement == "annex" for s in SECTIONS)
    assert methods.REGISTRY.view.anchor == "source_id"  # every cited id links to its registry row
