"""Chapter 2, conference claims: the claims of the profile's claim set, checked against the data. The
clearance claim meets the counts of every scope but the focus scope (whose items are drawn apart, never added)."""

from __future__ import annotations

import re

import pandas as pd

from demining_sdg.chapters import sections
from demining_sdg.chapters.sections import Context, Findings, Needs, Note, Summary, Table, TimeSeries
from demining_sdg.derive.selections import WORLD, joined_ids, observation_rows, split_ids, unique_ids, usable, where

DATED_TABLES = ("clearance", "casualties", "funding", "contamination_targets")
ITEM_PARTS = ("AP_mine", "AT_mine", "UXO")
POINT = ("value", "qualifier", "period_end", "date_precision", "operator_scope", "source_id")  # a count's facts
VERDICT_ORDER = ("supported", "ambiguous", "outdated", "not_supported", "not_verified")
SENTENCE_COLUMNS = ("claim", "speaker", "quoted sentence", "source_id")  # the sentences as printed (annex)
MAX_LISTED = 8  # a claim resting on more figures gets one line with their years and sources
# An observation id or a range of them ('CLR075-CLR077'), with the file the text names, if any.
OBS_REF = re.compile(r"(?:\b[a-z_]+\.csv\s+)?\b([A-Z]{3})(\d{3})\b(?:\s*[-–]\s*(?:[A-Z]{3})?(\d{3})\b)?")
SHARE_SERIES = ("child_of_civilian", "child_of_all", "civilian_of_all")  # world shares, by what they are of
CLAIM_SERIES = "conference_claim"  # the claim's reference line (vocabulary column claims_series)


def claims(ctx: Context) -> pd.DataFrame:
    """The claims of the profile's claim set, in file order."""
    return where(ctx.table("conference_claims"), claim_set=ctx.profile.claim_set).reset_index(drop=True)


HAS_CLAIMS = (
    Needs("no set of public claims about {{ country.name }} is held in the data", lambda c: bool(c.profile.claim_set)),
    Needs("the data hold none of the claims of the set named for {{ country.name }}", lambda c: len(c.once(claims))),
)


def _claim(ctx: Context, topic: str, unit: str | None = None) -> pd.Series | None:
    table = ctx.once(claims)
    rows = table[(table["topic"] == topic) & table["value"].notna() & ((table["unit"] == unit) | (unit is None))]
    return rows.iloc[0] if not rows.empty else None


def observations(ctx: Context) -> pd.DataFrame:
    """Every observation row of the dated tables by obs_id (``observation_rows``)."""
    rows = pd.concat(observation_rows(ctx.table(name)) for name in DATED_TABLES)
    return rows.set_index("obs_id").rename(columns={"value_as_reported": "figure"})


def _named(text: object, obs: pd.DataFrame) -> pd.DataFrame:
    """The observation rows a text names (ranges expanded), once each."""
    ids = []
    for prefix, start, end in OBS_REF.findall(text if isinstance(text, str) else ""):
        ids += [f"{prefix}{n:03d}" for n in range(int(start), int(end or start) + 1)]
    return obs.loc[[i for i in dict.fromkeys(ids) if i in obs.index]]


def resolve_ids(text: object, obs: pd.DataFrame) -> object:
    """Observation ids replaced by figure, date and source id; a long range by its source ids only."""

    def figures(match: re.Match) -> str:
        rows = _named(match.group(0), obs)
        if len(rows) > MAX_LISTED:
            return ", ".join(unique_ids(rows["source_id"]))
        cells = rows[["figure", "when", "source_id"]].itertuples(index=False)
        return "; ".join(", ".join(p for p in row if isinstance(p, str)) for row in cells) or match.group(0)

    return OBS_REF.sub(figures, text) if isinstance(text, str) else text


def article_date(ctx: Context) -> pd.Timestamp | None:
    """The date of the statements the article reports: the earliest date of the rows sourced to it."""
    obs = ctx.once(observations)
    dates = obs.loc[obs["source_id"].isin(ctx.once(claims)["article_source_id"]), "date"].dropna()
    return dates.min() if not dates.empty else None


