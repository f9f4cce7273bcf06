"""Chapter 5 (casualties and SDG 16.1): golden values on the real data, hand-checked against
the source excerpts, a data change that must change the findings, chart files, and KHM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.display import HTML

from conftest import read_rows, set_cell
from demining_sdg.analysis import casualties
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def chapter(tmp_path: Path, **overrides) -> Chapter:
    return Chapter(load_params(None, overrides), figures_dir=tmp_path / "figures")


def row_index(path: Path, obs_id: str) -> int:
    header, rows = read_rows(path)
    return [r[header.index("obs_id")] for r in rows].index(obs_id)


@pytest.fixture
def ch(tmp_path: Path) -> Chapter:
    return chapter(tmp_path)


# --- (a) two recorders -------------------------------------------------------------------------


def test_2008_azcbl_conflict_keeps_both_figures_flagged(ch):
    frame = casualties.annual_by_recorder(ch)
    year_2008 = frame[(frame["year"] == 2008) & (frame["recorder"] == "AzCBL")]
    # 16 on the AzCBL website (CAS019, S042) vs 23 as quoted by Landmine Monitor (CAS022, S039)
    assert sorted(zip(year_2008["casualties_persons"], year_2008["source_id"])) == [
        (16.0, "S042"),
        (23.0, "S039"),
    ]
    assert year_2008["flagged"].all()
    assert set(frame["year"]) == set(range(2003, 2017))


def test_azcbl_counts_more_than_anama_in_every_shared_year(ch):
    comparison = casualties.recorder_comparison(ch)
    # shared unflagged years 2009-2014 and 2016 (S039, S038, S037, S035, S036); 2009: 34 vs 22
    assert (comparison["higher"], comparison["lower"]) == ("AzCBL", "ANAMA")
    assert (comparison["n_higher"], comparison["n_shared"]) == (7, 7)
    assert comparison["shared"].loc[2009].tolist() == [34.0, 22.0]


def test_recorder_notes_show_both_2008_figures_and_the_method_caveat(ch):
    text = " ".join(note.data for note in casualties.recorder_notes(ch))
    assert "16 as published by" in text and "23 as published by" in text
    assert "differing collection" in text and "(S035, S036)" in text


# --- (b) since 10 Nov 2020 ---------------------------------------------------------------------


def test_post2020_finding_latest_total_with_killed_injured_and_split(ch):
    finding = casualties.post2020_finding(ch)
    # 382 = 70 killed + 312 injured to 31 Dec 2024 (CAS114, CAS236, CAS237 from S086; same in S091)
    assert "382 people were killed or injured" in finding.text
    assert "by 31 Dec 2024: 70 killed and 312 injured" in finding.text
    # 6 Dec 2023 (S084): military injured 164 > civilian 112; civilians 50 of 65 killed = 76.9% (derived)
    assert "(164 vs 112)" in finding.text and "50 of the 65 killed (76.9%, derived)" in finding.text
    assert finding.sources[0] == "S086" and {"S091", "S084"} <= set(finding.sources)


def test_every_complete_split_has_more_military_injured_and_civilian_majority_of_deaths(ch):
    split = casualties.civil_military_split(ch)
    complete = split.dropna(subset=["civilian_killed", "military_killed", "civilian_injured", "military_injured"])
    assert list(complete["source_id"]) == ["S080", "S083", "S083", "S084"]
    assert (complete["military_injured"] > complete["civilian_injured"]).all()
    assert (complete["civilian_killed"] > complete["military_killed"]).all()
    last = complete.iloc[-1]
    assert (last["civilian_injured"], last["military_injured"]) == (
        112,
        164,
    )  # CAS101, CAS102 (S084)


def test_post2020_points_derive_killed_from_civilian_plus_military_only_where_not_stated(ch):
    points = casualties.post2020_points(ch)
    derived = points[points["basis"] != "stated"]
    # 14 Dec 2021 (S083): killed 29 + 7 = 36, injured 52 + 109 = 161
    dec = derived[(derived["source_id"] == "S083") & (derived["date"] == "2021-12-14")].set_index("measure")["persons"]
    assert dec.to_dict() == {"injured": 161.0, "killed": 36.0}
    # 6 Dec 2023 (S084) states 65 died / 276 injured itself, so nothing is derived for that date
    assert derived[derived["source_id"] == "S084"].empty


def test_recent_counts_list_2023_azcbl_and_2024_prosecutor_general(ch):
    table = casualties.recent_counts(ch).set_index("period")
    assert table.at["2023", "killed or injured"] == "58" and table.at["2023", "source_id"] == "S085"  # CAS103
    assert table.at["2024", "killed or injured"] == "41" and table.at["2024", "source_id"] == "S086"  # CAS111


# --- (c) rate per 100,000 ----------------------------------------------------------------------


def test_latest_rate_is_2024_over_world_bank_population(ch):
    row = casualties.latest_rate(ch)
    # 41 (CAS111, S086) / 10,202,830 (POP015, S220) × 100,000; deaths 5 (CAS112)
    assert row["year"] == 2024 and row["population"] == 10_202_830
    assert row["casualties_per_100k"] == pytest.approx(41 / 10_202_830 * 100_000)
    assert row["deaths_per_100k"] == pytest.approx(5 / 10_202_830 * 100_000)
    assert casualties.rate_text(row["casualties_per_100k"]) == "0.402"
    finding = casualties.rate_finding(ch)
    assert "0.402 casualties per 100,000" in finding.text and "0.049 deaths per 100,000" in finding.text
    assert "proxy" in finding.text and finding.sources == ("S086", "S220")


def test_rates_match_killed_by_recorder_not_only_by_source(ch):
    rates = casualties.annual_rates(ch)
    y2010 = rates[rates["year"] == 2010].set_index("recorder")
    # S038 gives ANAMA 5 (1 killed, CAS192) and AzCBL 13 (no killed figure) for 2010
    assert y2010.at["ANAMA", "deaths"] == 1
    assert y2010.at["AzCBL", "deaths"] != y2010.at["AzCBL", "deaths"]  # NaN: not given


def test_denominator_note_names_world_bank_and_quantifies_the_ssc_difference(ch):
    text = casualties.denominator_note(ch).data
    # SSC 10,185,784 on 1 Jul 2022 (POP039, S223) - WB 10,141,756 mid-2022 (POP013, S220) = 44,028
    assert "SP.POP.TOTL" in text and "44,028 more" in text and "(S223)" in text


def test_unverified_series_codes_are_flagged(ch):
    text = casualties.unverified_note(ch).data
    assert "VC_DTH_TOTN" in text and "S178" in text
    assert (
        "16.1.2" in casualties.proxy_note(ch).data
        and "Planted explosives and unexploded ordnance" in casualties.proxy_note(ch).data
    )


# --- (d) global, (e) SDG database --------------------------------------------------------------


def test_global_series_prefers_revised_2016_and_keeps_flagged_rows_out(ch):
    totals = casualties.global_totals(ch)
    chosen = totals[totals["preferred"]].set_index("year")["value"]
    assert chosen[2016] == 9437  # CAS155 (S131), revised from 8,605 (CAS152, S130)
    assert chosen[2013] == 3457  # S132 (monitoring report) over 3,456 (S134, summary)
    assert chosen[2023] == 5757  # CAS185 (S140); only its killed row carries the unknown-status flag
    trend = casualties.global_trend(ch)
    assert (trend["peak"]["year"], trend["last"]["year"], trend["last"]["value"]) == (
        2016,
        2023,
        5757,
    )
    assert "at least 5,757" in casualties.global_finding(ch).text


def test_world_explosives_share_is_derived_and_matches_the_extract(ch):
    causes = casualties.world_causes(ch).set_index("cause")
    # 25,860 / 106,806 (SDV002, SDV001, S171); the extract's own share is 24.2 (SDV014)
    assert causes.at["explosives", "share_derived_pct"] == pytest.approx(25_860 / 106_806 * 100)
    assert causes.at["explosives", "share_reported_pct"] == 24.2
    text = casualties.sdg_values_note(ch).data
    assert "no 16.1.2 value for Azerbaijan" in text and "24.2%, derived" in text


def test_world_rate_note_is_computed_not_a_curation_note(ch):
    # SDV013 (S171): 11.9 per 100,000, World 2017; with SDV001's 106,806 deaths that implies
    # 106,806 / 11.9 x 100,000 = 897.5 million people (derived); no world population in data/
    check = casualties.world_rate_check(ch)
    assert check["rate"]["obs_id"] == "SDV013" and check["count"]["obs_id"] == "SDV001"
    assert check["implied_population"] == pytest.approx(106_806 / 11.9 * 100_000)
    assert check["recomputed"] is None
    text = casualties.sdg_values_note(ch).data
    assert "about 897.5 million (derived" in text and "UN footnote" in text
    for curation in ("presumably", "check UNSD", "curators", "research-notes"):
        assert curation not in text


def test_rates_table_prints_populations_with_separators(ch):
    html = casualties.rates_table(ch).data
    assert "9,054,332" in html and ">9054332<" not in html  # POP001, World Bank 2010 (S220)


# --- data changes change the sentences ---------------------------------------------------------


def test_changing_the_population_changes_the_rate_finding(data_copy, tmp_path):
    path = data_copy / "population.csv"
    set_cell(path, row_index(path, "POP015"), "value", "10000000")
    finding = casualties.rate_finding(chapter(tmp_path, data_dir=str(data_copy)))
    assert "population of 10,000,000" in finding.text and "0.410 casualties per 100,000" in finding.text


def test_changing_the_civilian_injured_count_changes_the_split_sentence(data_copy, tmp_path):
    path = data_copy / "casualties.csv"
    set_cell(path, row_index(path, "CAS101"), "value", "200")  # civilians injured to 6 Dec 2023 (S084)
    finding = casualties.post2020_finding(chapter(tmp_path, data_dir=str(data_copy)))
    assert "more military personnel than civilians were injured" not in finding.text
    assert "civilians injured 200" in finding.text


# --- charts ------------------------------------------------------------------------------------


def test_charts_write_files_with_title_alt_and_source(ch):
    for make, name in (
        (casualties.recorders_chart, "05_casualties_by_recorder"),
        (casualties.post2020_chart, "05_casualties_since_nov_2020"),
        (casualties.global_chart, "05_global_casualties"),
    ):
        assert isinstance(make(ch), HTML)
        meta = json.loads((ch.figures_dir / f"{name}.json").read_text())
        assert meta["title"] and len(meta["title"]) <= 80, meta["title"]
        assert len(meta["alt"]) > 40 and meta["source"].count("(S") >= 1
        for suffix in (".png", ".svg", ".csv"):
            assert (ch.figures_dir / f"{name}{suffix}").stat().st_size > 0
        assert "source_id" in (ch.figures_dir / f"{name}.csv").read_text().splitlines()[0]
    titles = {
        json.loads(p.read_text())["name"]: json.loads(p.read_text())["title"] for p in ch.figures_dir.glob("*.json")
    }
    assert (
        titles["05_casualties_by_recorder"]
        == "AzCBL counted more mine casualties than ANAMA in all 7 years both report"
    )
    assert "382" in titles["05_casualties_since_nov_2020"]


# --- Cambodia ----------------------------------------------------------------------------------


def test_every_display_works_for_cambodia(tmp_path):
    khm = chapter(tmp_path, country="KHM")
    displays = [
        casualties.recorders_chart,
        casualties.recorders_table,
        casualties.post2020_chart,
        casualties.split_table,
        casualties.split_note,
        casualties.recent_table,
        casualties.rates_table,
        casualties.denominator_note,
        casualties.proxy_note,
        casualties.sdg_metadata_table,
        casualties.global_chart,
        casualties.global_table,
        casualties.world_causes_table,
        casualties.sdg_values_note,
    ]
    for make in displays:
        assert isinstance(make(khm), HTML), make.__name__
    assert "not available for Cambodia" in casualties.recorders_chart(khm).data
    # the section is about the counts since the Nov 2020 ceasefire, which only Azerbaijan's rows have
    post = casualties.post2020_chart(khm).data
    assert "Azerbaijan-specific material" in post and "not available for Cambodia" in post
    assert "Azerbaijan-specific" in casualties.split_table(khm).data
    rate = casualties.rate_finding(khm)
    # 32 (CAS139, S202) / 17,423,880 (POP029, S220) × 100,000
    assert "In 2023, 32 mine/ERW casualties in Cambodia" in rate.text and "0.184" in rate.text
    assert "no 16.1.2 value for Cambodia" in casualties.sdg_values_note(khm).data
