"""Chapter 3, funding: who pays for mine action (single-year aggregate rows only), what donors announced
(converted at the ECB rate of the value date, never summed), and support worldwide (latest edition kept)."""

from __future__ import annotations

import re

import pandas as pd

from demining_sdg.chapters import sections
from demining_sdg.chapters.sections import Bars, Context, Findings, Needs, Note, Summary, TimeSeries, maker, table
from demining_sdg.derive.rules import convert_amounts, rate_on
from demining_sdg.derive.selections import WORLD, joined_ids, longest_run, reader_note, usable, where

AGGREGATE = re.compile(r"^(government of|all |international donors \(all\)|(donors and )?affected states)")
ANNOUNCED = ("announcement", "commitment", "pledge", "total")
JOINT = " + "
# remark code: what a row's notes say when it applies
REMARKS = {"overlaps": r"overlap|same .*previous row", "unspecified_share": r"not specified", "ambiguous": r"ambiguous"}
REMARKS |= {"not_to_add": r"do not (?:add|sum)", "intention": r"intention|planned|intends"}
ID_GROUP = re.compile(r"\s*\((?:[A-Z]{1,3}\d{3}[/;, ]*)+\)")  # '(FUN034)', '(S003)': ids only


def _aggregate(ctx: Context, recipient: str, **conditions) -> pd.DataFrame:
    """Usable rows that meet the conditions from the aggregate donors (the state's budget, all donors together)."""
    f = usable(ctx.rows("funding", recipient_iso3=recipient, **conditions))
    return f[f["donor"].fillna("").str.lower().str.match(AGGREGATE)]


def _annual(ctx: Context, recipient: str, sources: tuple[str, ...]) -> pd.DataFrame:
    """Single-year aggregate contributions of the given funding sources."""
    f = _aggregate(ctx, recipient, measure="contribution", funding_source=sources)
    f = f[~f["is_cumulative"].fillna(False).astype(bool) & (f["period_start_year"] == f["period_end_year"])]
    rows = f.assign(year=f["period_end_year"].astype(int))
    return rows.sort_values(["year", "funding_source", "obs_id"]).reset_index(drop=True)


# -- national and international ---------------------------------------------------------------


def yearly(ctx: Context) -> pd.DataFrame:
    """One row per year: national, international and both, as published (one currency) or converted at the ECB
    rate of the value date (derived); the national share (derived) where the year has both parts."""
    rows, target = _annual(ctx, ctx.country, ("national", "international", "total")), ctx.params.currency
    if rows.empty:
        return pd.DataFrame()
    converted = rows["unit"].nunique() > 1
    if converted:
        rates = ctx.table("ecb_reference_rates")
        rows = convert_amounts(rows, rates, target).assign(value=lambda t: t[f"amount_{target.lower()}"], unit=target)
        ecb = ";" + rates["source_id"].iloc[0]
        rows["source_id"] = rows["source_id"].where(rows["rate_to_" + target.lower()] == 1, rows["source_id"] + ecb)
    wide = rows.pivot_table(index="year", columns="funding_source", values="value", aggfunc="first")
    wide = wide.reindex(columns=["national", "international", "total"]).reset_index()
    wide["national_share"] = wide["national"] / (wide["national"] + wide["international"]) * 100
    wide["unit"], wide["converted"] = rows["unit"].iloc[0], converted
    wide["source_id"] = wide["year"].map(rows.groupby("year")["source_id"].agg(joined_ids))
    return wide


def _paired(ctx: Context) -> pd.DataFrame:
    wide = ctx.once(yearly)
    return wide.dropna(subset=["national_share"]) if not wide.empty else wide


def _stated(ctx: Context, measure: str, part: pd.DataFrame) -> pd.DataFrame:
    """Stated figures for exactly the years of ``part`` (a printed total, a share)."""
    f = _aggregate(ctx, ctx.country, measure=measure)
    return f[(f["period_start_year"] == part["year"].min()) & (f["period_end_year"] == part["year"].max())]


