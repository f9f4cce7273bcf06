"""Chapter 3 (funding): the data-following frames as snapshots, conversion at the ECB rate of the value
date, data edits that change the frames, sections left out when the data do not support them, and
Cambodia's own chapter."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import ShownOnce, frame_text, open_test_chapter, read_rows, write_rows
from demining_sdg.chapters import funding
from demining_sdg.chapters.sections import Section, Summary

SECTIONS = [v for v in vars(funding).values() if isinstance(v, Section) and not isinstance(v.view, Summary)]
SNAPSHOT_FRAMES = {
    "summary": funding.summary,
    "findings": funding.findings,
    "yearly": funding.yearly,
    "contributions_chart": funding.contributions_chart,
    "contributions_table": funding.contributions_table,
    "announcements": funding.announcements,
    "stated_totals": funding.stated_totals,
    "same_day": funding.same_day,
    "in_kind": funding.in_kind,
    "shares": funding.shares,
    "world_chart": funding.world_chart,
    "world_revisions": funding.world_revisions,
}


def edit(path: Path, key: str, **cells: str) -> None:
    """Set cells of the row whose first column is ``key`` (a copy of the last row when no row has it)."""
    header, rows = read_rows(path)
    row = next((r for r in rows if r[0] == key), None)
    if row is None:
        row = list(rows[-1])
        row[0] = key
        rows.append(row)
    for column, value in cells.items():
        row[header.index(column)] = value
    write_rows(path, header, rows)


def cell(path: Path, key: str, column: str) -> str:
    header, rows = read_rows(path)
    return next(r for r in rows if r[0] == key)[header.index(column)]


@pytest.fixture(scope="module")
def in_usd(tmp_path_factory):
    return ShownOnce(open_test_chapter(tmp_path_factory.mktemp("usd"), currency="USD"))


def summary_texts(ch) -> list[str]:
    """The executive-summary sentences the chapter gives (none when the data allow no judgement)."""
    return [message["text"] for message in ch.show(funding.SUMMARY).messages]


def rendered(ch) -> dict[str, object]:
    return {section.key: ch.show(section) for section in SECTIONS}


@pytest.mark.parametrize("name", SNAPSHOT_FRAMES)
@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_frames_follow_the_data(request, snapshot, name: str, country: str):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    frame = SNAPSHOT_FRAMES[name](request.getfixturevalue(country.lower()).ctx)
    assert frame_text(frame) == snapshot
    assert {k: str(v) for k, v in frame.attrs.items()} == snapshot(name="attrs")


def test_amounts_are_converted_at_the_ecb_rate_of_the_value_date(tmp_path: Path):
    for currency in ("EUR", "USD"):
        ctx = open_test_chapter(tmp_path / currency, currency=currency).ctx
        rows, rates = funding.announcements(ctx), ctx.table("ecb_reference_rates")
        assert not rows.empty and rows["value_date"].is_monotonic_increasing
        for row in rows.itertuples():
            per_eur = {c: rates[(rates["currency"] == c) & (rates["date"] <= row.value_date)] for c in ("USD", "GBP")}
            factor = {c: f.sort_values("date")["units_per_eur"].iloc[-1] for c, f in per_eur.items()} | {"EUR": 1.0}
            assert row.converted == pytest.approx(row.value * factor[currency] / factor[row.unit], abs=0.01)
            if row.unit == currency:
                assert row.rate_date is None and row.source_ids == row.source_id
            else:  # the ECB day whose rate was used: the value date or the latest earlier one
                assert row.rate_date <= row.value_date and row.rate_date in set(rates["date"])
                assert row.source_ids.endswith(";" + rates["source_id"].iloc[0])


def test_statements_start_at_the_profiles_date_and_flags_stay_out_of_the_chart(aze):
    ch = aze
    rows = funding.announcements(ch.ctx)
    assert rows["value_date"].min() >= pd.Timestamp(ch.profile.announcements_from)
    funding_rows = ch.ctx.table("funding")
    earlier = funding_rows[
        (funding_rows["recipient_iso3"] == ch.country)
        & funding_rows["measure"].isin(funding.ANNOUNCED)
        & (funding_rows["value_date"] < pd.Timestamp(ch.profile.announcements_from))
    ]
    assert not earlier.empty and not set(earlier["obs_id"]) & set(rows["obs_id"])
    flagged = rows[rows["quality_flag"].notna()]
    assert not flagged.empty and all(
        f in r for f, r in zip(flagged["quality_flag"].str.replace("_", " "), flagged["remarks"])
    )
    chart = funding.stated_totals(ch.ctx)
    assert not set(chart["value_as_reported"]) & set(flagged[flagged["measure"] == "total"]["value_as_reported"])
    assert len(funding.findings(ch.ctx).query("message == 'announcements'").iloc[0]["source_ids"].split(";")) > 1


def test_a_changed_contribution_changes_the_share_and_the_totals_check(data_copy: Path, tmp_path: Path):
    before = open_test_chapter(tmp_path / "before")
    wide = funding.yearly(before.ctx).dropna(subset=["national_share"])
    year = int(wide["year"].iloc[0])
    path = data_copy / "funding.csv"
    header, rows = read_rows(path)
    key = next(
        r[0]
        for r in rows
        if r[header.index("recipient_iso3")] == before.country
        and r[header.index("funding_source")] == "national"
        and r[header.index("measure")] == "contribution"
        and r[header.index("period_end_year")] == str(year)
    )
    edit(path, key, value=str(float(cell(path, key, "value")) + 1_000_000))
    after = open_test_chapter(tmp_path / "after", data_copy)
    new = funding.yearly(after.ctx).set_index("year")
    assert new.at[year, "national"] == wide.iloc[0]["national"] + 1_000_000
    assert new.at[year, "national_share"] > wide.iloc[0]["national_share"]
    if year == int(wide["year"].iloc[-1]):
        assert summary_texts(after) != summary_texts(before)
    old_share = funding.findings(before.ctx).query("message == 'share'").iloc[0]
    new_share = funding.findings(after.ctx).query("message == 'share'").iloc[0]
    assert new_share["national"] == old_share["national"] + 1_000_000
    table = funding.contributions_table(after.ctx)
    if table.attrs.get("totals"):
        assert not table.attrs["agree"]
        assert "do not add up to" in after.show(funding.CONTRIBUTIONS_TABLE).html


def test_an_appended_statement_is_listed_converted_and_counted(data_copy: Path, tmp_path: Path):
    path = data_copy / "funding.csv"
    before = open_test_chapter(tmp_path / "before")
    template = funding.announcements(before.ctx).iloc[0]["obs_id"]
    header, rows = read_rows(path)
    added = list(next(r for r in rows if r[0] == template))
    cells = {"obs_id": "FUN999", "value": "2000000", "unit": "GBP", "value_date": "2026-06-30", "quality_flag": ""}
    for column, value in (cells | {"value_as_reported": "GBP 2,000,000", "date_precision": "day"}).items():
        added[header.index(column)] = value
    added[header.index("excerpt")] = "Synthetic test row: GBP 2,000,000 announced"
    write_rows(path, header, rows + [added])
    after = open_test_chapter(tmp_path / "after", data_copy)
    rows_after = funding.announcements(after.ctx)
    new = rows_after.set_index("obs_id").loc["FUN999"]
    ecb = after.ctx.table("ecb_reference_rates")["source_id"].iloc[0]
    assert new["unit"] == "GBP" and new["converted"] > 0 and new["source_ids"].endswith(ecb)
    counts = [funding.findings(c.ctx).query("message == 'announcements'").iloc[0]["n"] for c in (before, after)]
    assert counts[1] == counts[0] + 1
    assert "GBP 2,000,000" in after.show(funding.ANNOUNCEMENTS).html


def test_the_summary_judges_the_latest_national_share_against_the_previous_year(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path / "real")
    paired = funding.yearly(ch.ctx).dropna(subset=["national_share"])
    last, before = paired.iloc[-1], paired.iloc[-2]
    (text,) = summary_texts(ch)
    trend = "down" if round(last["national_share"]) < round(before["national_share"]) else "up"
    assert text.startswith(f"In {int(last['year'])}, the latest year with both national and international figures")
    assert f"about {last['national_share']:.0f}%" in text and f"{trend} from {before['national_share']:.0f}%" in text
    path = data_copy / "funding.csv"
    header, rows = read_rows(path)
    key = next(
        r[0]
        for r in rows
        if r[header.index("recipient_iso3")] == ch.country
        and r[header.index("funding_source")] == "international"
        and r[header.index("measure")] == "contribution"
        and r[header.index("period_end_year")] == str(int(last["year"]))
    )
    edit(path, key, value="100000000")  # international support far above the national budget that year
    (changed,) = summary_texts(open_test_chapter(tmp_path / "edited", data_copy))
    assert "about 9%" in changed and "down from" in changed


def test_cambodia_has_no_summary_message_without_two_paired_years(khm):
    ch = khm
    assert len(funding.yearly(ch.ctx).dropna(subset=["national_share"])) < 2 and not summary_texts(ch)


def test_audit_tables_go_to_the_annex(aze):
    shown = rendered(aze)
    for key in ("funding.rates", "funding.world_revisions", "funding.same_day"):
        assert shown[key].html.startswith('<div class="placement-annex"'), key
    assert "rate date" not in shown["funding.announcements"].html and "rate date" in shown["funding.rates"].html


def test_a_revised_world_figure_keeps_the_latest_edition(aze):
    rows = funding.world(aze.ctx)
    revisions = funding.world_revisions(aze.ctx)
    assert not revisions.empty and (revisions["edition_kept"] > revisions["edition"]).all()
    assert not rows[rows["kept"]].duplicated(["year", "funding_source"]).any()
    chart = funding.world_chart(aze.ctx)
    gaps = chart[chart["y"].isna()]
    assert set(chart.attrs["missing"]) <= set(gaps["x"]) and gaps["source_id"].isna().all()


def test_same_day_amounts_keep_every_report_and_are_left_out_when_not_marked(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path / "real")
    same = funding.same_day(ch.ctx)
    assert len(same) >= 2 and same["value_date"].nunique() == 1
    assert same["source_ids"].str.split(";").map(len).max() > 1  # the other report's source is cited too
    assert not same["reading"].fillna("").str.contains(r"[A-Z]{3}\d{3}|\bS\d{3}\b").any()
    for key in same["obs_id"]:
        edit(data_copy / "funding.csv", key, notes="synthetic test note")
    edited = open_test_chapter(tmp_path / "edited", data_copy)
    shown = edited.show(funding.SAME_DAY)
    assert shown.html is None and shown.omitted == "no statements of the same day are marked as not to be added up"


def test_a_failed_requirement_leaves_the_section_out_with_its_reason(tmp_path: Path, monkeypatch):
    ch = open_test_chapter(tmp_path)
    rates = ch.ctx.table("ecb_reference_rates")
    without_gbp = rates[rates["currency"] != "GBP"]
    table = ch.ctx.table
    monkeypatch.setattr(ch.ctx, "table", lambda name: without_gbp if name == "ecb_reference_rates" else table(name))
    assert not funding.rates_cover(ch.ctx)
    for section in (funding.ANNOUNCEMENTS, funding.TOTALS_CHART, funding.SAME_DAY):
        shown = ch.show(section)
        assert shown.html is None and shown.omitted == funding.RATES.reason
    assert ch.show(funding.CONTRIBUTIONS_TABLE).html  # what needs no rate is still shown


def test_cambodia_gets_its_own_sections(khm):
    shown = rendered(khm)
    present = {key for key, s in shown.items() if s.html}
    assert {
        "funding.findings",
        "funding.contributions_table",
        "funding.announcements",
        "funding.world_chart",
    } <= present
    omitted = {key: s.omitted for key, s in shown.items() if s.html is None}
    assert "Cambodia" in omitted["funding.contributions_chart"] and "funding.shares" in omitted
    assert "Donor announcements</h2>" in shown["funding.announcements"].html  # no start date in its profile
    findings = html.unescape(shown["funding.findings"].html)
    assert "Cambodia's own budget" in findings and "Azerbaijan" not in findings


@pytest.mark.parametrize("chapter", ["aze", "khm", "in_usd"])
def test_rendered_text_is_clean(request, chapter: str):
    ch = request.getfixturevalue(chapter)
    shown = rendered(ch).values()
    texts = [s.html or s.omitted for s in shown]
    assert all(texts) and len(texts) == len(SECTIONS)
    for text in texts:
        text = re.sub(r'src="data:[^"]+"', "", text)
        assert "not available for" not in text and "specific to" not in text and "{{" not in text
        assert not re.search(r"\b(?:None|nan|NaN|NaT)\b", text), text[:300]
        assert not re.search(r"\bFUN\d{3}\b", text)  # observation ids are never shown
    headings = [s.html for s in shown if s.html and "<h2 id=" in s.html]
    assert headings and all(ch.country_name not in h.split("<h2 id=")[1].split("</h2>")[0] for h in headings)


def test_the_notebook_shows_every_section_once():
    from demining_sdg import paths

    source = (paths.ROOT / "notebooks" / "03_funding.py").read_text(encoding="utf-8")
    shown = re.findall(r"^ch\.show\(funding\.(\w+)\)$", source, flags=re.M)
    assert sorted(shown) == sorted(name for name, value in vars(funding).items() if isinstance(value, Section))


def test_mixed_currencies_are_converted_before_the_share(synthetic_data_dir: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path, synthetic_data_dir, country="XAA")
    rows = ch.ctx.table("funding").query("recipient_iso3 == 'XAA' and measure == 'contribution'")
    assert rows["unit"].nunique() > 1  # the fixture's point: national and international in other currencies
    wide = funding.yearly(ch.ctx)
    assert wide["converted"].all() and (wide["unit"] == ch.params.currency).all()
    assert wide["source_id"].str.contains(ch.ctx.table("ecb_reference_rates")["source_id"].iloc[0]).all()
    chart = ch.show(funding.CONTRIBUTIONS_CHART)
    assert "converted at the ECB rate of the value date (derived)" in chart.html
    finding = funding.findings(ch.ctx).query("message == 'share'").iloc[0]
    assert finding["converted"] and "converted at the ECB rate" in html.unescape(ch.show(funding.FINDINGS).html)


def test_a_country_with_funding_rows_only_gets_a_short_coherent_chapter(synthetic_data_dir: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path, synthetic_data_dir, country="XCC")
    shown = rendered(ch)
    assert {k for k, s in shown.items() if s.html} == {
        "funding.findings",
        "funding.contributions_table",
        "funding.announcements",
        "funding.rates",
    }
    assert all(s.omitted for s in shown.values() if s.html is None)
    text = html.unescape(shown["funding.findings"].html)
    assert "The data hold 1 donor statement" in text and "also given in" not in text  # already in the report currency
