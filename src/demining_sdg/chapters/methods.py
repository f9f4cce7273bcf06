"""Chapter 9, sources and methods: the audit trail of every figure (evidence tiers, flagged rows,
known disagreements with the rows' own values, dates and sources, derivation rules, exchange rates,
glossary, source registry). Observation ids are shown in its tables: they are the annex."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from demining_sdg.chapters.sections import Bars, Context, Findings, Needs, Note, Table, chart_frame, maker, table
from demining_sdg.derive import rules
from demining_sdg.derive.citations import citation_labels
from demining_sdg.derive.selections import WORLD, joined_ids, observation_rows, reader_note, split_ids, where

REFERENCE_TABLES = ("sources", "ecb_reference_rates")  # reference data, not observations
SOURCE_COLUMNS = ("source_id", "source_ids", "article_source_id", "evidence_source_ids")
DISPUTED_VERDICTS = ("not_supported", "ambiguous", "outdated")


def _title(ctx: Context, name: str) -> str:
    return ctx.data.contract.table(name).title


def observation_tables(ctx: Context) -> list[str]:
    """Tables with a source per row, other than the registry and the daily ECB rates."""
    contract = ctx.data.contract
    return [n for n in contract.names if n not in REFERENCE_TABLES and "source_id" in contract.table(n).column_names]


def observations(ctx: Context) -> pd.DataFrame:
    """One row per observation (``observation_rows``): its table and evidence tier, the date as text."""
    parts = []
    for name in observation_tables(ctx):
        rows = observation_rows(ctx.table(name), ctx.data.contract.table(name).primary_key[0], table=_title(ctx, name))
        parts.append(rows.drop(columns="date").rename(columns={"when": "date"}))
    rows = pd.concat(parts, ignore_index=True)
    rows["evidence_tier"] = rows["source_id"].map(ctx.sources["source_type"]).map(rules.evidence_tier)
    return rows


def _about(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows about the country, the countries it is compared with and the world."""
    return rows[rows["iso3"].isin({ctx.country, WORLD, *ctx.profile.comparators})]


def tiers(ctx: Context) -> pd.DataFrame:
    """Observation rows and registry sources per evidence tier (derived counts and shares)."""
    rows, sources = ctx.once(observations), ctx.sources["source_type"].map(rules.evidence_tier)
    if rows.empty:
        return chart_frame([])
    n = rows["evidence_tier"].value_counts()
    share = {t: round(n.get(t, 0) / len(rows) * 100, 1) for t in rules.TIER_NAMES}
    found = [{"x": t, "y": int(n.get(t, 0)), "kind": "stated", "tier_words": t} for t in sorted(rules.TIER_NAMES)]
    frame = chart_frame([r | {"sources": int((sources == r["x"]).sum()), "share_pct": share[r["x"]]} for r in found])
    top = frame.sort_values(["y", "x"], ascending=[False, True]).iloc[0]
    frame.attrs = dict(total=len(rows), top_tier=int(top["x"]), top_share=float(top["share_pct"]))
    frame.attrs["tables"] = [_title(ctx, n) for n in observation_tables(ctx)]
    return frame


def _shares(rows: pd.DataFrame) -> list[dict]:
    """Rows per evidence tier, most first, with their share of all the rows (derived)."""
    counts = rows.groupby("evidence_tier").size().sort_index().sort_values(ascending=False, kind="mergesort")
    return [{"tier": int(t), "rows": int(n), "share": n / len(rows) * 100} for t, n in counts.items()]


def findings(ctx: Context) -> pd.DataFrame:
    rows, tier_of = ctx.once(observations), ctx.sources["source_type"].map(rules.evidence_tier)
    flagged, mine = rows[rows["quality_flag"].notna()], rows[rows["iso3"] == ctx.country]
    by_tier = [{"x": int(t), "sources": int(n)} for t, n in tier_of.value_counts().sort_index().items()]
    flags = {"n": len(flagged), "rows": len(rows), "flags": flagged["quality_flag"].value_counts().to_dict()}
    found = [{"message": "sources", "n": len(tier_of), "by_tier": by_tier}, {"message": "flagged"} | flags]
    found += [{"message": "tiers", "rows": len(rows), "by_tier": _shares(rows)}] if len(rows) else []
    found += [{"message": "own_rows", "rows": len(mine), "by_tier": _shares(mine)}] if len(mine) else []
    return pd.DataFrame(found, dtype=object)