def verdict_table(ctx: Context) -> pd.DataFrame:
    """One row per claim: claim, speaker, sentence as printed, verdict, reason, evidence source ids."""
    table, obs = ctx.once(claims), ctx.once(observations)
    frame = pd.DataFrame({"claim": table["claim_id"] + ": " + table["claim"]})
    frame["speaker"] = table["speaker"] + " (" + table["organisation"] + ")"
    frame["quoted sentence"], frame["verdict"] = table["quoted_sentence"], table["verdict"]
    frame["reason"] = [resolve_ids(reason, obs) for reason in table["verdict_reason"]]
    frame["source_ids"] = table["evidence_source_ids"]
    frame["source_id"] = table["article_source_id"]  # the article, first on the source line
    frame.attrs.update(date=article_date(ctx), publisher=ctx.sources.at[frame["source_id"].iloc[0], "publisher"])
    return frame


def evidence_table(ctx: Context) -> pd.DataFrame:
    """The data rows each claim's notes name, figures as reported; a long run in one line."""
    obs, parts = ctx.once(observations), []
    for claim in ctx.once(claims).itertuples():
        rows = _named(claim.notes, obs).assign(claim=claim.claim_id)
        if len(rows) > MAX_LISTED:
            years = rows["date"].dt.year
            span = f"{years.min()}–{years.max()}" if years.min() != years.max() else f"{years.min()}"
            rows = pd.DataFrame([{"claim": claim.claim_id, "when": span, "source_id": joined_ids(rows["source_id"])}])
        parts.append(rows)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    frame = frame.reindex(columns=["claim", "figure", "when", "quality_flag", "source_id"])
    return frame.rename(columns={"figure": "figure as reported", "when": "date", "quality_flag": "quality flag"})


# -- the clearance claim on the cumulative counts --------------------------------------------------


def _cumulative_items(ctx: Context, scopes: list[str]) -> pd.DataFrame:
    return ctx.rows("clearance", programme_scope=scopes, measure="items_destroyed", period_type="cumulative")


def focus_sums(ctx: Context) -> pd.DataFrame:
    """Focus-scope items: AP + AT mines + UXO of one statement giving all three, exact, unflagged (derived)."""
    rows = usable(_cumulative_items(ctx, [ctx.profile.focus_scope]))
    rows = rows[rows["item_category"].isin(ITEM_PARTS)]
    sums = [
        {"x": end, "y": float(group["value"].sum()), "source_id": source}
        for (end, source), group in rows.groupby(["period_end", "source_id"])
        if sorted(group["item_category"]) == sorted(ITEM_PARTS) and (group["qualifier"] == "exact").all()
    ]
    return pd.DataFrame(sums, columns=["x", "y", "source_id"])


def clearance_basis(ctx: Context) -> dict | None:
    """The claim's point on the other scopes' counts, the latest earlier one from another source, the facts."""
    claim = _claim(ctx, "clearance")
    items = _cumulative_items(ctx, [s.code for s in ctx.profile.scopes if s.code != ctx.profile.focus_scope])
    items = items[items["item_category"] == "all"]
    series = usable(items).dropna(subset=["period_end"]).sort_values(["period_end", "obs_id"])
    matched = series[series["value"] == claim["value"]] if claim is not None else series.iloc[0:0]
    if matched.empty:
        return None
    match = matched.iloc[0]
    earlier = series[(series["period_end"] < match["period_end"]) & (series["source_id"] != match["source_id"])]
    previous = earlier.iloc[-1] if not earlier.empty else None
    sums, by = ctx.once(focus_sums), article_date(ctx)
    before = sums[sums["x"] <= by] if by is not None else sums.iloc[0:0]
    post = before.iloc[-1] if not before.empty else None
    stated, before = claim["value_as_stated"], previous is not None
    facts = {"stated": stated, "value": match["value"]}
    facts["word_for_word"] = str(stated).lower() in str(match["value_as_reported"]).lower()
    facts |= {"publisher": ctx.sources.at[match["source_id"], "publisher"], "date": match["period_end"]}
    difference = float(previous["value"] - match["value"]) if before else None
    facts |= {"precision": match["date_precision"], "difference": difference}
    facts |= {"previous": previous[list(POINT)].to_dict() if before else None}
    facts |= {"scope": ctx.profile.scope(previous["programme_scope"]).short if before else None}
    facts |= {"post": None if post is None else post.to_dict(), "focus": ctx.profile.focus.label}
    facts["source_id"] = joined_ids(match["source_id"], *(p["source_id"] for p in (previous, post) if p is not None))
    return {"claim": claim, "series": series, "undated": items[items["period_end"].isna()], "facts": facts}