def contributions_chart(ctx: Context) -> pd.DataFrame:
    both = _paired(ctx)
    if both.empty:
        return sections.chart_frame([])
    long = both.melt(["year", "unit", "source_id"], ["national", "international"], "series", "value")
    frame = sections.chart_frame(long.assign(x=long["year"], y=long["value"] / 1e6, kind="stated"))
    share = both["national_share"]
    frame.attrs = {"unit": both["unit"].iloc[0], "first": both["year"].min(), "last": both["year"].max()}
    frame.attrs["converted"] = bool(both["converted"].iloc[0])
    frame.attrs |= {"low": share.min(), "high": share.max()}
    return frame


def contributions_table(ctx: Context) -> pd.DataFrame:
    """Every year with a figure; the facts hold the longest run of paired years summed (derived)
    against the totals printed for exactly those years."""
    wide, part = ctx.once(yearly), longest_run(_paired(ctx))
    if wide.empty:
        return wide
    if not part.empty:
        first, last = int(part["year"].min()), int(part["year"].max())
        printed = _stated(ctx, "total", part)
        sums = {r.funding_source: part[r.funding_source].sum() for r in printed.itertuples()}
        totals = [
            {"source": r.funding_source, "summed": sums[r.funding_source], "printed": r.value_as_reported}
            | {"difference": sums[r.funding_source] - r.value}
            for r in printed.itertuples()
        ]
        wide.attrs = {"first": first, "last": last, "totals": totals, "agree": all(not t["difference"] for t in totals)}
    return wide


# -- announcements ------------------------------------------------------------------------------


def _donor_short(donor: str) -> str:
    """A joint statement keeps all its donors; otherwise the name before '(' or 'via'."""
    return donor.strip() if JOINT in donor else re.split(r"\s+(?:\(|via\b)", donor.strip())[0]


def _remarks(row: pd.Series, country_name: str, own: set[str]) -> list[tuple[str, str]]:
    """Why a statement must be read with care: (vocabulary column, code) pairs."""
    notes, donor, scope = str(row["notes"]).lower(), row["donor"], row["recipient_scope"]
    found = [("quality_flag", row["quality_flag"])] if isinstance(row["quality_flag"], str) else []
    found += [("funding_remark", "regional")] if isinstance(scope, str) and scope != country_name else []
    if JOINT in donor:
        shared = any(_donor_short(part) in own for part in donor.split(JOINT))
        found.append(("funding_remark", "joint_own_rows" if shared else "joint"))
    found += [("funding_remark", code) for code, pattern in REMARKS.items() if re.search(pattern, notes)]
    found += [("funding_remark", "cumulative")] if pd.notna(row["is_cumulative"]) and row["is_cumulative"] else []
    return found + ([("qualifier", row["qualifier"])] if row["qualifier"] != "exact" else [])


def _statements(ctx: Context, measures: tuple[str, ...]) -> pd.DataFrame:
    rows, since = ctx.rows("funding", measure=measures, funding_source="international"), ctx.profile.announcements_from
    rows = rows if since is None else rows[rows["value_date"] >= pd.Timestamp(since)]
    money = rows["unit"].str.fullmatch(r"[A-Z]{3}").fillna(False) & rows["value"].notna()
    return rows if "in_kind" in measures else rows[money]


def rates_cover(ctx: Context) -> bool:
    """Every statement's currency and the report currency have an ECB rate in its year."""
    rows, rates = _statements(ctx, ANNOUNCED), ctx.table("ecb_reference_rates")
    have = set(zip(rates["currency"], rates["date"].dt.year))
    needed = {(c, d.year) for u, d in zip(rows["unit"], rows["value_date"]) for c in (u, ctx.params.currency)}
    return all(c == "EUR" or (c, year) in have for c, year in needed)


