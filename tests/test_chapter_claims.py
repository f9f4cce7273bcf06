"""Chapter 2 (conference claims): golden values on the real data, data-driven sentences, charts, KHM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.display import HTML

from conftest import read_rows, set_cell
from demining_sdg.analysis import claims
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def _chapter(tmp_path: Path, **overrides) -> Chapter:
    return Chapter(
        load_params(None, {k: str(v) for k, v in overrides.items()}),
        figures_dir=tmp_path / "figures",
    )


def _row_index(path: Path, key_col: str, key: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, row in enumerate(rows) if row[header.index(key_col)] == key)


@pytest.fixture
def ch(tmp_path: Path) -> Chapter:
    return _chapter(tmp_path)


def test_article_is_about_azerbaijan_and_dated_by_the_speech(ch: Chapter):
    # FUN035/FUN036 are sourced to the article itself (S001), recipient AZE, value date 2022-04-01.
    assert claims.article_country(ch) == "AZE"
    assert str(claims.article_date(ch).date()) == "2022-04-01"


def test_verdict_counts_of_the_twelve_claims(ch: Chapter):
    # conference_claims.csv C01-C12: supported C01 C07 C09 C12; ambiguous C02 C03 C06 C11;
    # outdated C05; not supported C04; not verified C08 C10.
    assert claims.verdict_counts(ch) == {
        "supported": 4,
        "ambiguous": 4,
        "outdated": 1,
        "not supported": 1,
        "not verified": 2,
    }
    sentence = claims.verdict_sentence(ch)
    assert sentence.text.startswith("Of the 12 quantitative or checkable claims in the article, 4 are supported")
    assert sentence.sources == ("S001",)


def test_806000_is_the_undp_march_2021_figure_below_anamas_june_2020_count(ch: Chapter):
    check = claims.clearance_check(ch)
    # "over 806,000" is obs CLR036 from S010 (UNDP, 18 Mar 2021), printed word for word.
    assert check["match"]["obs_id"] == "CLR036"
    assert check["match"]["source_id"] == "S010"
    assert check["word_for_word"] is True
    # ANAMA's own count: CLR033, 807,819 on 30 Jun 2020 (S025); difference 1,819 (derived).
    assert check["previous"]["obs_id"] == "CLR033"
    assert check["previous"]["value"] == 807_819
    assert check["difference"] == 1_819
    # later points: "over 850,000" Feb 2023 (CLR038, S011) and "About a million" Jun 2023 (CLR039, S028)
    assert list(check["later"]["obs_id"]) == ["CLR038", "CLR039"]
    assert list(check["later"]["qualifier"]) == ["lower_bound", "approximate"]
    # the undated ANAMA page (CLR035, S026) cannot be placed on the time axis
    assert list(check["undated"]["obs_id"]) == ["CLR035"]


def test_post_war_items_by_the_conference_are_a_separate_derived_sum(ch: Chapter):
    post = claims.post_war_items(ch, claims.article_date(ch))
    # S051, 30 Nov 2021: 10,456 AP + 4,683 AT + 12,659 UXO = 27,798 (derived); MoD-only S053 rows are flagged.
    assert post["source_id"] == "S051"
    assert post["total"] == 10_456 + 4_683 + 12_659 == 27_798


def test_children_share_range_from_landmine_monitor(ch: Chapter):
    check = claims.children_check(ch)
    # children, % of civilian casualties: 38% in 2015 (CAS163, S143) to 54% in 2018 (CAS169, S141)
    assert (check["lo"]["value"], check["lo"]["year"], check["lo"]["obs_id"]) == (
        38,
        2015,
        "CAS163",
    )
    assert (check["hi"]["value"], check["hi"]["year"], check["hi"]["obs_id"]) == (
        54,
        2018,
        "CAS169",
    )
    assert check["child_civ"]["year"].min() == 2013 and check["child_civ"]["year"].max() == 2022
    # 35% of all casualties in 2022 (CAS184, S139)
    assert list(check["child_all"]["value"]) == [35]
    # the Azerbaijani-language report of the same speech (S004) says "civilians, children"
    assert check["same_speech"] == ["S004"]
    text = claims.children_finding(ch).text
    assert "38–54% of civilian casualties" in text and "35% of all casualties in 2022" in text
    assert "civilians, children" in text


def test_findings_change_when_the_data_change(data_copy: Path, tmp_path: Path):
    set_cell(
        data_copy / "casualties.csv",
        _row_index(data_copy / "casualties.csv", "obs_id", "CAS169"),
        "value",
        "61",
    )
    set_cell(
        data_copy / "clearance.csv",
        _row_index(data_copy / "clearance.csv", "obs_id", "CLR033"),
        "value",
        "807000",
    )
    ch = _chapter(tmp_path, data_dir=data_copy)
    texts = " ".join(f.text for f in claims.findings(ch))
    assert "38–61% of civilian casualties" in texts
    assert "already 807,000" in texts and "1,000 more (derived)" in texts
    assert "1,819" not in texts


def test_evidence_references_are_expanded_from_notes(ch: Chapter):
    assert claims._expand_refs("clearance.csv CLR036 (S010), CLR075-CLR077 (S051)") == [
        "CLR036",
        "CLR075",
        "CLR076",
        "CLR077",
    ]
    rows = claims.evidence_rows(ch)
    c05 = rows[rows["claim"] == "C05"]
    assert "CLR036" in set(c05["data row"]) and "over 806,000" in set(c05["figure as reported"])
    # long ranges (C04: CAS151-CAS189) are summarised, not listed row by row
    assert rows[rows["claim"] == "C04"]["figure as reported"].str.contains("rows of casualties.csv").all()


def test_claims_table_has_the_required_columns(ch: Chapter):
    frame = claims.claims_frame(ch)
    assert list(frame.columns) == [
        "claim",
        "speaker",
        "quoted sentence",
        "verdict",
        "reason",
        "source_ids",
    ]
    assert len(frame) == 12
    assert frame.loc[frame["claim"].str.startswith("C04"), "verdict"].item() == "not supported"


def test_charts_write_files_with_title_alt_and_source(ch: Chapter, tmp_path: Path):
    for function, name, ids in (
        (
            claims.cumulative_chart,
            "02_claim_806000_on_cumulative_clearance",
            ("S010", "S025", "S011", "S028"),
        ),
        (claims.children_chart, "02_children_share_vs_claim", ("S143", "S139", "S141")),
    ):
        html = function(ch)
        assert isinstance(html, HTML) and "<img" in html.data
        meta = json.loads((tmp_path / "figures" / f"{name}.json").read_text(encoding="utf-8"))
        assert meta["title"] and meta["alt"] and meta["subtitle"]
        assert all(i in meta["source"] for i in ids)
        assert len(meta["title"]) <= 80
        for suffix in (".png", ".svg", ".csv"):
            assert (tmp_path / "figures" / f"{name}{suffix}").stat().st_size > 0
    title = json.loads((tmp_path / "figures" / "02_claim_806000_on_cumulative_clearance.json").read_text())["title"]
    assert "1,819" in title


def test_cambodia_gets_plain_missing_displays(tmp_path: Path):
    ch = _chapter(tmp_path, country="KHM")
    assert not claims.covers_country(ch)
    found = claims.findings(ch)
    assert len(found) == 1 and "Cambodia" in found[0].text and "Azerbaijan" in found[0].text
    for function in (
        claims.claims_table,
        claims.evidence_table,
        claims.cumulative_chart,
        claims.children_chart,
        claims.eu_amounts_note,
    ):
        html = function(ch)
        assert isinstance(html, HTML) and "Cambodia" in html.data
        # every section says plainly it is about Azerbaijan-specific material (the article's country)
        assert "Azerbaijan-specific material" in html.data and "not available for Cambodia" in html.data
    assert claims.undated_note(ch) is None and claims.verbal_note(ch) is None
    assert not (tmp_path / "figures").exists() or not list((tmp_path / "figures").glob("*.json"))


def test_eu_amounts_note_says_not_to_sum(ch: Chapter):
    html = claims.eu_amounts_note(ch).data
    assert "must not be summed" in html and "€2.5 million" in html and "€500,000" in html
    assert "4.5" not in html  # no sum of 2.5 + 1.5 + 0.5 anywhere