def clearance_chart(ctx: Context) -> pd.DataFrame:
    """The other scopes' counts (qualified points rounded), the focus scope's sums, the claim as a line."""
    basis = ctx.once(clearance_basis)
    if basis is None:
        return sections.chart_frame([])
    series, claim, exact = basis["series"], basis["claim"], basis["series"]["qualifier"] == "exact"
    scopes = ctx.profile.short_words(series["programme_scope"])
    counts = series[["source_id", "value_as_reported"]].assign(x=series["period_end"], y=series["value"], series=scopes)
    counts = counts.assign(kind=sections.point_kind(series["qualifier"]), label=series["value_as_reported"].mask(exact))
    derived = ctx.once(focus_sums).assign(series=ctx.profile.focus.short, kind="derived")
    line = {"y": claim["value"], "series": CLAIM_SERIES, "kind": "reference", "source_id": claim["article_source_id"]}
    frame = sections.chart_frame(pd.concat([counts, derived, pd.DataFrame([line])], ignore_index=True))
    dates = pd.to_datetime(frame["x"]).dropna()
    frame.attrs.update(basis["facts"], first=dates.min().year, last=dates.max().year, scopes=[*dict.fromkeys(scopes)])
    frame.attrs.update(focus_short=ctx.profile.focus.short, article=article_date(ctx))
    return frame


def undated_counts(ctx: Context) -> pd.DataFrame:
    """Cumulative counts of the same series whose source gives no date: named, not charted."""
    basis = ctx.once(clearance_basis)
    rows = basis["undated"] if basis is not None else pd.DataFrame(columns=["source_id"])
    return rows.assign(publisher=rows["source_id"].map(ctx.sources["publisher"]))


def speech_amounts(ctx: Context) -> pd.DataFrame:
    """The funding claims with a value of the first speaker with an ambiguous one: never summed."""
    table = ctx.once(claims)
    funding = table[(table["topic"] == "funding") & table["value"].notna()]
    rows = funding[funding["speaker"].isin(funding.loc[funding["verdict"] == "ambiguous", "speaker"].head(1))]
    return rows.rename(columns={"evidence_source_ids": "source_ids"})


# -- the share claim against the world shares ---------------------------------------------------------


def share_rows(ctx: Context) -> pd.DataFrame:
    """World percentages coded child_of_civilian, child_of_all or civilian_of_all (words-only ones too)."""
    rows = where(usable(ctx.table("casualties")), iso3=WORLD, unit="percent").copy()
    base, child = rows["percent_base"].fillna("").str.lower(), rows["population_group"] == "child"
    rows["series"] = None
    rows.loc[child & base.str.startswith("civilian"), "series"] = "child_of_civilian"
    rows.loc[child & base.str.startswith("all"), "series"] = "child_of_all"
    rows.loc[rows["population_group"] == "civilian", "series"] = "civilian_of_all"
    rows["year"] = rows["period_end"].dt.year
    return rows.dropna(subset=["series"]).sort_values(["year", "series"], ignore_index=True)


def _same_speech(ctx: Context, claim: pd.Series) -> pd.Series | None:
    """A press report of the same speech, among the claim's evidence, printing the same percentage."""
    sources = ctx.sources.loc[[s for s in split_ids(claim["evidence_source_ids"]) if s in ctx.sources.index]]
    same = sources["excerpt"].str.contains(f"{claim['value']:g}%", regex=False)
    same = sources[same & (sources["source_type"] == "press_report_of_official_statement")]
    return same.iloc[0] if not same.empty else None


