"""Chapter 9: sources and methods — every source, the conflicts between them, the definitions,
the exchange rates and the derivation rules, all computed from the data and the code."""

from __future__ import annotations

import inspect

import pandas as pd
from IPython.display import HTML

from demining_sdg.analysis.common import date_label, pct_text, plain, plain_words, source_line, split_ids
from demining_sdg.derive import rules as derive
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding

# Tables whose rows are reference data rather than observations (left out of the row shares).
REFERENCE_TABLES = ("sources", "ecb_reference_rates")
SOURCE_COLUMNS = ("source_id", "article_source_id", "evidence_source_ids")
TIER_SHORT = {
    1: "Monitoring reports",
    2: "Official statistics and documents",
    3: "Press reports",
    4: "Secondary sources",
}
PRESS_TIER = 3
DATE_COLUMNS = ("period_end", "value_date", "reference_date")
ID_PREFIXES = {
    "CLR": "clearance",
    "CAS": "casualties",
    "FUN": "funding",
    "CON": "contamination_targets",
    "POP": "population",
    "SDM": "sdg_indicators",
    "SDV": "sdg_values",
}
# Known disagreements between sources, as observation ids; the values,
# dates and sources shown next to them are read from the data.
KNOWN_DISAGREEMENTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("CLR015", "CLR016"), "Items of UXO destroyed in one month of the pre-2020 programme: two news agencies differ"),
    (("CLR036", "CLR033"), "UNDP's cumulative items cleared is below ANAMA's own earlier cumulative figure"),
    (("CLR044", "CLR045"), "Area cleared in one year: all mine and UXO land, all operators vs AP mined area only"),
    (("CLR092", "CLR097"), "Cumulative UXO destroyed in the regained territories falls between two statements"),
    (("CLR105", "CLR110"), "Cumulative AP mines destroyed in the regained territories falls between two statements"),
    (("CON028", "CLR098"), "A planned clearance area far above the cumulative area cleared (flagged implausible)"),
    (("CAS042", "CAS046"), "Landmine Monitor's cumulative casualty total for Azerbaijan falls between editions"),
    (("CAS019", "CAS022"), "AzCBL's annual casualty total: its own website vs as quoted by Landmine Monitor"),
    (("CAS148", "CAS149"), "Global casualties for one year in two Landmine Monitor editions"),
    (("CAS152", "CAS155"), "Global casualties for one year, revised upwards in the next Landmine Monitor edition"),
    (("FUN067", "FUN069"), "Global international funding for one year in two Landmine Monitor editions"),
    (("FUN044", "FUN045"), "International share of Azerbaijan's mine action funding: ANAMA vs AzCBL"),
    (("CON009", "CON012", "CON015", "CON017"), "Number of mines laid in Azerbaijan: official statements differ"),
    (("CON013", "CON014"), "Area of the regained territories to clear: ANAMA vs AzCBL"),
    (("CON010", "CON011"), "Share of Azerbaijan's territory contaminated"),
    (("POP013", "POP039"), "Azerbaijan's mid-year population: World Bank vs State Statistical Committee"),
)
DISPUTED_VERDICTS = ("not_supported", "ambiguous", "outdated")
# The derivation rules of analysis/derive.py shown in the methods table, in reading order.
DERIVATION_RULES = (
    ("Increments from cumulative totals", "increments_from_cumulative"),
    ("Source preference", "pick_preferred"),
    ("Evidence tier of a source", "evidence_tier"),
    ("Currency conversion", "convert_amounts"),
    ("Exchange rate of a value date", "rate_on"),
    ("Annual average exchange rates", "annual_average_rates"),
    ("Rates per 100,000 population", "rate_per_100k"),
    ("Areas in hectares", "to_hectares"),
)