def announcements(ctx: Context) -> pd.DataFrame:
    """Money statements converted into the report currency (derived), with their remarks."""
    rows, rates, target = _statements(ctx, ANNOUNCED), ctx.table("ecb_reference_rates"), ctx.params.currency
    if rows.empty or not rates_cover(ctx):
        return rows.iloc[0:0]
    out = convert_amounts(rows, rates, target).rename(columns={f"amount_{target.lower()}": "converted"})
    # The rate date is that of the non-EUR rate used; none when the amount is already in the target.
    dates = [
        None if u == target else rate_on(rates, u if u != "EUR" else target, d)[1]
        for u, d in zip(out["unit"], out["value_date"])
    ]
    out["rate_date"] = pd.Series(dates, index=out.index, dtype=object)
    out["rate"] = out[f"rate_to_{target.lower()}"]
    out["converted"] = out["converted"].round(2)
    with_ecb = out["source_id"] + ";" + rates["source_id"].iloc[0]
    out["source_ids"] = out["source_id"].where(out["unit"] == target, with_ecb)
    out["donor_short"] = out["donor"].map(_donor_short)
    words = {(r.column, r.code): r.label for r in ctx.table("vocabulary").itertuples()}
    codes = [_remarks(r, ctx.profile.name, set(out["donor_short"])) for _, r in out.iterrows()]
    out["remarks"] = ["; ".join(words.get(c, c[1].replace("_", " ")) for c in found) for found in codes]
    return out.sort_values(["value_date", "obs_id"]).reset_index(drop=True)


def stated_totals(ctx: Context) -> pd.DataFrame:
    """Donors' stated cumulative totals over time, converted (derived); flagged rows left out."""
    rows = where(usable(ctx.once(announcements)), measure="total")
    if rows.empty:
        return sections.chart_frame([])
    kind = sections.point_kind(rows["qualifier"])
    millions = rows.assign(millions=rows["converted"] / 1e6, source_id=rows["source_ids"])
    frame = sections.points(millions, "value_date", "donor_short", kind, "value_as_reported", "remarks", y="millions")
    top = rows.loc[rows["converted"].idxmax()]
    frame.attrs = dict(top[["donor_short", "value", "qualifier", "unit"]]) | {"year": top["value_date"].year}
    frame.attrs |= {"first": rows["value_date"].min(), "last": rows["value_date"].max()}
    return frame


def same_day(ctx: Context) -> pd.DataFrame:
    """Amounts stated on one day whose reports say they must not be summed, each as its report gives it."""
    rows = ctx.once(announcements)
    marked = rows[rows["notes"].fillna("").str.contains(r"do not (?:add|sum)|ambiguous", case=False)]
    several = rows.groupby("value_date")["obs_id"].transform("size") > 1
    out = rows[rows["value_date"].isin(marked["value_date"]) & several].copy()
    publishers = ctx.sources["publisher"]
    out["reading"] = [_reading(n, publishers) for n in out["notes"]]
    out["source_ids"] = [joined_ids(s, re.findall(r"S\d{3}", str(n))) for s, n in zip(out["source_id"], out["notes"])]
    return out


def _reading(notes: object, publishers: pd.Series) -> str | None:
    """The reader clauses of a row's notes, source ids as publishers, without observation ids."""
    text = re.sub(r",\s*S\d{3}\b", "", ID_GROUP.sub("", reader_note(notes) or ""))
    text = re.sub(r"\bS\d{3}\b", lambda m: str(publishers.get(m.group(0), m.group(0))), text)
    return "; ".join(c for c in text.split("; ") if c and not re.search(r"[A-Z]{3}\d{3}", c)) or None


def in_kind(ctx: Context) -> pd.DataFrame:
    return _statements(ctx, ("in_kind",)).sort_values(["value_date", "obs_id"])


# -- stated shares ------------------------------------------------------------------------------


def shares(ctx: Context) -> pd.DataFrame:
    """Single-year statements of the national or international share (conflicting ones kept)."""
    f, sources = ctx.rows("funding"), ctx.sources
    rows = f[(f["measure"] == "share") & ~f["is_cumulative"].fillna(False).astype(bool)]
    rows = rows.join(sources[["publisher", "source_type"]], on="source_id")
    return rows.sort_values(["value_date", "obs_id"]).reset_index(drop=True)


def share_conflict(ctx: Context) -> pd.DataFrame:
    intl = ctx.once(shares).query("funding_source == 'international'")
    if intl["source_id"].nunique() < 2:
        return intl.iloc[0:0]
    intl.attrs = {"gap": intl["value"].max() - intl["value"].min(), "bases": list(dict.fromkeys(intl["purpose"]))}
    return intl


# -- worldwide ----------------------------------------------------------------------------------