def flagged_rows(ctx: Context) -> pd.DataFrame:
    """Flagged rows about the country, the countries it is compared with, and the world."""
    rows = _about(ctx, ctx.once(observations))
    flagged = rows[rows["quality_flag"].notna()].reset_index(drop=True)
    names = [ctx.for_country(c).profile.name for c in ctx.profile.comparators if ctx.for_country(c)]
    flagged.attrs = {"comparators": names}
    return flagged


def flag_counts(ctx: Context) -> pd.DataFrame:
    flagged = ctx.once(flagged_rows)
    if flagged.empty:
        return flagged
    pivot = flagged.pivot_table(index="quality_flag", columns="table", values="obs_id", aggfunc="count", fill_value=0)
    pivot["total"] = pivot.sum(axis=1)
    pivot = pivot.sort_values("total", ascending=False).reset_index().rename(columns={"quality_flag": "quality flag"})
    pivot.columns.name = None
    return pivot


def disagreements(ctx: Context) -> pd.DataFrame:
    """Each known disagreement whose rows all concern the country or the world, row by row."""
    rows = ctx.once(observations).set_index("obs_id", drop=False)
    parts = []
    for item in ctx.table("disagreements").itertuples(index=False):
        found = rows.reindex(split_ids(item.obs_ids)).dropna(subset=["obs_id"])
        if len(found) >= 2 and found["iso3"].isin([ctx.country, WORLD]).all():
            parts.append(found.assign(what=[item.description] + [""] * (len(found) - 1)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def disputed_claims(ctx: Context) -> pd.DataFrame:
    claims = where(ctx.table("conference_claims"), claim_set=ctx.profile.claim_set, verdict=DISPUTED_VERDICTS)
    ids = [joined_ids(r.article_source_id, r.evidence_source_ids) for r in claims.itertuples()]
    return claims.assign(source_ids=ids).reset_index(drop=True)


def quality_counts(ctx: Context) -> pd.DataFrame:
    """Rows, flagged rows and rows whose qualifier is not exact, per table (derived counts)."""
    found = []
    for name in ctx.data.contract.names:
        frame = ctx.table(name)
        flags = frame["quality_flag"].notna().sum() if "quality_flag" in frame else None
        bounds = (frame["qualifier"].fillna("exact") != "exact").sum() if "qualifier" in frame else None
        found.append({"table": _title(ctx, name), "rows": len(frame), "flagged": flags, "not_exact": bounds})
    return pd.DataFrame(found).astype({"flagged": "Int64", "not_exact": "Int64"})


def derivation_rules(ctx: Context) -> pd.DataFrame:
    """The rules of demining_sdg.derive.rules that the vocabulary gives words for, in its order."""
    named = where(ctx.table("vocabulary"), column="derivation_rule")["code"]
    return pd.DataFrame([{"rule": n, "formula": n} for n in named if callable(getattr(rules, n, None))])


def exchange_rates(ctx: Context) -> pd.DataFrame:
    """Annual average ECB rates (units per EUR) for the years of the report's money rows (derived)."""
    rates = ctx.table("ecb_reference_rates")
    money = _about(ctx, ctx.table("funding").rename(columns={"recipient_iso3": "iso3"}))
    money = money[money["unit"].str.fullmatch(r"[A-Z]{3}") & money["value_date"].notna()]
    per_year = money["value_date"].dt.year.value_counts().sort_index()
    averages = rules.annual_average_rates(rates)
    averages = averages[averages["year"].isin(per_year.index)]
    frame = pd.DataFrame({"year": per_year.index.astype(int)})
    for code in sorted(averages["currency"].unique(), key=lambda c: (c != "USD", c)):
        mean = averages[averages["currency"] == code].set_index("year")["units_per_eur"]
        frame[f"{code} per EUR, annual average (derived)"] = frame["year"].map(mean).map("{:.4f}".format)
    days = averages.groupby("year")["days"].first()
    frame["ECB days averaged"] = frame["year"].map(days)
    frame["funding rows with a value date in the year"] = frame["year"].map(per_year)
    frame["source_id"] = joined_ids(rates["source_id"])
    return frame.astype({"year": str}) if len(averages) else frame.iloc[0:0]


def registry(ctx: Context) -> pd.DataFrame:
    """The source registry with evidence tier and the number of rows citing each source."""
    tables = [ctx.table(name) for name in ctx.data.contract.names if name != "sources"]
    counts = Counter(i for t in tables for c in SOURCE_COLUMNS if c in t for cell in t[c] for i in split_ids(cell))
    sources = ctx.sources.reset_index(drop=True)
    sources.insert(1, "cited_as", sources["source_id"].map(citation_labels(sources)))
    sources["evidence_tier"] = sources["source_type"].map(rules.evidence_tier)
    sources["rows_citing"] = sources["source_id"].map(counts).fillna(0).astype("int64")
    sources["notes"] = sources["notes"].map(reader_note)
    return sources.sort_values(["evidence_tier", "source_id"], ignore_index=True)


_annex = maker("methods", annex=True)  # every section is audit trail (so is the chapter)
ROW = "obs_id=obs id | iso3=country@country | table | value_as_reported=as reported | date"
ROW += " | quality_flag=quality flag@quality_flag | source_id"
HAS_CLAIMS = Needs(
    "the report on {{ country.name }} checks no conference claims", lambda c: c.profile.claim_set is not None
)
TIERS = Bars("09_rows_by_evidence_tier", "Observation rows", x_codes="evidence_tier")
CLAIM = "claim_id=claim | speaker | claim=what was said | verdict@verdict | verdict_reason=why | source_ids"
QUALITY = "table | rows | flagged=rows flagged | not_exact=qualifier not exact"
SOURCE = "source_id | cited_as=cited as | evidence_tier=evidence tier@evidence_tier | publisher | title"
SOURCE += " | date_published=date | source_type=type@source_type | url=URL | excerpt=verbatim excerpt | rows_citing=rows citing (derived)"
SOURCE += " | notes"

FINDINGS = _annex("findings", findings, Findings())
PARAMETERS = _annex("parameters", lambda ctx: pd.DataFrame([{"iso3": ctx.country}]), Note())
TIER_CHART = _annex("tier_chart", tiers, TIERS, "tiers")
FLAG_COUNTS = _annex("flag_counts", flag_counts, Table(codes={"quality flag": "quality_flag"}), "conflicts")
FLAGGED_ROWS = _annex("flagged_rows", flagged_rows, table(ROW), "conflicts")
DISAGREEMENTS = _annex("disagreements", disagreements, table("what=disagreement | " + ROW), "conflicts")
CLAIMS = _annex("claims", disputed_claims, table(CLAIM), "conflicts", HAS_CLAIMS)
QUALITY_TABLE = _annex("quality", quality_counts, table(QUALITY), "quality")
RULE = "rule@derivation_rule | formula=formula in words@derivation_formula"
RULES = _annex("rules", derivation_rules, table(RULE), "derived")
CURRENCY = _annex("currency", lambda ctx: ctx.table("ecb_reference_rates").head(1), Note(), "rates")
RATES = _annex("rates", exchange_rates, Table(), "rates")
TERMS = "term | definition | source_note=where the definition comes from"
GLOSSARY = _annex("glossary", lambda ctx: ctx.table("glossary"), table(TERMS), "definitions")
REGISTRY = _annex("registry", registry, table(SOURCE, anchor="source_id"), "sources")