def share_chart(ctx: Context) -> pd.DataFrame:
    """The world shares by year, the claimed share as a reference line; facts for the finding."""
    claim, shares = _claim(ctx, "casualties", "percent"), ctx.once(share_rows).dropna(subset=["value"])
    civ, kids, civilians = (shares[shares["series"] == s] for s in SHARE_SERIES)
    if claim is None or civ.empty:
        return sections.chart_frame([])
    rows = shares[["year", "value", "series", "source_id", "value_as_reported", "percent_base"]]
    rows = rows.rename(columns={"year": "x", "value": "y"}).assign(x=shares["year"].astype(str), kind="stated")
    line = {"y": claim["value"], "series": CLAIM_SERIES, "kind": "reference", "source_id": claim["article_source_id"]}
    frame = sections.chart_frame(pd.concat([rows, pd.DataFrame([line])], ignore_index=True))
    speech = _same_speech(ctx, claim)
    quoted = re.search(r"'([^']+)'", str(speech["notes"])) if speech is not None else None
    ids = [*civ["source_id"], *kids["source_id"].tail(1), *civilians["source_id"]]
    ids += [] if speech is None else [speech["source_id"]]
    frame.attrs.update(claim=claim[["claim", "verdict", "value"]].to_dict(), recorder=shares["recorder"].mode().iloc[0])
    frame.attrs.update(children=list(civ["value"]), children_years=list(civ["year"]))
    frame.attrs.update(kids=kids[["year", "value"]].iloc[-1].to_dict() if not kids.empty else None)
    frame.attrs.update(civilians=list(civilians["value"]), span=list(shares["year"]))
    said = None if speech is None else {"publisher": speech["publisher"], "excerpt": speech["excerpt"].strip()}
    frame.attrs.update(speech=said, translation=quoted.group(1) if quoted else None, source_id=joined_ids(ids))
    return frame


def worded_shares(ctx: Context) -> pd.DataFrame:
    """World shares the source gives in words only ('at least half'): quoted, not charted."""
    if ctx.once(share_chart).empty:
        return pd.DataFrame()
    rows = ctx.once(share_rows)
    return rows[rows["value"].isna()]


def findings(ctx: Context) -> pd.DataFrame:
    """The verdict count, the clearance claim on its counts, the share claim against the shares."""
    table = ctx.once(claims)
    counts = table["verdict"].value_counts()
    order = [v for v in VERDICT_ORDER if v in counts] + [v for v in counts.index if v not in VERDICT_ORDER]
    counted = [{"verdict": v, "n": int(counts[v])} for v in order]
    rows = [{"message": "verdicts", "n": len(table), "counts": counted, "source_id": table["article_source_id"][0]}]
    basis, shares = ctx.once(clearance_basis), ctx.once(share_chart)
    rows += [] if basis is None else [{"message": "clearance", **basis["facts"]}]
    rows += [] if shares.empty else [{"message": "shares", **shares.attrs}]
    return pd.DataFrame(rows, dtype=object)


def summary(ctx: Context) -> pd.DataFrame:
    """How many of the claims the sources support, and how many they find outdated or not supported."""
    row = ctx.once(findings).iloc[0].to_dict()
    counts = {count["verdict"]: count["n"] for count in row["counts"]} | {"date": article_date(ctx)}
    return pd.DataFrame([row | {v: counts.get(v, 0) for v in ("supported", "outdated", "not_supported", "date")}])


_section = sections.maker("claims", *HAS_CLAIMS, group="verdicts")
COUNTS_CHART = TimeSeries("02_clearance_claim_on_cumulative_counts", "cumulative count", series_codes="claims_series")
SHARES_CHART = TimeSeries("02_share_claim_against_casualty_shares", "percent", True, series_codes="claims_series")
SUMMARY = _section("summary", summary, Summary("verdicts"), None)
FINDINGS = _section("findings", findings, Findings(), None)
VERDICT_VIEW = sections.table("claim | speaker | verdict@verdict | reason | source_ids")
VERDICTS = _section("verdicts", verdict_table, VERDICT_VIEW)
SENTENCES = _section("sentences", lambda ctx: ctx.once(verdict_table)[list(SENTENCE_COLUMNS)], Table(), annex=True)
EVIDENCE = _section("evidence", evidence_table, Table(codes={"quality flag": "quality_flag"}), annex=True)
CLEARANCE = _section("clearance", clearance_chart, COUNTS_CHART, "clearance")
UNDATED = _section("undated", undated_counts, Note("caveat"), "clearance")
AMOUNTS = _section("amounts", speech_amounts, Note("conflict"), "amounts")
SHARES = _section("shares", share_chart, SHARES_CHART, "shares")
WORDED = _section("worded", worded_shares, Note("caveat"), "shares")
