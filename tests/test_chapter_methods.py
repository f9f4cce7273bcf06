"""Chapter 9 (sources and methods): golden counts hand-checked against sources.csv and
the source excerpts, the source anchors, data edits that change the findings, the chart files and KHM."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from statistics import mean

import pandas as pd
import pytest
from IPython.display import HTML

from conftest import read_rows, set_cell
from demining_sdg import paths
from demining_sdg.analysis import methods
from demining_sdg.params import load_params
from demining_sdg.present import show
from demining_sdg.present.chapter import Chapter


def chapter(tmp_path: Path, data_dir: Path | None = None, country: str = "AZE", **extra) -> Chapter:
    overrides = {"country": country, **extra}
    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    return Chapter(load_params(None, overrides), figures_dir=tmp_path / "figures")


def row_index(path: Path, key_column: str, key: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, row in enumerate(rows) if row[header.index(key_column)] == key)


def test_sources_by_tier(tmp_path):
    summary = methods.tier_summary(chapter(tmp_path)).set_index("evidence_tier")
    # 179 sources = 178 research sources + S901 (ECB); 38 monitoring_report rows in sources.csv
    assert summary["sources"].sum() == 179
    assert summary.loc[1, "sources"] == 38
    assert summary["sources"].tolist() == [38, 18, 101, 22]
    catalogue = methods.source_catalogue(chapter(tmp_path)).set_index("source_id")
    assert catalogue.at["S001", "evidence_tier"] == 3  # Today.az, press report of an official statement
    assert catalogue.at["S901", "evidence_tier"] == 2  # ECB, official statistics
    assert catalogue.at["S190", "evidence_tier"] == 4  # secondary summary of an official framework
    assert catalogue.at["S901", "rows_citing"] == len(pd.read_csv(paths.DATA_DIR / "ecb_reference_rates.csv"))
    assert catalogue.at["S180", "rows_citing"] == 0  # quoted from the registry, cited only in notes


def test_observation_rows_and_press_share(tmp_path):
    ch = chapter(tmp_path)
    rows = methods.observation_rows(ch)
    assert "ecb_reference_rates" not in set(rows["table"]) and "sources" not in set(rows["table"])
    expected = sum(
        len(pd.read_csv(paths.DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False))
        for name in methods.observation_tables(ch)
    )
    assert len(rows) == expected
    found = methods.findings(ch)
    assert found[0].text == (
        "The data rest on 179 sources: 38 in tier 1 (monitoring report); 18 in tier 2 (official statistics or "
        "document); 101 in tier 3 (press report of an official statement); 22 in tier 4 (secondary source)."
    )
    press = int((rows["evidence_tier"] == 3).sum())
    assert found[2].text.startswith(
        f"{press} of {len(rows)} observation rows ({press / len(rows) * 100:.1f}%, derived)"
    )


def test_flagged_rows_and_counts(tmp_path):
    ch = chapter(tmp_path)
    flagged = methods.flagged_rows(ch).set_index("obs id")
    # known inconsistencies: CLR015/CLR016 (822 vs 15 UXO, S020/S021), CON028 (over 820,000 ha, S056)
    assert flagged.at["CLR015", "what is flagged"] == "inconsistent with the series"
    assert flagged.at["CON028", "what is flagged"] == "implausible"
    # the rows' curation notes are not printed (reviewer: 'research-notes ...', 'expanded to ...')
    assert "notes" not in flagged.columns
    html = methods.flagged_rows_table(ch).data
    assert "research-notes" not in html and "expanded to" not in html and "inconsistent_with_series" not in html
    assert flagged.at["CON028", "source_id"] == "S056"
    assert flagged.at["CON028", "as reported"] == "over 820,000 hectares"
    counts = methods.flag_counts(ch).set_index("quality flag")
    assert counts.at["implausible", "total"] == 1
    assert counts.at["partial scope", "clearance"] == 8
    assert counts["total"].sum() == len(flagged)
    quality = methods.quality_counts(ch).set_index("table")
    assert quality.at["clearance", "rows"] == 151
    assert quality.at["clearance", "rows flagged"] == 19
    assert quality.at["clearance", "qualifier not exact"] == 28  # 16 approximate + 11 lower + 1 upper bound
    assert pd.isna(quality.at["population", "rows flagged"])
    assert f"{len(flagged)} of " in methods.findings(ch)[1].text


def test_flagging_a_row_changes_the_finding(data_copy, tmp_path):
    before = methods.findings(chapter(tmp_path))[1].text
    path = data_copy / "funding.csv"
    set_cell(path, row_index(path, "obs_id", "FUN001"), "quality_flag", "implausible")
    after = methods.findings(chapter(tmp_path, data_copy))[1].text
    assert before != after
    assert "2 implausible" in after and "1 implausible" in before


def test_reclassifying_a_source_changes_the_press_share(data_copy, tmp_path):
    before = methods.findings(chapter(tmp_path))[2].text
    path = data_copy / "sources.csv"
    set_cell(path, row_index(path, "source_id", "S001"), "source_type", "monitoring_report")
    ch = chapter(tmp_path, data_copy)
    after = methods.findings(ch)[2].text
    assert before != after
    assert methods.tier_summary(ch).set_index("evidence_tier").loc[1, "sources"] == 39


def test_known_disagreements_show_both_figures(tmp_path):
    frame = methods.disagreements(chapter(tmp_path)).set_index("obs ids")
    row = frame.loc["CLR015, CLR016"]
    assert "CLR015: 822 UXOs (Mar 2013, S020)" in row["figures as reported (date, source)"]
    assert "CLR016: 15 UXO (Mar 2013, S021)" in row["figures as reported (date, source)"]
    assert row["source_ids"] == "S020;S021"
    assert "POP013, POP039" in frame.index  # World Bank (S220) vs State Statistical Committee (S223)
    assert frame.loc["C04", "source_ids"].startswith("S001;S004")  # '80 percent children', not supported


def test_exchange_rates_are_annual_means_for_funding_years(tmp_path):
    rates = methods.exchange_rates(chapter(tmp_path))
    rates = rates.set_index(rates["year"].astype(int))
    with open(paths.DATA_DIR / "ecb_reference_rates.csv", encoding="utf-8-sig", newline="") as handle:
        usd_2022 = [
            float(r["units_per_eur"])
            for r in csv.DictReader(handle)
            if r["currency"] == "USD" and r["date"].startswith("2022")
        ]
    assert rates.loc[2022, "USD per EUR, annual average (derived)"] == f"{mean(usd_2022):.4f}"
    assert rates.loc[2022, "ECB days averaged"] == len(usd_2022)
    assert 2004 in rates.index and 2013 not in rates.index  # first USD value date 2004-03-10; no 2013 rows
    assert set(rates["source_id"]) == {"S901"}


def test_derivation_rules_come_from_the_code(tmp_path):
    rules = methods.derivation_rules().set_index("function")
    assert "IATI value-date convention" in rules.at["derive.convert_amounts", "formula in words"]
    assert "1 km² = 100 ha" in rules.at["derive.to_hectares", "formula in words"]
    assert len(rules) == len(methods.DERIVATION_RULES)


def test_sources_tables_give_every_source_an_anchor(tmp_path):
    html = methods.sources_tables(chapter(tmp_path)).data
    assert html.count('<tr id="source-') == 179
    assert '<tr id="source-S025">' in html and '<tr id="source-S901">' in html
    assert 'href="#source-' not in html  # the id cell is the target, not a link
    assert html.count('class="report-table sources-table"') == 4


def test_show_sources_table_escapes_text_and_requires_the_id_column():
    frame = pd.DataFrame({"id": ["S999"], "title": ["<script>x</script>"], "rows": [3]})
    html = show.sources_table(frame, caption="c", source="s", id_column="id").data
    assert '<tr id="source-S999">' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<td class="num">3</td>' in html
    with pytest.raises(KeyError):
        show.sources_table(frame, caption="c", source="s")


def test_tier_chart_writes_files(tmp_path):
    ch = chapter(tmp_path)
    methods.tier_chart(ch)
    folder = tmp_path / "figures"
    meta = json.loads((folder / "09_rows_by_evidence_tier.json").read_text(encoding="utf-8"))
    rows = methods.observation_rows(ch)
    assert meta["title"].startswith("Press reports supply ")
    assert meta["title"].endswith(f"of the {len(rows):,} observation rows")
    assert meta["alt"].startswith(f"Horizontal bar chart of {len(rows)} observation rows")
    assert meta["source"]
    data = pd.read_csv(folder / "09_rows_by_evidence_tier.csv")
    assert {"source_id", "observation_rows_count", "share_of_rows_pct_derived"} <= set(data.columns)
    assert data["observation_rows_count"].sum() == len(rows)
    assert (folder / "09_rows_by_evidence_tier.png").stat().st_size > 0


def test_khm_render_parameters_and_displays(tmp_path):
    ch = chapter(tmp_path, country="KHM", currency="USD")
    assert methods.parameters_sentence(ch).startswith("This render was made for Cambodia (KHM)")
    assert "money shown in USD" in methods.parameters_sentence(ch)
    displays = [
        methods.parameters_note(ch),
        methods.tier_chart(ch),
        methods.tier_table(ch),
        methods.flag_counts_table(ch),
        methods.flagged_rows_table(ch),
        methods.disagreements_table(ch),
        methods.quality_table(ch),
        methods.derivation_table(ch),
        methods.currency_method(ch),
        methods.exchange_rates_table(ch),
        methods.glossary_table(ch),
        methods.sources_tables(ch),
    ]
    assert all(isinstance(d, HTML) for d in displays)
    assert "Reporting currency of this render: USD" in methods.currency_method(ch).data


def test_shared_helpers_of_the_chapters():
    from demining_sdg.analysis import common

    # codes in plain words, one mapping for every chapter
    assert common.plain_words("inconsistent_with_series") == "inconsistent with the series"
    assert common.plain_words("items_destroyed") == "items destroyed"
    assert common.plain_words("some_new_code") == "some new code" and common.plain_words(None) is None
    # the year window, on dates and on year numbers
    frame = pd.DataFrame(
        {"year": [2009, 2010, 2024, 2025], "date": pd.to_datetime(["2009-12-31", "2010-01-01", "2024-12-31", None])}
    )
    assert list(common.in_years(frame, 2010, 2024, "year")["year"]) == [2010, 2024]
    assert list(common.in_years(frame, 2010, 2024, "date")["year"]) == [2010, 2024]
    # curation remarks are cut from notes, reader-relevant clauses stay
    note = "lower bound; value converted exactly from 8 million EUR; research-notes measure: allocated"
    assert common.reader_note(note) == "lower bound"
    assert common.reader_note("target text: '18.3 ...' (sdg_indicators.csv SDM019)") == "target text: '18.3 ...'"
    assert common.unique_ids(["S1", None, "S2", "S1", float("nan")]) == ("S1", "S2")
    assert common.split_ids("S1; S2") == ["S1", "S2"] and common.pct_text(24.2121) == "24.2%"
    # a column whose name only contains 'year' is not printed like a year
    html = show.table(
        pd.DataFrame({"year": [2010], "population (mid-year)": [9054332.0]}), caption="c", source="s"
    ).data
    assert "9,054,332" in html and ">2010<" in html