def _text_blanks(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text cells as None: show.sources_table (unlike show.table) would format a NaN in a
    text column as a number."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def observation_tables(ch: Chapter) -> list[str]:
    """Tables with a ``source_id`` per row, other than the registry and the daily ECB rates."""
    names = []
    for name in ch.data.contract.names:
        if name in REFERENCE_TABLES:
            continue
        if "source_id" in ch.data.contract.table(name).column_names:
            names.append(name)
    return names


def observation_rows(ch: Chapter) -> pd.DataFrame:
    """One row per observation: table, id, source, tier, quality flag and qualifier."""
    sources = ch.data.sources["source_type"]
    parts = []
    for name in observation_tables(ch):
        frame = ch.data.table(name)
        key = ch.data.contract.table(name).primary_key
        parts.append(
            pd.DataFrame(
                {
                    "table": name,
                    "row_id": frame[key[0]] if key else frame.index.astype(str),
                    "source_id": frame["source_id"],
                    "quality_flag": frame["quality_flag"] if "quality_flag" in frame else None,
                    "qualifier": frame["qualifier"] if "qualifier" in frame else None,
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True)
    rows["source_type"] = rows["source_id"].map(sources)
    rows["evidence_tier"] = rows["source_type"].map(derive.evidence_tier)
    return rows


def citing_rows(ch: Chapter) -> pd.Series:
    """Number of rows of all other tables that cite each source id (derived)."""
    counts: dict[str, int] = {}
    for name in ch.data.contract.names:
        if name == "sources":
            continue
        frame = ch.data.table(name)
        for column in SOURCE_COLUMNS:
            if column in frame.columns:
                for value in frame[column]:
                    for source_id in split_ids(value):
                        counts[source_id] = counts.get(source_id, 0) + 1
    return pd.Series(counts, dtype="int64")


def source_catalogue(ch: Chapter) -> pd.DataFrame:
    """The source registry with evidence tier and the number of rows citing each source."""
    sources = ch.data.sources.reset_index(drop=True)
    sources["evidence_tier"] = sources["source_type"].map(derive.evidence_tier)
    sources["tier_name"] = sources["evidence_tier"].map(derive.TIER_NAMES)
    sources["rows_citing"] = sources["source_id"].map(citing_rows(ch)).fillna(0).astype("int64")
    return sources.sort_values(["evidence_tier", "source_id"], ignore_index=True)


def tier_summary(ch: Chapter) -> pd.DataFrame:
    """Per evidence tier: sources in the registry and observation rows (counts and shares, derived)."""
    catalogue = source_catalogue(ch)
    rows = observation_rows(ch)
    total = len(rows)
    summary = pd.DataFrame({"evidence_tier": sorted(derive.TIER_NAMES)})
    summary["tier_name"] = summary["evidence_tier"].map(derive.TIER_NAMES)
    summary["sources"] = (
        summary["evidence_tier"].map(catalogue["evidence_tier"].value_counts()).fillna(0).astype("int64")
    )
    summary["observation_rows"] = (
        summary["evidence_tier"].map(rows["evidence_tier"].value_counts()).fillna(0).astype("int64")
    )
    summary["share_of_rows_pct"] = summary["observation_rows"] / total * 100 if total else float("nan")
    return summary


def findings(ch: Chapter) -> list[Finding]:
    summary = tier_summary(ch)
    rows = observation_rows(ch)
    flagged = rows[rows["quality_flag"].notna()]
    by_tier = "; ".join(
        f"{row.sources} in tier {row.evidence_tier} ({row.tier_name})" for row in summary.itertuples(index=False)
    )
    flags = flagged["quality_flag"].value_counts()
    flag_words = ", ".join(f"{n} {plain_words(flag)}" for flag, n in flags.items())
    press = summary.set_index("evidence_tier").loc[PRESS_TIER]
    monitoring = summary.set_index("evidence_tier").loc[1]
    return [
        Finding(f"The data rest on {int(summary['sources'].sum())} sources: {by_tier}."),
        Finding(
            f"{len(flagged)} of {len(rows)} observation rows carry a quality flag and are left out of series "
            f"(shown in the conflicts tables): {flag_words or 'none'}."
        ),
        Finding(
            f"{press['observation_rows']} of {len(rows)} observation rows ({pct_text(press['share_of_rows_pct'])}, derived) "
            f"come from press reports (tier {PRESS_TIER}); {monitoring['observation_rows']} "
            f"({pct_text(monitoring['share_of_rows_pct'])}) come from monitoring reports."
        ),
    ]


def parameters_sentence(ch: Chapter) -> str:
    p = ch.params
    return (
        f"This render was made for {ch.country_name} ({ch.country}) as the focus country, with time series "
        f"from {p.first_year} to {p.last_year} and money shown in {p.currency}; amounts in other currencies "
        "are converted and keep their original amount and currency."
    )


def parameters_note(ch: Chapter) -> HTML:
    return show.note(parameters_sentence(ch), kind="info")


def tier_chart(ch: Chapter) -> HTML:
    """Observation rows by evidence tier, with the number of sources per tier in the labels."""
    summary = tier_summary(ch)
    total = int(summary["observation_rows"].sum())
    if total == 0:
        return show.missing("The data hold no observation rows to classify by evidence tier.")
    top = summary.sort_values(["observation_rows", "evidence_tier"], ascending=[False, True]).iloc[0]
    plotted = summary.iloc[::-1].reset_index(drop=True)
    fig, ax = figures.new_figure()
    colours = [
        figures.PALETTE["primary"] if t == top["evidence_tier"] else figures.PALETTE["context"]
        for t in plotted["evidence_tier"]
    ]
    labels = [f"Tier {t}: {TIER_SHORT[t].lower()}" for t in plotted["evidence_tier"]]
    bars = ax.barh(labels, plotted["observation_rows"], color=colours, height=0.6)
    for bar, row in zip(bars, plotted.itertuples(index=False)):
        ax.annotate(
            f"{row.observation_rows:,} rows ({pct_text(row.share_of_rows_pct)}) from {row.sources} sources",
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=12,
            color=figures.PALETTE["primary"] if row.evidence_tier == top["evidence_tier"] else figures.PALETTE["text"],
            fontweight="bold" if row.evidence_tier == top["evidence_tier"] else "normal",
        )
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlim(0, summary["observation_rows"].max() * 1.9)
    figures.thousands(ax, "x")
    ax.set_xlabel("Observation rows")
    fig.subplots_adjust(left=0.27)
    tables = observation_tables(ch)
    title = f"{TIER_SHORT[int(top['evidence_tier'])]} supply {pct_text(top['share_of_rows_pct'])} of the {total:,} observation rows"
    subtitle = f"Observation rows by evidence tier of their source, all countries, {len(tables)} tables of the data"
    spelled = "; ".join(
        f"tier {row.evidence_tier} ({TIER_SHORT[row.evidence_tier].lower()}) {row.observation_rows} rows, "
        f"{pct_text(row.share_of_rows_pct)}"
        for row in summary.itertuples(index=False)
    )
    alt = f"Horizontal bar chart of {total} observation rows by the evidence tier of their source: {spelled}."
    data = summary.rename(
        columns={
            "sources": "sources_count",
            "observation_rows": "observation_rows_count",
            "share_of_rows_pct": "share_of_rows_pct_derived",
        }
    )
    data["source_id"] = data["evidence_tier"].map(
        source_catalogue(ch).groupby("evidence_tier")["source_id"].agg(";".join)
    )
    return ch.chart(
        fig,
        "09_rows_by_evidence_tier",
        title=title,
        subtitle=subtitle,
        source="Project source registry and observation tables (data/); tiers derived from each source's type",
        alt=alt,
        data=data,
    )


def tier_table(ch: Chapter) -> HTML:
    summary = tier_summary(ch)
    shown = pd.DataFrame(
        {
            "tier": summary["evidence_tier"],
            "evidence tier": summary["tier_name"],
            "sources": summary["sources"],
            "observation rows": summary["observation_rows"],
            "share of rows (derived)": summary["share_of_rows_pct"].map(pct_text),
        }
    )
    return show.table(
        shown,
        caption="Sources and observation rows by evidence tier",
        source="Project source registry and observation tables (data/); tiers derived from each source's type",
        note_text=(
            f"Observation rows are the rows of {', '.join(observation_tables(ch))}; the daily ECB reference "
            "rates are reference data from one source and are not counted. Source preference, where sources "
            "disagree: monitoring report, then official, then press, then secondary."
        ),
    )


def sources_tables(ch: Chapter) -> HTML:
    """One table per evidence tier; each row is the link target of its source id."""
    catalogue = source_catalogue(ch)
    parts = []
    for tier, group in catalogue.groupby("evidence_tier", sort=True):
        shown = pd.DataFrame(
            {
                "id": group["source_id"],
                "publisher": group["publisher"],
                "title": group["title"],
                "date": group["date_published"],
                "type": plain(group["source_type"]),
                "URL": group["url"],
                "verbatim excerpt": group["excerpt"],
                "rows citing (derived)": group["rows_citing"],
                "notes": group["notes"],
            }
        )
        parts.append(
            show.sources_table(
                _text_blanks(shown),
                caption=f"Tier {tier} — {derive.TIER_NAMES[int(tier)]}: {len(group)} sources",
                source="Project source registry (data/sources.csv)",
                note_text=(
                    "Rows citing counts the rows of the other tables that name the source; a source with none "
                    "is cited in notes or quoted directly in the chapters."
                ),
                id_column="id",
            ).data
        )
    if not parts:
        return show.missing("The source registry is empty.")
    return HTML("\n".join(parts))


def _table_of(row_id: str) -> str | None:
    return ID_PREFIXES.get(row_id[:3])


def _date_of(row: pd.Series) -> str:
    for column in DATE_COLUMNS:
        if column in row.index and row[column] is not None and not pd.isna(row[column]):
            return date_label(row[column], row.get("date_precision"))
    return "date not stated"


FLAGGED_COLUMNS = ["obs id", "table", "what is flagged", "as reported", "date", "source_id"]


def flagged_rows(ch: Chapter) -> pd.DataFrame:
    parts = []
    for name in observation_tables(ch):
        frame = ch.data.table(name)
        if "quality_flag" not in frame.columns:
            continue
        flagged = frame[frame["quality_flag"].notna()]
        for _, row in flagged.iterrows():
            parts.append(
                {
                    "obs id": row["obs_id"],
                    "table": name,
                    "what is flagged": plain_words(row["quality_flag"]),
                    "as reported": row["value_as_reported"],
                    "date": _date_of(row),
                    "source_id": row["source_id"],
                }
            )
    # The rows' curation notes are not shown: the flag, the figure as printed and the source are.
    return pd.DataFrame(parts, columns=FLAGGED_COLUMNS)


def flag_counts(ch: Chapter) -> pd.DataFrame:
    flagged = flagged_rows(ch)
    if flagged.empty:
        return pd.DataFrame(columns=["quality flag", "total"])
    pivot = flagged.pivot_table(
        index="what is flagged", columns="table", values="obs id", aggfunc="count", fill_value=0
    )
    pivot["total"] = pivot.sum(axis=1)
    pivot = (
        pivot.sort_values("total", ascending=False).reset_index().rename(columns={"what is flagged": "quality flag"})
    )
    pivot.columns.name = None
    return pivot


def flag_counts_table(ch: Chapter) -> HTML:
    counts = flag_counts(ch)
    if counts.empty:
        return show.missing("No row of the data carries a quality flag.")
    return show.table(
        counts,
        caption="Rows kept for transparency but left out of series, by quality flag and table (derived counts)",
        source="Project observation tables (data/); flags as set in each table's quality_flag column",
    )


def flagged_rows_table(ch: Chapter) -> HTML:
    flagged = flagged_rows(ch)
    if flagged.empty:
        return show.missing("No row of the data carries a quality flag.")
    return show.table(
        flagged,
        caption="Every flagged row, with the figure as the source prints it",
        source=source_line(ch.data.sources, flagged["source_id"]),
    )


def disagreements(ch: Chapter) -> pd.DataFrame:
    """Known disagreements between sources, with the figures and dates read from the rows."""
    rows = []
    frames: dict[str, pd.DataFrame] = {}
    for obs_ids, what in KNOWN_DISAGREEMENTS:
        shown, ids, flags = [], [], []
        for obs_id in obs_ids:
            name = _table_of(obs_id)
            if name is None or name not in ch.data.contract.names:
                continue
            if name not in frames:
                frames[name] = ch.data.table(name).set_index("obs_id", drop=False)
            frame = frames[name]
            if obs_id not in frame.index:
                continue
            row = frame.loc[obs_id]
            shown.append(f"{obs_id}: {row['value_as_reported']} ({_date_of(row)}, {row['source_id']})")
            ids.append(row["source_id"])
            if "quality_flag" in row.index and pd.notna(row["quality_flag"]):
                flags.append(f"{obs_id} {plain_words(row['quality_flag'])}")
        if len(shown) >= 2:
            rows.append(
                {
                    "what": what,
                    "obs ids": ", ".join(obs_ids),
                    "figures as reported (date, source)": "; ".join(shown),
                    "flagged": "; ".join(flags) or "no",
                    "source_ids": ";".join(dict.fromkeys(ids)),
                }
            )
    claims = ch.data.table("conference_claims")
    for row in claims[claims["verdict"].isin(DISPUTED_VERDICTS)].itertuples(index=False):
        rows.append(
            {
                "what": f"Conference article claim ({plain_words(row.verdict)}): {row.claim}",
                "obs ids": row.claim_id,
                "figures as reported (date, source)": row.verdict_reason,
                "flagged": "claim checked in the claims chapter",
                "source_ids": ";".join(dict.fromkeys([row.article_source_id, *split_ids(row.evidence_source_ids)])),
            }
        )
    return pd.DataFrame(
        rows, columns=["what", "obs ids", "figures as reported (date, source)", "flagged", "source_ids"]
    )


def disagreements_table(ch: Chapter) -> HTML:
    frame = disagreements(ch)
    if frame.empty:
        return show.missing("None of the known disagreements between sources is in the data.")
    return show.table(
        frame,
        caption="Known disagreements between sources: both figures are kept and shown",
        source=source_line(ch.data.sources, [s for ids in frame["source_ids"] for s in split_ids(ids)]),
        note_text=(
            "Where sources disagree the report shows both; series use the preferred source (monitoring report, "
            "then official, then press, then secondary) and never add or average conflicting figures."
        ),
    )


def quality_counts(ch: Chapter) -> pd.DataFrame:
    """Rows, flagged rows and rows whose qualifier is not exact, per table (derived counts)."""
    rows = []
    for name in ch.data.contract.names:
        frame = ch.data.table(name)
        rows.append(
            {
                "table": name,
                "rows": len(frame),
                "rows flagged": int(frame["quality_flag"].notna().sum()) if "quality_flag" in frame else None,
                "qualifier not exact": int((frame["qualifier"].fillna("exact") != "exact").sum())
                if "qualifier" in frame
                else None,
            }
        )
    return pd.DataFrame(rows, columns=["table", "rows", "rows flagged", "qualifier not exact"])


def quality_table(ch: Chapter) -> HTML:
    return show.table(
        quality_counts(ch),
        caption="Data quality per table: rows, rows flagged, and rows whose figure is approximate or a bound",
        source="Project tables (data/), validated against data/datapackage.json",
        note_text="– means the table has no such column. Qualifiers: about (approximate), over (lower bound), under (upper bound).",
    )


def glossary_table(ch: Chapter) -> HTML:
    glossary = ch.data.table("glossary")
    if glossary.empty:
        return show.missing("The glossary is empty.")
    return show.table(
        glossary.rename(columns={"source_note": "where the definition comes from"}),
        caption="Mine action terms as the report uses them (IMAS-based definitions)",
        source="Project glossary (data/glossary.csv), after IMAS 04.10 as quoted in GICHD publications",
        note_text="Where the exact IMAS wording was not verified, the source note says so.",
    )


def funding_years(ch: Chapter) -> list[int]:
    """Years of the value dates of money rows in the funding table."""
    funding = ch.data.table("funding")
    money = funding[funding["unit"].str.fullmatch(r"[A-Z]{3}") & funding["value_date"].notna()]
    return sorted(int(y) for y in money["value_date"].dt.year.unique())


def exchange_rates(ch: Chapter) -> pd.DataFrame:
    """Annual average ECB rates (units per EUR) for the years of funding rows (derived)."""
    rates = ch.data.table("ecb_reference_rates")
    averages = derive.annual_average_rates(rates)
    years = funding_years(ch)
    averages = averages[averages["year"].isin(years)]
    wide = averages.pivot(index="year", columns="currency", values="units_per_eur")
    days = averages.pivot(index="year", columns="currency", values="days")
    funding = ch.data.table("funding")
    money = funding[funding["unit"].str.fullmatch(r"[A-Z]{3}") & funding["value_date"].notna()]
    rows_per_year = money["value_date"].dt.year.value_counts()
    out = pd.DataFrame({"year": years})
    for currency in sorted(wide.columns, key=lambda c: (c != "USD", c)):
        out[f"{currency} per EUR, annual average (derived)"] = (
            out["year"].map(wide[currency]).map(lambda v: f"{v:.4f}" if pd.notna(v) else None)
        )
    first = sorted(days.columns)[0] if len(days.columns) else None
    out["ECB days averaged"] = out["year"].map(days[first]) if first else None
    out["funding rows with a value date in the year"] = out["year"].map(rows_per_year).astype("int64")
    out["source_id"] = ";".join(dict.fromkeys(rates["source_id"]))
    out["year"] = out["year"].astype(str)  # a label, not a number with a thousands separator
    return out


def exchange_rates_table(ch: Chapter) -> HTML:
    frame = exchange_rates(ch)
    if frame.empty:
        return show.missing("The funding table has no money rows with a value date, so no exchange rates are used.")
    return show.table(
        frame,
        caption="ECB exchange rates for the years of the funding rows: annual averages of daily reference rates",
        source=source_line(ch.data.sources, split_ids(frame["source_id"].iloc[0])),
        note_text=(
            "Derived: means of the ECB's daily reference rates in each year, shown to four decimals. "
            "Single amounts are converted at the rate of their own value date (see the method below); the annual "
            "averages are for reference and for annual series."
        ),
    )


def _doc(function_name: str) -> str:
    doc = inspect.getdoc(getattr(derive, function_name)) or ""
    return " ".join(doc.replace("``", "").split())


def currency_method(ch: Chapter) -> HTML:
    text = (
        f"Derived values. Reporting currency of this render: {ch.params.currency}. "
        f"Conversion rule: {_doc('convert_amounts')} Rate lookup: {_doc('rate_on')} "
        f"Annual averages: {_doc('annual_average_rates')}"
    )
    return show.note(text, kind="info")


def derivation_rules() -> pd.DataFrame:
    """The derivation rules as documented in analysis/derive.py (read from the docstrings)."""
    return pd.DataFrame(
        [
            {"rule": label, "function": f"derive.{name}", "formula in words": _doc(name)}
            for label, name in DERIVATION_RULES
        ]
    )


def derivation_table(ch: Chapter) -> HTML:
    return show.table(
        derivation_rules(),
        caption="What is derived and how: the rules applied to sourced observations",
        source="Project code (demining_sdg.derive.rules), read from each rule's documentation",
        note_text="Every number these rules produce is labelled derived where it is shown.",
    )
