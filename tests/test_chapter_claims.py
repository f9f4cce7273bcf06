"""Chapter 2 (conference claims): the claims of the profile's claim set, checked against the data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import frame_text, open_test_chapter, read_rows, set_cell, write_rows
from demining_sdg.chapters import claims

SECTIONS = (
    claims.FINDINGS,
    claims.VERDICTS,
    claims.SENTENCES,
    claims.EVIDENCE,
    claims.CLEARANCE,
    claims.UNDATED,
    claims.AMOUNTS,
    claims.SHARES,
    claims.WORDED,
)
FRAMES = (
    claims.summary,
    claims.findings,
    claims.verdict_table,
    claims.evidence_table,
    claims.clearance_chart,
    claims.undated_counts,
    claims.speech_amounts,
    claims.share_chart,
    claims.worded_shares,
)
UNCLEAN = re.compile(r"\b(?:None|nan|NaN|NaT)\b|\{\{|\}\}|not available for|specific to")
OBS_ID = re.compile(r"\b(?:CLR|CAS|FUN|CON)\d{3}\b")


def summary_texts(ch) -> list[str]:
    """The executive-summary sentences the chapter gives (none when the data allow no judgement)."""
    return [message["text"] for message in ch.show(claims.SUMMARY).messages]


def _index(path: Path, column: str, key: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, row in enumerate(rows) if row[header.index(column)] == key)


def _obs(path: Path, obs_id: str) -> int:
    return _index(path, "obs_id", obs_id)


def _clearance_claim(data_dir: Path) -> int:
    return _index(data_dir / "conference_claims.csv", "topic", "clearance")


@pytest.mark.parametrize("function", FRAMES, ids=lambda f: f.__name__)
def test_frames_follow_the_data(tmp_path: Path, snapshot, function):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    ch = open_test_chapter(tmp_path)
    assert frame_text(function(ch.ctx)) == snapshot


def test_every_section_renders_cleanly_for_the_profile_with_claims(tmp_path: Path, snapshot):
    ch = open_test_chapter(tmp_path)
    shown = [ch.show(section) for section in SECTIONS]
    assert [s.omitted for s in shown] == [None] * len(SECTIONS)
    for item in shown:
        assert not UNCLEAN.search(item.html), item.section.key
        assert not OBS_ID.search(item.html), item.section.key  # ids resolved, never shown
    charts = {}
    for name in ("02_clearance_claim_on_cumulative_counts", "02_share_claim_against_casualty_shares"):
        meta = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        assert meta["alt"] and meta["source"] and len(meta["title"]) <= 80
        assert not any(UNCLEAN.search(meta[k]) for k in ("title", "subtitle", "alt", "source"))
        charts[name] = {k: meta[k] for k in ("title", "subtitle", "alt")}
    assert charts == snapshot


def test_the_focus_scope_is_drawn_apart_and_only_as_derived_sums(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = claims.clearance_chart(ch.ctx)
    focus = frame[frame["series"] == ch.profile.focus.short]
    assert not focus.empty and set(focus["kind"]) == {"derived"}
    others = frame[~frame["series"].isin([ch.profile.focus.short, claims.CLAIM_SERIES])]
    labels = {s.short for s in ch.profile.scopes if s.code != ch.profile.focus_scope}
    assert set(others["series"]) <= labels and set(others["kind"]) <= {"stated", "rounded"}
    assert (frame["kind"] == "reference").sum() == 1


def test_changed_rows_change_the_frames_and_the_words(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path / "before")
    basis = claims.clearance_basis(ch.ctx)
    shares = claims.share_chart(ch.ctx)
    rows = claims.share_rows(ch.ctx)
    civilian = rows[(rows["series"] == "child_of_civilian") & (rows["value"] == max(shares.attrs["children"]))]
    prev, series = basis["facts"]["previous"], basis["series"]
    previous = series[(series["source_id"] == prev["source_id"]) & (series["period_end"] == prev["period_end"])]
    highest, previous = civilian.iloc[0], previous.iloc[0]["obs_id"]
    set_cell(data_copy / "casualties.csv", _obs(data_copy / "casualties.csv", highest["obs_id"]), "value", "61")
    lowered = basis["facts"]["previous"]["value"] - 1000
    set_cell(data_copy / "clearance.csv", _obs(data_copy / "clearance.csv", previous), "value", str(int(lowered)))
    changed = open_test_chapter(tmp_path / "after", data_copy)
    findings = changed.show(claims.FINDINGS).html
    assert "–61% of civilian casualties" in findings
    assert f"{int(lowered - basis['facts']['value']):,} more (derived)" in findings
    changed.show(claims.CLEARANCE)
    meta = json.loads((tmp_path / "after" / "02_clearance_claim_on_cumulative_counts.json").read_text())
    assert f"was {int(lowered - basis['facts']['value']):,} below" in meta["title"]


def test_a_flagged_part_drops_the_statement_sum(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path / "before")
    post = claims.clearance_basis(ch.ctx)["facts"]["post"]
    assert post is not None
    clearance = data_copy / "clearance.csv"
    header, rows = read_rows(clearance)
    parts = [
        i
        for i, row in enumerate(rows)
        if row[header.index("source_id")] == post["source_id"]
        and row[header.index("programme_scope")] == ch.profile.focus_scope
        and row[header.index("period_type")] == "cumulative"
    ]
    set_cell(clearance, parts[0], "quality_flag", "implausible")
    changed = open_test_chapter(tmp_path / "after", data_copy)
    assert post["source_id"] not in set(claims.focus_sums(changed.ctx)["source_id"])
    assert "another geography" not in changed.show(claims.FINDINGS).html


def test_an_appended_claim_is_counted_and_listed(data_copy: Path, tmp_path: Path):
    path = data_copy / "conference_claims.csv"
    header, rows = read_rows(path)
    added = list(rows[-1])
    for column, value in (
        ("claim_id", "C99"),
        ("claim", "A synthetic test claim"),
        ("verdict", "outdated"),
        ("verdict_reason", "A synthetic reason (S001)."),
        ("notes", ""),
    ):
        added[header.index(column)] = value
    write_rows(path, header, rows + [added])
    ch = open_test_chapter(tmp_path, data_copy)
    table = claims.verdict_table(ch.ctx)
    assert len(table) == len(rows) + 1 and table["claim"].iloc[-1] == "C99: A synthetic test claim"
    assert f"Of the {len(rows) + 1} quantitative" in ch.show(claims.FINDINGS).html
    outdated = int((claims.claims(ch.ctx)["verdict"] == "outdated").sum())
    assert (
        f"of the {len(rows) + 1} claims" in summary_texts(ch)[0] and f"{outdated} are outdated" in summary_texts(ch)[0]
    )


def test_the_summary_counts_the_verdicts_and_links_to_them(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    table = claims.claims(ch.ctx)
    (text,) = summary_texts(ch)
    supported = int((table["verdict"] == "supported").sum())
    assert text.startswith(f"{supported} of the {len(table)} claims made at the conference of ")
    assert ch.show(claims.SUMMARY).messages[0]["link"] == "claims-verdicts"
    assert claims.VERDICTS.group == "verdicts" and claims.VERDICTS.placement == "main"
    assert ch.show(claims.VERDICTS).html.startswith('<h2 id="claims-verdicts">')  # the summary's link target
    assert not UNCLEAN.search(text) and not OBS_ID.search(text)


def test_the_evidence_and_the_sentences_as_printed_go_to_the_annex(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    verdicts = ch.show(claims.VERDICTS)
    assert "quoted sentence" not in verdicts.html
    sentences, evidence = ch.show(claims.SENTENCES), ch.show(claims.EVIDENCE)
    for shown in (sentences, evidence):
        assert shown.html.startswith('<div class="placement-annex"')
    assert 'id="claims-verdicts-annex"' in sentences.html and "quoted sentence" in sentences.html
    assert len(sentences.frame) == len(claims.claims(ch.ctx))


def test_observation_ids_in_a_reason_are_resolved(data_copy: Path, tmp_path: Path):
    path = data_copy / "conference_claims.csv"
    set_cell(path, _clearance_claim(data_copy), "verdict_reason", "Below the earlier count (clearance.csv CLR033).")
    ch = open_test_chapter(tmp_path, data_copy)
    reason = claims.verdict_table(ch.ctx)["reason"].iloc[_clearance_claim(data_copy)]
    obs = claims.observations(ch.ctx).loc["CLR033"]
    assert reason == f"Below the earlier count ({obs['figure']}, {obs['when']}, {obs['source_id']})."
    assert "CLR033" not in ch.show(claims.VERDICTS).html


def test_no_matching_count_leaves_the_clearance_chart_out(data_copy: Path, tmp_path: Path):
    path = data_copy / "conference_claims.csv"
    set_cell(path, _clearance_claim(data_copy), "value", "806500")
    ch = open_test_chapter(tmp_path, data_copy)
    shown = ch.show(claims.CLEARANCE)
    assert shown.html is None and "matches the claimed clearance total" in shown.omitted
    assert ch.show(claims.UNDATED).html is None
    assert ch.show(claims.VERDICTS).html is not None
    assert not list(tmp_path.glob("02_clearance_*"))


def test_a_profile_without_a_claim_set_leaves_the_sections_out(data_copy: Path, tmp_path: Path):
    profile = data_copy / "profiles" / "AZE.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(re.sub(r"(?m)^claim_set: .*$", "claim_set: null", text), encoding="utf-8")
    ch = open_test_chapter(tmp_path, data_copy)
    for section in (*SECTIONS, claims.SUMMARY):
        shown = ch.show(section)
        assert shown.html is None and shown.omitted == "no set of public claims about Azerbaijan is held in the data"


def test_an_empty_claims_table_leaves_the_sections_out(data_copy: Path, tmp_path: Path):
    path = data_copy / "conference_claims.csv"
    header, _ = read_rows(path)
    write_rows(path, header, [])
    ch = open_test_chapter(tmp_path, data_copy)
    shown = ch.show(claims.VERDICTS)
    assert shown.html is None and "none of the claims of the set named for Azerbaijan" in shown.omitted


def test_cambodia_gets_the_title_and_framing_only(tmp_path: Path):
    ch = open_test_chapter(tmp_path, country="KHM")
    assert ch.profile.claim_set is None
    for section in (*SECTIONS, claims.SUMMARY):
        shown = ch.show(section)
        assert shown.html is None and "Cambodia" in shown.omitted
        assert not UNCLEAN.search(shown.omitted)
    assert not list(tmp_path.glob("*.json"))