def world(ctx: Context) -> pd.DataFrame:
    """World contributions by year and kind; ``kept`` marks the latest edition of each year."""
    rows = ctx.shown(_annual(ctx, WORLD, ("international", "total")), "year")
    published = ctx.sources["date_published"].fillna("").str.extract(r"((?:19|20)\d{2})")[0]
    rows = rows.assign(edition=rows["source_id"].map(pd.to_numeric(published)).astype("Int64"))
    rows = rows.sort_values(["year", "funding_source", "edition", "obs_id"], ascending=[True, True, False, True])
    return rows.assign(kept=~rows.duplicated(["year", "funding_source"])).reset_index(drop=True)


def world_chart(ctx: Context) -> pd.DataFrame:
    """Both series on every year of the span: years without a figure stay empty (gaps, not zeros)."""
    kept = ctx.once(world).query("kept")
    if kept.empty:
        return sections.chart_frame([])
    years = range(int(kept["year"].min()), int(kept["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([["international", "total"], years], names=["funding_source", "year"])
    full = kept.set_index(["funding_source", "year"]).reindex(grid).reset_index()
    kind = sections.point_kind(full["qualifier"].fillna("exact"))
    frame = sections.points(full, "year", "funding_source", kind, "value_as_reported", y=full["value"] / 1e6)
    intl = kept[kept["funding_source"] == "international"]
    peak = intl.loc[intl["value"].idxmax()]
    frame.attrs = {"unit": peak["unit"], "peak": peak["value"], "peak_year": peak["year"], "low": intl["value"].min()}
    frame.attrs |= {"peak_is_last": peak["year"] == intl["year"].max(), "first": years[0], "last": years[-1]}
    frame.attrs["missing"] = [y for y in years if y not in set(intl["year"])]
    return frame


def world_revisions(ctx: Context) -> pd.DataFrame:
    rows = ctx.once(world)
    kept = rows[rows["kept"]][["year", "funding_source", "value", "value_as_reported", "edition", "source_id"]]
    older = rows[~rows["kept"]].merge(kept, on=["year", "funding_source"], suffixes=("", "_kept"))
    older = older[older["value"] != older["value_kept"]]
    return older.assign(source_ids=older["source_id_kept"] + ";" + older["source_id"])


# -- findings -----------------------------------------------------------------------------------


def findings(ctx: Context) -> pd.DataFrame:
    rows: list[dict] = []
    part = longest_run(_paired(ctx))
    if not part.empty:
        first, last = int(part["year"].min()), int(part["year"].max())
        national, international = part["national"].sum(), part["international"].sum()
        share = national / (national + international) * 100
        stated = _stated(ctx, "share", part).query("funding_source == 'national'").head(1)
        ids = joined_ids(part["source_id"], stated["source_id"])
        row = {"message": "share", "first": first, "last": last, "unit": part["unit"].iloc[0], "share": share}
        row |= {"national": national, "international": international, "source_ids": ids}
        row |= {"converted": bool(part["converted"].iloc[0])}
        row |= {"publisher": ctx.sources.at[ids.split(";")[0], "publisher"]}
        value = stated["value"].iloc[0] if not stated.empty else None
        rows.append(row | {"stated": value, "stated_qualifier": next(iter(stated["qualifier"]), None)})
    intl = ctx.once(shares).query("funding_source == 'international'")
    if not intl.empty:
        statements = intl[["value", "qualifier", "purpose", "publisher", "value_date", "date_precision"]]
        row = {"message": "shares", "statements": statements.to_dict("records")}
        rows.append(row | {"disagree": intl["value"].nunique() > 1, "source_ids": joined_ids(intl["source_id"])})
    listed = ctx.once(announcements)
    if not listed.empty:
        plain = usable(listed)
        top = plain.loc[plain["converted"].idxmax()] if not plain.empty else listed.iloc[0]
        row = {"message": "announcements", "n": len(listed), "donors": plain["donor_short"].nunique()}
        row |= {"remarked": int((plain["remarks"] != "").sum()), "unflagged": len(plain)}
        row |= {"flagged": len(listed) - len(plain), "since": ctx.profile.announcements_from}
        row |= dict(top[["donor_short", "value", "qualifier", "unit", "measure", "value_date"]].add_prefix("top_"))
        rows.append(row | {"source_ids": joined_ids(listed["source_id"])})
    return pd.DataFrame(rows, dtype=object)


def summary(ctx: Context) -> pd.DataFrame:
    """The national share of the latest year with both parts against the previous such year (derived)."""
    both = _paired(ctx)
    if len(both) < 2:
        return pd.DataFrame()
    last, before = both.iloc[-1], both.iloc[-2]
    row = {"message": "national_share", "year": last["year"], "share": last["national_share"]}
    row |= {"previous_year": before["year"], "previous": before["national_share"], "converted": last["converted"]}
    return pd.DataFrame([row | {"source_id": joined_ids(last["source_id"], before["source_id"])}])


# -- sections -----------------------------------------------------------------------------------

RATES = Needs("the exchange rates held do not cover every donor statement's currency and year", rates_cover)
CONTRIBUTIONS = table(
    "year | national | international | total=national and international together | unit=currency"
    " | national_share=national share, % (derived) | source_id=source_ids",
    digits={"national_share": 1},
)
ANNOUNCEMENTS_VIEW = table(
    "value_date=value date | donor | recipient_scope=recipient as stated | measure=kind@funding_measure"
    " | value_as_reported=as reported | converted=converted (derived) | remarks | source_ids"
)
RATES_VIEW = table(
    "value_date=value date | donor | value=amount | unit=currency | rate=rate (report currency per unit)"
    " | rate_date=rate date | converted=converted (derived) | source_ids",
    digits={"rate": 4},
)
SAME_DAY_VIEW = table(
    "value_date=stated on | donor=donor as reported | measure=kind@funding_measure | value_as_reported=as reported"
    " | reading=how the reports differ | source_ids"
)
IN_KIND_VIEW = table("value_date=date | donor | purpose | value_as_reported=as reported | source_id")
SHARES_VIEW = table(
    "value_date=stated on | purpose=share of | funding_source=paid by@funding_source | donor=as named"
    " | value=share, % | excerpt=as reported | publisher=reported by | source_type=type of source@source_type"
    " | source_id"
)
REVISIONS = table(
    "year | funding_source=series@funding_source | value_as_reported_kept=kept figure"
    " | edition_kept=kept edition year | value_as_reported=replaced figure | edition=replaced edition year | source_ids"
)
MILLION = "million (currency in the subtitle)"
BARS = Bars("03_national_international_by_year", MILLION, series_codes="funding_source")
TOTALS_LINES = TimeSeries("03_stated_totals", "million, report currency (derived)")
WORLD_LINES = TimeSeries("03_global_funding", MILLION, x_is_year=True, series_codes="funding_series")
_section = maker("funding")
SUMMARY = _section("summary", summary, Summary("contributions"), None)
FINDINGS = _section("findings", findings, Findings(), None)
CONTRIBUTIONS_CHART = _section("contributions_chart", contributions_chart, BARS, "contributions", min_rows=4)
CONTRIBUTIONS_TABLE = _section("contributions_table", contributions_table, CONTRIBUTIONS, "contributions")
TOTALS_CHART = _section("totals_chart", stated_totals, TOTALS_LINES, "announcements", RATES, min_rows=2)
ANNOUNCEMENTS = _section("announcements", announcements, ANNOUNCEMENTS_VIEW, "announcements", RATES)
RATES_TABLE = _section("rates", announcements, RATES_VIEW, "announcements", RATES, annex=True)
SAME_DAY = _section("same_day", same_day, SAME_DAY_VIEW, "announcements", RATES, min_rows=2, annex=True)
IN_KIND = _section("in_kind", in_kind, IN_KIND_VIEW, "announcements")
SHARES = _section("shares", shares, SHARES_VIEW, "shares")
SHARE_CONFLICT = _section("share_conflict", share_conflict, Note("conflict"), "shares")
WORLD_CHART = _section("world_chart", world_chart, WORLD_LINES, "world", min_rows=4)
WORLD_REVISIONS = _section("world_revisions", world_revisions, REVISIONS, "world", annex=True)
