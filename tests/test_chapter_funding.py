"""Chapter 3 (funding): golden values on the real data, conversion, data-driven sentences, charts, KHM."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from IPython.display import HTML

from conftest import read_rows, set_cell
from demining_sdg.analysis import funding
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def _chapter(tmp_path: Path, **overrides) -> Chapter:
    return Chapter(
        load_params(None, {k: str(v) for k, v in overrides.items()}),
        figures_dir=tmp_path / "figures",
    )


def _row_index(path: Path, key: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, row in enumerate(rows) if row[header.index("obs_id")] == key)


@pytest.fixture
def ch(tmp_path: Path) -> Chapter:
    return _chapter(tmp_path)


def test_national_and_international_2008_2012_from_landmine_monitor(ch: Chapter):
    wide = funding.national_international(ch)
    # S040 (LM, covers 2008-2012): FUN004..FUN013; per-donor rows FUN017-FUN021 are not counted.
    assert list(wide["year"]) == [2008, 2009, 2010, 2011, 2012]
    assert wide.loc[wide["year"] == 2008, "national"].item() == 6_312_500
    assert wide.loc[wide["year"] == 2012, "international"].item() == 2_148_294
    check = funding.share_check(ch)
    assert check["national"] == 44_022_507 and check["international"] == 9_887_934
    assert check["share"] == pytest.approx(44_022_507 / 53_910_441 * 100)
    assert check["stated"]["obs_id"] == "FUN016" and check["stated"]["value"] == 82
    text = funding.share_finding(ch).text
    assert "81.7% (derived)" in text and "consistent with the stated 82%" in text
    assert "add up exactly" in funding.totals_note(ch).data


def test_money_never_rounds_away():
    assert funding.money(44_022_507, "USD") == "USD 44,022,507"
    assert funding.money(798_400_000, "USD") == "USD 798.4 million"
    assert funding.money(23_000_000, "EUR") == "EUR 23 million"
    assert funding.money(88_224, "USD") == "USD 88,224"


def test_announcements_are_converted_at_the_ecb_rate_of_the_value_date(ch: Chapter):
    rows = funding.announcements(ch).set_index("obs_id")
    # 19 money statements since 10 Nov 2020 (FUN022-FUN042 without FUN029 in kind and the 2020-04 FUN032)
    assert len(rows) == 19 and "FUN032" not in rows.index and "FUN029" not in rows.index
    rates = ch.data.table("ecb_reference_rates")
    gbp = rates[(rates["currency"] == "GBP") & (rates["date"] == "2021-09-02")]["units_per_eur"].item()
    assert rows.at["FUN024", "amount_eur"] == pytest.approx(500_000 / gbp)
    assert rows.at["FUN024", "value"] == 500_000 and rows.at["FUN024", "unit"] == "GBP"
    # 6 Nov 2021 is a Saturday: the rate of Friday 5 Nov 2021 is used and shown
    assert str(rows.at["FUN030", "rate_date"].date()) == "2021-11-05"
    # EUR amounts are not converted into EUR
    assert rows.at["FUN034", "amount_eur"] == 2_500_000 and pd.isna(rows.at["FUN034", "rate_date"])


def test_announcement_remarks_mark_overlap_region_ambiguity_and_flags(ch: Chapter):
    remarks = funding.announcements(ch).set_index("obs_id")["remarks"]
    assert "overlaps other rows" in remarks["FUN042"]  # UN USD 11 million includes EU/UK money (S111)
    assert "overlaps other rows" in remarks["FUN025"]  # same GBP 500,000 as FUN024, in USD (S106)
    assert "regional: Armenia and Azerbaijan" in remarks["FUN026"]
    assert "regional: South Caucasus" in remarks["FUN030"]
    assert "ambiguous" in remarks["FUN035"] and "ambiguous" in remarks["FUN036"]
    assert "flag: year not verified" in remarks["FUN040"]


def test_every_remark_is_classified_and_caution_rows_get_open_markers(ch: Chapter, tmp_path: Path):
    rows = funding.announcements(ch).set_index("obs_id")
    known = funding.CAUTION_REMARKS + funding.PLAIN_REMARKS
    parts = [p for r in rows["remarks"] for p in funding.remark_parts(r)]
    assert parts and all(p.startswith(known) for p in parts), parts
    # each branch of _remarks writes a classified remark (synthetic row with every trigger)
    row = pd.Series(
        {
            "notes": "overlap; share not specified; ambiguous; do not add; intention",
            "recipient_scope": "Region",
            "donor": "A + B",
            "quality_flag": "year_not_verified",
            "qualifier": "upper_bound",
            "is_cumulative": True,
        }
    )
    synthetic = funding.remark_parts(funding._remarks(row, "Azerbaijan"))
    assert len(synthetic) == 10 and all(p.startswith(known) for p in synthetic)
    # S118: EUR 10m call for proposals, unnamed part for demining; S109: France 'keen to donate';
    # S116: Team Europe EUR 8m of the EU and 10 member states together
    assert "share for mine action not specified" in rows.at["FUN023", "remarks"]
    assert "includes intentions" in rows.at["FUN028", "remarks"]
    assert "several donors together, incl. European Union" in rows.at["FUN039", "remarks"]
    assert rows.at["FUN022", "remarks"] == "several donors together"  # UNDP + CERF: no own rows, plain
    for obs in ("FUN023", "FUN028", "FUN039", "FUN026", "FUN035", "FUN042"):
        assert funding.is_caution(rows.at[obs, "remarks"]), obs
    for obs in ("FUN022", "FUN024", "FUN033", "FUN037", "FUN038"):  # plain statements, or only cumulative/qualified
        assert not funding.is_caution(rows.at[obs, "remarks"]), obs
    assert rows.at["FUN039", "donor_short"] == "EU + 10 member states (Team Europe)"
    assert rows.at["FUN034", "donor_short"] == "European Union"
    funding.announcements_chart(ch)
    data = pd.read_csv(tmp_path / "figures" / "03_announcements_timeline.csv").set_index("obs_id")
    assert data.at["FUN039", "donor_short"] != data.at["FUN034", "donor_short"]
    assert data.loc[["FUN023", "FUN028", "FUN039"], "open_marker"].all()
    assert not data.at["FUN024", "open_marker"]


def test_reporting_currency_usd_labels_and_rates(tmp_path: Path):
    ch = _chapter(tmp_path, currency="USD")
    rows = funding.announcements(ch).set_index("obs_id")
    rates = ch.data.table("ecb_reference_rates")
    usd = rates[(rates["currency"] == "USD") & (rates["date"] == "2021-06-09")]["units_per_eur"].item()
    assert rows.at["FUN023", "amount_usd"] == pytest.approx(10_000_000 * usd)
    assert str(rows.at["FUN023", "rate_date"].date()) == "2021-06-09"
    assert funding.converted_label(ch) == "USD, converted at ECB reference rate of the value date (derived)"
    assert funding.converted_label(ch) in funding.announcements_table(ch).data


def test_global_series_keeps_the_latest_edition_and_lists_revisions(ch: Chapter):
    series, revisions = funding.global_series(ch)
    intl = series[series["funding_source"] == "international"].set_index("year")
    # 2016: LM2018 (S154) $482.9m replaces LM2017 (S153) $479.5m; 2017: LM2019 (S155) $696.3m replaces $673.2m
    assert intl.at[2016, "obs_id"] == "FUN066" and intl.at[2016, "value"] == 482_900_000
    assert intl.at[2017, "obs_id"] == "FUN069" and intl.at[2017, "value"] == 696_300_000
    assert set(revisions["obs_id"]) == {"FUN061", "FUN067"}
    # named-donor rows (US FUN064, EU FUN065, top five FUN077) are not world totals
    assert not set(series["obs_id"]) & {"FUN064", "FUN065", "FUN077"}
    assert intl["value"].max() == 798_400_000  # 2022, S159
    note = funding.revisions_note(ch).data
    assert "$482.9 million (S154, 2018) replaces $479.5 million (S153, 2017)" in note
    assert "2011, 2013, 2014" in note


def test_stated_shares_conflict_is_shown_side_by_side(ch: Chapter):
    shares = funding.stated_shares(ch)
    assert list(shares["obs_id"]) == ["FUN043", "FUN044", "FUN045"]  # 95% / 5% (S112) and 4% (S090)
    note = funding.shares_conflict(ch).data
    assert "5% of ANAMA budget" in note and "4% of demining funds" in note
    assert "1 percentage point (derived)" in note
    assert "note-conflict" in note


def test_findings_change_when_the_data_change(data_copy: Path, tmp_path: Path):
    path = data_copy / "funding.csv"
    set_cell(path, _row_index(path, "FUN004"), "value", "7312500")
    set_cell(path, _row_index(path, "FUN045"), "value", "5")
    ch = _chapter(tmp_path, data_dir=data_copy)
    texts = " ".join(f.text for f in funding.findings(ch))
    assert "USD 45,022,507" in texts and "82.0% (derived)" in texts
    assert "do not add up" in funding.totals_note(ch).data
    assert "disagree" not in funding.shares_finding(ch).text  # both sources now say 5%


def test_charts_write_files_with_title_alt_and_source(ch: Chapter, tmp_path: Path):
    for function, name, ids in (
        (funding.national_international_chart, "03_national_international_by_year", ("S040",)),
        (funding.announcements_chart, "03_announcements_timeline", ("S114", "S901")),
        (funding.global_chart, "03_global_funding", ("S159", "S154")),
    ):
        html = function(ch)
        assert isinstance(html, HTML) and "<img" in html.data
        meta = json.loads((tmp_path / "figures" / f"{name}.json").read_text(encoding="utf-8"))
        assert meta["title"] and meta["alt"] and meta["subtitle"] and len(meta["title"]) <= 80
        assert all(i in meta["source"] for i in ids)
        data = pd.read_csv(tmp_path / "figures" / f"{name}.csv")
        assert "source_id" in data.columns and len(data) > 0
    flagged = pd.read_csv(tmp_path / "figures" / "03_announcements_timeline.csv")
    assert "FUN040" not in set(flagged["obs_id"])  # quality-flagged: in the table, not in the chart


def test_cambodia_shows_what_exists_and_says_what_is_missing(tmp_path: Path):
    ch = _chapter(tmp_path, country="KHM")
    wide = funding.national_international(ch)
    assert list(wide["year"]) == [2007]  # FUN048 national, FUN046 international (S197)
    assert "2006: international $29.6 million (S197)" in funding.unpaired_note(ch).data
    rows = funding.announcements(ch)
    assert list(rows["obs_id"]) == ["FUN049"]  # New Zealand, USD 3.8 million (S214)
    for function in (
        funding.national_international_chart,
        funding.national_international_table,
        funding.announcements_chart,
        funding.announcements_table,
        funding.shares_table,
        funding.global_chart,
        funding.missing_note,
    ):
        assert isinstance(function(ch), HTML)
    assert "Cambodia" in funding.shares_table(ch).data
    # one year and one announcement: shown in tables, not as single-point charts
    assert "Only 2007 has both" in funding.national_international_chart(ch).data
    assert "Only one donor announcement" in funding.announcements_chart(ch).data
    assert "FUN049" not in funding.announcements_table(ch).data  # obs ids are not shown ...
    assert "S214" in funding.announcements_table(ch).data  # ... the source is
    missing = funding.missing_note(ch).data
    assert "Cambodia" in missing and "both parts only for 2007" in missing
    assert funding.shares_conflict(ch) is None
    assert all("Cambodia" in f.text or "2007" in f.text for f in funding.findings(ch))
