"""Chapter 3: who pays for mine action — national and international funding, donor announcements,
global support, and the conflicting statements on the national share.

Rules used here (all stated in the chapter):

- National vs international (a): Landmine Monitor annual contributions to the country
  (measure contribution, not cumulative, one calendar year) from the aggregate rows only — the
  government's own contribution and "international donors (all)" — never the per-donor
  breakdown rows. A year is charted when both parts exist; the national share is
  national / (national + international), derived.
- Announcements (b): post-2020 statements (announcement, commitment, pledge, cumulative total)
  in money units, converted with ``derive.convert_amounts`` at the ECB reference rate of the
  value date. They are listed one by one and never summed, with each other or with disbursements.
- Global (c): Landmine Monitor world contributions by year (international from "all donors",
  total from "donors and affected states"). Where several editions give a figure for the same
  year, the latest edition (publication year of the source) is kept and the others are listed
  as revisions.
- Shares (d): the stated shares of the national budget, side by side; differences are shown,
  not resolved.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
from IPython.display import HTML

from demining_sdg.analysis.common import (
    QUALIFIER_WORDS,
    date_label,
    in_years,
    plain_words,
    qualified,
    source_line,
    usable,
)
from demining_sdg.derive.rules import convert_amounts, rate_on
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding, format_value

# Aggregate rows (not per-donor breakdowns): the state's own budget, all donors together.
AGGREGATE_DONOR = re.compile(
    r"^(government of|international donors \(all\)|all donors|affected states|donors and affected states)",
    re.IGNORECASE,
)
ANNOUNCEMENT_MEASURES = ("announcement", "commitment", "pledge", "total")
# Announcements are shown from the end of the 2020 war for Azerbaijan (the date that opens the
# regained territories, as in clearance.csv's programme_scope); from the start of 2020 elsewhere.
ANNOUNCEMENTS_FROM = {"AZE": pd.Timestamp("2020-11-10")}
ANNOUNCEMENTS_FROM_DEFAULT = pd.Timestamp("2020-01-01")
MEASURE_WORDS = {
    "announcement": "announcement",
    "commitment": "commitment",
    "pledge": "pledge (intention)",
    "total": "cumulative total stated",
    "disbursement": "disbursement",
}


def span(first: int, last: int) -> str:
    """'2008–2012', or '2007' when the period is one year."""
    return f"{first}–{last}" if first != last else f"{first}"


def money(value: float, unit: str) -> str:
    """'USD 798.4 million' when the amount is a whole number of tenths of a million, else the full amount
    ('USD 44,022,507'): nothing is rounded away."""
    millions = value / 1_000_000
    if abs(value) >= 1_000_000 and abs(millions * 10 - round(millions * 10)) < 1e-9:
        return f"{unit} {format_value(round(millions, 1))} million"
    return f"{unit} {format_value(value)}"


def compact(value: float, unit: str) -> str:
    """Chart label in millions to two decimals (display only; exact amounts are in the table)."""
    return f"{unit} {value / 1_000_000:,.2f}m"


def _funding(ch: Chapter) -> pd.DataFrame:
    return ch.data.table("funding")


# --------------------------------------------------------------------------- (a) national vs international


def annual_contributions(ch: Chapter) -> pd.DataFrame:
    """Aggregate annual national and international contributions to the country (all usable rows)."""
    f = usable(_funding(ch))
    rows = f[
        (f["recipient_iso3"] == ch.country)
        & (f["measure"] == "contribution")
        & ~f["is_cumulative"].fillna(False).astype(bool)
        & f["funding_source"].isin(["national", "international"])
        & f["donor"].fillna("").str.match(AGGREGATE_DONOR)
        & (f["period_start_year"] == f["period_end_year"])
    ].copy()
    rows["year"] = rows["period_end_year"].astype(int)
    return rows.sort_values(["year", "funding_source"]).reset_index(drop=True)


PAIRED_COLUMNS = [
    "year",
    "national",
    "international",
    "unit",
    "national_share_percent",
    "source_id",
]


def national_international(ch: Chapter) -> pd.DataFrame:
    """One row per year with both parts: national, international, national share (derived)."""
    rows = annual_contributions(ch)
    if rows.empty:
        return pd.DataFrame(columns=PAIRED_COLUMNS)
    # One currency per chart: the currency most rows are published in (Landmine Monitor: USD).
    unit = rows["unit"].value_counts().index[0]
    rows = rows[rows["unit"] == unit]
    wide = rows.pivot_table(index="year", columns="funding_source", values="value", aggfunc="first")
    ids = rows.groupby("year")["source_id"].agg(lambda s: ";".join(dict.fromkeys(s)))
    wide = wide.dropna(subset=[c for c in ("national", "international") if c in wide.columns])
    if not {"national", "international"} <= set(wide.columns) or wide.empty:
        return pd.DataFrame(columns=PAIRED_COLUMNS)
    out = wide[["national", "international"]].reset_index()
    out["unit"] = unit
    out["national_share_percent"] = out["national"] / (out["national"] + out["international"]) * 100
    out["source_id"] = out["year"].map(ids)
    return out


def unpaired_years(ch: Chapter) -> pd.DataFrame:
    """Annual aggregate rows of years that lack the other part (not charted, listed in a note)."""
    rows = annual_contributions(ch)
    paired = set(national_international(ch)["year"])
    return rows[~rows["year"].isin(paired)]


def stated_share(ch: Chapter, first: int, last: int) -> pd.Series | None:
    """The stated national share for exactly the period first–last (e.g. Landmine Monitor's 82%)."""
    f = usable(_funding(ch))
    rows = f[
        (f["recipient_iso3"] == ch.country)
        & (f["measure"] == "share")
        & (f["funding_source"] == "national")
        & (f["period_start_year"] == first)
        & (f["period_end_year"] == last)
    ]
    return rows.iloc[0] if not rows.empty else None


def stated_totals(ch: Chapter, first: int, last: int) -> dict[str, pd.Series]:
    """Printed multi-year totals per funding source for exactly first–last."""
    f = usable(_funding(ch))
    rows = f[
        (f["recipient_iso3"] == ch.country)
        & (f["measure"] == "total")
        & f["funding_source"].isin(["national", "international"])
        & (f["period_start_year"] == first)
        & (f["period_end_year"] == last)
        & f["donor"].fillna("").str.match(AGGREGATE_DONOR)
    ]
    return {r["funding_source"]: r for _, r in rows.iterrows()}


def share_check(ch: Chapter) -> dict | None:
    """National share over the longest run of paired years (derived) against the stated share."""
    wide = national_international(ch)
    if wide.empty:
        return None
    years = list(wide["year"])
    runs, run = [], [years[0]]
    for y in years[1:]:
        if y == run[-1] + 1:
            run.append(y)
        else:
            runs.append(run)
            run = [y]
    runs.append(run)
    span = max(runs, key=len)
    part = wide[wide["year"].isin(span)]
    national, international = part["national"].sum(), part["international"].sum()
    share = national / (national + international) * 100
    return {
        "first": span[0],
        "last": span[-1],
        "national": national,
        "international": international,
        "unit": part["unit"].iloc[0],
        "share": share,
        "stated": stated_share(ch, span[0], span[-1]),
        "totals": stated_totals(ch, span[0], span[-1]),
        "source_ids": sorted({s for v in part["source_id"] for s in v.split(";")}),
        "years": part,
    }


def share_finding(ch: Chapter) -> Finding | None:
    check = share_check(ch)
    if check is None:
        return None
    unit = check["unit"]
    period = span(check["first"], check["last"])
    text = (
        f"In {period} {ch.country_name}'s own budget gave {money(check['national'], unit)} for mine action and "
        f"international donors {money(check['international'], unit)} (Landmine Monitor"
        + (", sums of annual figures, derived): " if check["first"] != check["last"] else "): ")
        + f"a national share of {check['share']:.1f}% (derived)"
    )
    ids = list(check["source_ids"])
    stated = check["stated"]
    if stated is not None:
        agrees = round(check["share"]) == stated["value"]
        text += (
            f", {'consistent with' if agrees else 'different from'} the stated "
            f"{qualified(stated['value'], stated['qualifier'], 'percent')}"
        )
        ids.append(stated["source_id"])
    return Finding(text + ".", tuple(dict.fromkeys(ids)))


def totals_note(ch: Chapter) -> HTML | None:
    """Do the annual figures add up to the printed totals? Say so either way."""
    check = share_check(ch)
    if check is None or not check["totals"]:
        return None
    parts, differs = [], False
    for source, row in check["totals"].items():
        summed = check[source]
        same = summed == row["value"]
        differs |= not same
        parts.append(
            f"{source} {format_value(summed)} summed (derived) vs {row['value_as_reported']} printed ({row['source_id']})"
            + ("" if same else f", a difference of {format_value(summed - row['value'])}")
        )
    verdict = "do not add up to" if differs else "add up exactly to"
    return show.note(
        f"The annual figures {verdict} the totals printed in the same table: " + "; ".join(parts) + ".",
        kind="conflict" if differs else "info",
    )


def national_international_chart(ch: Chapter) -> HTML:
    wide = national_international(ch)
    if wide.empty:
        return show.missing(
            f"No year has both a national and an international mine action contribution for {ch.country_name}."
        )
    if len(wide) < 2:
        return show.missing(
            f"Only {span(wide['year'].min(), wide['year'].max())} has both a national and an international "
            f"contribution for {ch.country_name}; it is shown in the table below, not as a chart."
        )
    unit = wide["unit"].iloc[0]
    fig, ax = figures.new_figure()
    x = range(len(wide))
    scale = 1_000_000
    nat, intl = wide["national"] / scale, wide["international"] / scale
    ax.bar(x, nat, color=figures.PALETTE["primary"], width=0.6)
    ax.bar(
        x,
        intl,
        bottom=nat,
        color=figures.PALETTE["secondary"],
        width=0.6,
        hatch="//",
        edgecolor="white",
    )
    for i, row in enumerate(wide.itertuples()):
        ax.annotate(
            f"{row.national_share_percent:.1f}% national",
            xy=(i, (row.national + row.international) / scale),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            color=figures.PALETTE["text"],
            fontsize=11,
        )
    last = len(wide) - 1
    figures.label_line_end(ax, last + 0.32, nat.iloc[-1] / 2, "national (state budget)", figures.PALETTE["primary"])
    figures.label_line_end(
        ax,
        last + 0.32,
        nat.iloc[-1] + intl.iloc[-1] / 2,
        "international donors",
        figures.PALETTE["secondary"],
    )
    ax.set_xticks(list(x), [str(y) for y in wide["year"]])
    ax.set_xlim(-0.6, last + 1.9)
    ax.set_ylim(0, (nat + intl).max() * 1.15)
    ax.set_ylabel(f"{unit} million")
    check = share_check(ch)
    lo, hi = wide["national_share_percent"].min(), wide["national_share_percent"].max()
    title = (
        f"{ch.country_name}'s own budget paid {lo:.0f}–{hi:.0f}% of mine action each year"
        if lo != hi
        else f"{ch.country_name}'s own budget paid {lo:.0f}% of mine action"
    )
    subtitle = (
        f"Mine action contributions by source, {unit} as published by Landmine Monitor, "
        f"{ch.country_name}, {span(wide['year'].min(), wide['year'].max())}; shares derived"
    )
    alt = (
        f"Stacked bar chart of national and international mine action contributions to {ch.country_name}, "
        f"{wide['year'].min()}–{wide['year'].max()}: national funding was {lo:.1f}–{hi:.1f}% of the annual total (derived)"
        + (f", {check['share']:.1f}% over {check['first']}–{check['last']}." if check else ".")
    )
    data = wide.rename(
        columns={
            "national": f"national_{unit.lower()}",
            "international": f"international_{unit.lower()}",
        }
    )
    return ch.chart(
        fig,
        "03_national_international_by_year",
        title=title,
        subtitle=subtitle,
        source=source_line(ch.data.sources, [s for v in wide["source_id"] for s in v.split(";")]),
        alt=alt,
        data=data,
    )


def national_international_table(ch: Chapter) -> HTML:
    wide = national_international(ch)
    if wide.empty:
        return show.missing(
            f"No year has both a national and an international mine action contribution for {ch.country_name}."
        )
    unit = wide["unit"].iloc[0]
    frame = pd.DataFrame(
        {
            "year": wide["year"].astype(str),
            f"national ({unit})": wide["national"],
            f"international ({unit})": wide["international"],
            "national share, % (derived)": wide["national_share_percent"].round(1),
            "source_ids": wide["source_id"],
        }
    )
    return show.table(
        frame,
        caption=f"National and international mine action contributions, {ch.country_name}",
        source=source_line(ch.data.sources, [s for v in wide["source_id"] for s in v.split(";")]),
        note_text="Landmine Monitor annual figures as printed; the share is derived and shown to one decimal.",
    )


def unpaired_note(ch: Chapter) -> HTML | None:
    rows = unpaired_years(ch)
    f = usable(_funding(ch))
    totals = f[
        (f["recipient_iso3"] == ch.country) & (f["measure"] == "contribution") & (f["funding_source"] == "total")
    ]
    if rows.empty and totals.empty:
        return None
    parts = [f"{r.year}: {r.funding_source} {r.value_as_reported} ({r.source_id})" for r in rows.itertuples()]
    parts += [
        f"{int(r.period_end_year)}: all sources together {r.value_as_reported} ({r.source_id})"
        for r in totals.itertuples()
    ]
    return show.note(
        "Not charted because the other part of the same year is not in the data: "
        + "; ".join(parts)
        + f". No other year has a national or international contribution figure for {ch.country_name} in the data.",
        kind="missing",
    )


# --------------------------------------------------------------------------- (b) announcements


def announcements_from(ch: Chapter) -> pd.Timestamp:
    return ANNOUNCEMENTS_FROM.get(ch.country, ANNOUNCEMENTS_FROM_DEFAULT)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


# Remarks that make a statement unsafe to read as one donor's money for this country: drawn with an
# open marker. Every remark _remarks can write is in exactly one of the two lists (tested).
CAUTION_REMARKS = (
    "flag:",
    "regional:",
    "several donors together, incl.",
    "overlaps other rows",
    "share for mine action not specified",
    "ambiguous",
    "not to be added",
    "includes intentions",
)
# Remarks already shown otherwise: a cumulative total by its square marker, a qualifier in the label.
# A joint statement of donors none of whom has its own statements in the chart is plain.
PLAIN_REMARKS = ("cumulative", "lower bound", "upper bound", "approximate", "several donors together")
JOINT_DONOR = " + "


def remark_parts(remarks: str) -> list[str]:
    return [part for part in (remarks or "").split("; ") if part]


def is_caution(remarks: str) -> bool:
    """True when any remark is one of CAUTION_REMARKS (open marker in the timeline)."""
    return any(part.startswith(CAUTION_REMARKS) for part in remark_parts(remarks))


def donor_label(donor: str) -> str:
    """Short donor name for the timeline's rows; a joint statement keeps all its donors
    ('EU + 10 member states (Team Europe)'), so it never sits on one member's row."""
    donor = donor.strip()
    if JOINT_DONOR in donor:
        return donor.replace("European Union", "EU")
    return re.split(r"\s+(?:\(|via\b)", donor)[0].strip()


def _joint_overlap(remarks: str, donor: str, donors: set[str]) -> str:
    """A joint statement that includes a donor with its own rows (Team Europe and the EU) can
    overlap those rows: say which donor."""
    if JOINT_DONOR not in donor:
        return remarks
    members = [donor_label(part) for part in donor.split(JOINT_DONOR)]
    shared = [m for m in members if m in donors]
    if not shared:
        return remarks
    return "; ".join(
        f"several donors together, incl. {', '.join(shared)} with its own statements"
        if part == "several donors together"
        else part
        for part in remark_parts(remarks)
    )


def _remarks(row: pd.Series, country_name: str) -> str:
    """Why a row must be read with care, from its notes, scope, flag and qualifier."""
    notes = _text(row.get("notes")).lower()
    scope = _text(row.get("recipient_scope"))
    flag = _text(row.get("quality_flag"))
    qualifier = _text(row.get("qualifier"))
    out = []
    if flag:
        out.append(f"flag: {plain_words(flag)}")
    if scope and scope != country_name:
        out.append(f"regional: {scope}")
    if JOINT_DONOR in _text(row.get("donor")):
        out.append("several donors together")
    if "overlap" in notes or ("same " in notes and "previous row" in notes):
        out.append("overlaps other rows")
    if "not specified" in notes:
        out.append("share for mine action not specified")
    if "ambiguous" in notes:
        out.append("ambiguous")
    if re.search(r"do not (add|sum)", notes):
        out.append("not to be added")
    if row.get("is_cumulative") is True:
        out.append("cumulative")
    if qualifier and qualifier != "exact":
        out.append(plain_words(qualifier))
    if "intention" in notes or "planned" in notes or "intends" in notes:
        out.append("includes intentions")
    return "; ".join(dict.fromkeys(out))


def announcements(ch: Chapter) -> pd.DataFrame:
    """Post-2020 money announcements for the country, converted to the reporting currency (derived)."""
    f = _funding(ch)
    rows = f[
        (f["recipient_iso3"] == ch.country)
        & f["measure"].isin(ANNOUNCEMENT_MEASURES)
        & (f["funding_source"] == "international")
        & f["unit"].str.fullmatch(r"[A-Z]{3}")
        & (f["value_date"] >= announcements_from(ch))
        & f["value"].notna()
    ].copy()
    if rows.empty:
        return rows
    rates = ch.data.table("ecb_reference_rates")
    target = ch.params.currency
    converted = convert_amounts(rows, rates, target)
    # The rate date is the date of the non-EUR rate actually used (for EUR amounts, the target's rate).
    rate_dates = []
    for unit, value_date in zip(converted["unit"], converted["value_date"]):
        other = unit if unit != "EUR" else target
        rate_dates.append(pd.NaT if unit == target else rate_on(rates, other, value_date)[1])
    converted["rate_date"] = rate_dates
    converted["remarks"] = [_remarks(r, ch.country_name) for _, r in converted.iterrows()]
    converted["donor_short"] = converted["donor"].map(donor_label)
    converted["remarks"] = [
        _joint_overlap(remarks, donor, set(converted["donor_short"]))
        for remarks, donor in zip(converted["remarks"], converted["donor"])
    ]
    return converted.sort_values(["value_date", "obs_id"]).reset_index(drop=True)


def converted_label(ch: Chapter) -> str:
    return f"{ch.params.currency}, converted at ECB reference rate of the value date (derived)"


def announcements_table(ch: Chapter) -> HTML:
    rows = announcements(ch)
    if rows.empty:
        return show.missing(
            f"No donor announcements for {ch.country_name} since {date_label(announcements_from(ch))} are in the data."
        )
    target = ch.params.currency
    frame = pd.DataFrame(
        {
            "value date": rows["value_date"],
            "donor": rows["donor"],
            "kind": rows["measure"].map(MEASURE_WORDS),
            "as reported": rows["value_as_reported"],
            "amount": rows["value"],
            "currency": rows["unit"],
            converted_label(ch): rows[f"amount_{target.lower()}"].round(2),
            f"rate ({target} per unit)": [
                f"{r:.6f}".rstrip("0").rstrip(".") for r in rows[f"rate_to_{target.lower()}"]
            ],
            "rate date": [d.strftime("%Y-%m-%d") if pd.notna(d) else "same currency" for d in rows["rate_date"]],
            "remarks": rows["remarks"],
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        frame,
        caption=f"Donor announcements for mine action in {ch.country_name} since {date_label(announcements_from(ch))}",
        source=source_line(ch.data.sources, list(rows["source_id"]) + ["S901"]),
        note_text="Announcements, pledges, commitments and stated cumulative totals, not audited disbursements. "
        "They can overlap (see remarks; a cumulative total includes earlier amounts) and are never added up. "
        "Converted amounts are rounded to cents and rates to six decimals for display; the rate date is the ECB "
        "business day whose rate was used (the value date or the latest earlier one).",
    )


def announcements_chart(ch: Chapter) -> HTML:
    rows = announcements(ch)
    target = ch.params.currency
    plotted = usable(rows) if not rows.empty else rows
    if plotted.empty:
        return show.missing(
            f"No donor announcements for {ch.country_name} since {date_label(announcements_from(ch))} are in the data."
        )
    if len(plotted) < 2:
        return show.missing(
            f"Only one donor announcement for {ch.country_name} is in the data; it is listed in the "
            "table below, not as a chart."
        )
    amount = f"amount_{target.lower()}"
    donors = (plotted.groupby("donor_short")[amount].max().sort_values(ascending=True)).index.tolist()
    ypos = {d: i for i, d in enumerate(donors)}
    fig, ax = figures.new_figure()
    biggest = plotted[amount].max()
    kinds = {
        "single": (figures.PALETTE["primary"], "o", "single announcement or pledge"),
        "total": (figures.PALETTE["secondary"], "s", "cumulative total stated"),
    }
    plotted = plotted.assign(
        kind=["total" if m == "total" else "single" for m in plotted["measure"]],
        caution=[is_caution(r) for r in plotted["remarks"]],
    )
    # Statements of one donor less than ~4 months apart are spread vertically so none hides another.
    offsets, last_seen = [], {}
    for row in plotted.itertuples():
        prev = last_seen.get(row.donor_short)
        k = prev[1] + 1 if prev is not None and (row.value_date - prev[0]).days < 120 else 0
        last_seen[row.donor_short] = (row.value_date, k)
        offsets.append(k)
    spread = {0: 0.0, 1: 0.3, 2: -0.3, 3: 0.15}
    for row, k in zip(plotted.itertuples(), offsets):
        colour, marker, _ = kinds[row.kind]
        size = 50 + 700 * (getattr(row, amount) / biggest)
        y = ypos[row.donor_short] + spread.get(k, 0.0)
        ax.scatter(
            row.value_date,
            y,
            s=size,
            marker=marker,
            color="white" if row.caution else colour,
            edgecolors=colour,
            linewidths=2,
            zorder=3,
        )
        later = plotted[(plotted["donor_short"] == row.donor_short) & (plotted["value_date"] > row.value_date)]
        gaps = (later["value_date"] - row.value_date).dt.days
        crowded = bool(((gaps >= 120) & (gaps < 250)).any())
        label = QUALIFIER_WORDS.get(row.qualifier, "") + compact(getattr(row, amount), target)
        ax.annotate(
            label,
            xy=(row.value_date, y),
            xytext=(0, size**0.5 / 2 + 4) if crowded else (size**0.5 / 2 + 5, 0),
            textcoords="offset points",
            va="bottom" if crowded else "center",
            ha="center" if crowded else "left",
            fontsize=9.5,
            color=figures.PALETTE["text"],
        )
    ax.set_yticks(range(len(donors)), ["\n".join(textwrap.wrap(d, 22)) for d in donors])
    ax.set_ylim(-0.7, len(donors) - 0.4)
    ax.grid(axis="x", visible=False)
    start = plotted["value_date"].min()
    ax.set_xlim(start - pd.Timedelta(days=60), plotted["value_date"].max() + pd.Timedelta(days=320))
    fig.subplots_adjust(left=0.19)
    # Legend by marker shape and fill (colour is never the only cue).
    handles = []
    for kind in ("single", "total"):
        colour, marker, label = kinds[kind]
        if (plotted["kind"] == kind).any():
            handles.append(ax.scatter([], [], s=90, marker=marker, color=colour, label=label))
    if plotted["caution"].any():
        handles.append(
            ax.scatter(
                [],
                [],
                s=90,
                marker="o",
                color="white",
                edgecolors=figures.PALETTE["text"],
                linewidths=2,
                label="open marker: read with care (see remarks in the table)",
            )
        )
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=10)
    top = plotted.loc[plotted[amount].idxmax()]
    stated = QUALIFIER_WORDS.get(top["qualifier"], "") + money(top["value"], top["unit"])
    if top["measure"] == "total":
        title = f"{top['donor_short']}'s stated total reached {stated} by {top['value_date'].year}"
    else:
        title = f"Largest single statement: {stated} from {top['donor_short']} ({top['value_date'].year})"
    subtitle = (
        f"Donor announcements for mine action, {ch.country_name}, "
        f"{span(plotted['value_date'].min().year, plotted['value_date'].max().year)}; "
        f"{target} million at ECB rate of the value date (derived)"
    )
    alt = (
        f"Timeline of {len(plotted)} donor announcements for {ch.country_name} from "
        f"{date_label(plotted['value_date'].min())} to {date_label(plotted['value_date'].max())}; dot size is the amount in "
        f"{target}; the largest is {money(top[amount], target)} from {top['donor_short']}. Amounts are not added up."
    )
    data = plotted[
        [
            "value_date",
            "donor",
            "donor_short",
            "measure",
            "value",
            "unit",
            amount,
            f"rate_to_{target.lower()}",
            "rate_date",
            "remarks",
            "caution",
            "obs_id",
            "source_id",
        ]
    ].rename(columns={"value": "amount_original", "unit": "currency_original", "caution": "open_marker"})
    return ch.chart(
        fig,
        "03_announcements_timeline",
        title=title,
        subtitle=subtitle,
        source=source_line(ch.data.sources, list(plotted["source_id"]) + ["S901"]),
        alt=alt,
        data=data,
    )


def announcements_finding(ch: Chapter) -> Finding | None:
    rows = announcements(ch)
    if rows.empty:
        return None
    target = ch.params.currency
    plotted = usable(rows)
    donors = plotted["donor_short"].nunique()
    flagged = len(rows) - len(plotted)
    caution = sum(bool(r) for r in plotted["remarks"])
    statements = f"{len(rows)} donor statement{'s' if len(rows) != 1 else ''}"
    text = (
        f"Since {date_label(announcements_from(ch))}, {statements} of money for mine action in {ch.country_name} "
        f"{'are' if len(rows) != 1 else 'is'} recorded from {donors} donor{'s' if donors != 1 else ''}"
    )
    if caution:
        text += (
            f"; {caution} of the {len(plotted)} charted carry a remark (regional, joint, overlapping, ambiguous, share "
            "for mine action not specified, cumulative, approximate or an intention), and none are added up"
        )
    if flagged:
        text += f" ({flagged} more with a quality flag {'is' if flagged == 1 else 'are'} listed but not charted)"
    return Finding(
        text + f"; amounts are also given in {target} at the ECB rate of their value date (derived).",
        tuple(dict.fromkeys(list(rows["source_id"]))),
    )


def in_kind_note(ch: Chapter) -> HTML | None:
    f = _funding(ch)
    rows = f[
        (f["recipient_iso3"] == ch.country) & (f["measure"] == "in_kind") & (f["value_date"] >= announcements_from(ch))
    ]
    if rows.empty:
        return None
    parts = [
        f"{r.donor}: {r.value_as_reported} ({date_label(r.value_date, r.date_precision)}, {r.source_id})"
        for r in rows.itertuples()
    ]
    return show.note(
        "In-kind support has no money value in the sources and is not converted: " + "; ".join(parts) + "."
    )


# --------------------------------------------------------------------------- (c) global support


def _edition_year(sources: pd.DataFrame) -> pd.Series:
    """Publication year of each source (a whole number: '2010', never '2010.0')."""
    years = sources["date_published"].fillna("").str.extract(r"((?:19|20)\d{2})")[0]
    return pd.to_numeric(years, errors="coerce").astype("Int64").set_axis(sources["source_id"])


def global_series(ch: Chapter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """World contributions by year and kind (international, total), latest edition kept.

    Returns (series, revisions): revisions are the older editions' figures for the same year and kind.
    """
    f = usable(_funding(ch))
    rows = f[
        (f["recipient_iso3"] == "WLD")
        & (f["measure"] == "contribution")
        & ~f["is_cumulative"].fillna(False).astype(bool)
        & f["funding_source"].isin(["international", "total"])
        & f["donor"].fillna("").str.match(AGGREGATE_DONOR)
        & (f["period_start_year"] == f["period_end_year"])
    ]
    rows = in_years(rows, ch.params.first_year, ch.params.last_year, "period_end_year").copy()
    rows["year"] = rows["period_end_year"].astype(int)
    rows["edition_year"] = rows["source_id"].map(_edition_year(ch.data.sources))
    ordered = rows.sort_values(
        ["year", "funding_source", "edition_year", "obs_id"], ascending=[True, True, False, True]
    )
    keep = ~ordered.duplicated(["year", "funding_source"], keep="first")
    series = ordered[keep].reset_index(drop=True)
    revisions = ordered[~keep].merge(
        series[
            [
                "year",
                "funding_source",
                "value",
                "value_as_reported",
                "obs_id",
                "source_id",
                "edition_year",
            ]
        ],
        on=["year", "funding_source"],
        suffixes=("", "_kept"),
    )
    revisions = revisions[revisions["value"] != revisions["value_kept"]].reset_index(drop=True)
    return series, revisions


def global_chart(ch: Chapter) -> HTML:
    series, _ = global_series(ch)
    if series.empty:
        return show.missing("No world mine action funding figures are in the data for the years of this report.")
    unit = series["unit"].iloc[0]
    fig, ax = figures.new_figure()
    years = range(series["year"].min(), series["year"].max() + 1)
    styles = {
        "total": (figures.PALETTE["context"], "s", "total incl. national"),
        "international": (figures.PALETTE["primary"], "o", "international donors"),
    }
    for kind, (colour, marker, label) in styles.items():
        part = series[series["funding_source"] == kind].set_index("year")["value"].reindex(years) / 1_000_000
        ax.plot(list(years), part.values, color=colour, marker=marker, markersize=8, linewidth=2)
        last_year = part.last_valid_index()
        if last_year is not None:
            figures.label_line_end(ax, last_year + 0.2, part[last_year], label, colour)
    intl = series[series["funding_source"] == "international"]
    peak = intl.loc[intl["value"].idxmax()] if not intl.empty else series.loc[series["value"].idxmax()]
    ax.annotate(
        money(peak["value"], unit),
        xy=(peak["year"], peak["value"] / 1_000_000),
        xytext=(-12, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        color=figures.PALETTE["primary"],
        fontsize=10,
        fontweight="bold",
    )
    ax.set_xlim(min(years) - 0.5, max(years) + 3.5)
    ax.set_ylim(0, series["value"].max() / 1_000_000 * 1.12)
    ax.set_xticks(list(years)[::2] if len(years) > 10 else list(years))
    ax.set_ylabel(f"{unit} million")
    figures.thousands(ax)
    missing_years = [y for y in years if y not in set(intl["year"])]
    verb = "rose to a high of" if peak["year"] == intl["year"].max() else "peaked at"
    title = f"International support {verb} {money(peak['value'], unit)} in {peak['year']}"
    subtitle = (
        f"Support for mine action by year, world, {unit} as published by Landmine Monitor, "
        f"{min(years)}–{max(years)}; gaps = no figure in the data"
    )
    alt = (
        f"Line chart of world mine action funding, {min(years)}–{max(years)}: international support ranged from "
        f"{money(intl['value'].min(), unit)} to {money(intl['value'].max(), unit)} ({peak['year']}); "
        f"no figure for {', '.join(map(str, missing_years)) or 'no year'}."
    )
    data = series[
        [
            "year",
            "funding_source",
            "value",
            "unit",
            "value_as_reported",
            "edition_year",
            "obs_id",
            "source_id",
        ]
    ].rename(columns={"value": f"amount_{unit.lower()}"})
    return ch.chart(
        fig,
        "03_global_funding",
        title=title,
        subtitle=subtitle,
        source=source_line(ch.data.sources, series["source_id"]),
        alt=alt,
        data=data,
    )


def revisions_note(ch: Chapter) -> HTML | None:
    series, revisions = global_series(ch)
    if series.empty:
        return None
    missing = [
        y
        for y in range(series["year"].min(), series["year"].max() + 1)
        if y not in set(series.loc[series["funding_source"] == "international", "year"])
    ]
    text = "Where Landmine Monitor revised a year's figure, the series keeps the latest edition (the source's publication year)"
    if not revisions.empty:
        parts = [
            f"{r.year} {r.funding_source}: {r.value_as_reported_kept}"
            f" ({r.source_id_kept}, {int(r.edition_year_kept)}) replaces {r.value_as_reported} ({r.source_id}, {int(r.edition_year)})"
            for r in revisions.itertuples()
        ]
        text += ": " + "; ".join(parts)
    text += "."
    if missing:
        text += f" No international figure is in the data for {', '.join(map(str, missing))}; these years are gaps, not zeros."
    ids = list(revisions["source_id"]) + list(revisions["source_id_kept"]) if not revisions.empty else []
    return show.note(text, kind="conflict" if ids else "info")


# --------------------------------------------------------------------------- (d) stated national share


def stated_shares(ch: Chapter) -> pd.DataFrame:
    """Recent single-year statements of the national/international share (conflicting statements kept)."""
    f = _funding(ch)
    rows = f[
        (f["recipient_iso3"] == ch.country) & (f["measure"] == "share") & ~f["is_cumulative"].fillna(False).astype(bool)
    ]
    return rows.sort_values(["value_date", "obs_id"]).reset_index(drop=True)


def shares_table(ch: Chapter) -> HTML:
    rows = stated_shares(ch)
    if rows.empty:
        return show.missing(
            f"No statement of the national or international share of mine action funding for {ch.country_name} is in the data."
        )
    sources = ch.data.sources
    frame = pd.DataFrame(
        {
            "stated on": rows["value_date"],
            "share of": rows["purpose"],
            "paid by": rows["funding_source"] + " (" + rows["donor"] + ")",
            "share": [qualified(v, q, "percent") for v, q in zip(rows["value"], rows["qualifier"])],
            "as reported": rows["excerpt"],
            "reported by": [
                f"{sources.at[s, 'publisher']}: {plain_words(sources.at[s, 'source_type'])}" for s in rows["source_id"]
            ],
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        frame,
        caption=f"Stated shares of mine action funding, {ch.country_name}",
        source=source_line(ch.data.sources, rows["source_id"]),
        note_text="Statements as reported; they describe different bases and are shown side by side, not reconciled.",
    )


def shares_conflict(ch: Chapter) -> HTML | None:
    rows = stated_shares(ch)
    intl = rows[rows["funding_source"] == "international"]
    if intl["source_id"].nunique() < 2:
        return None
    sources = ch.data.sources
    parts = [
        f"{qualified(r.value, r.qualifier, 'percent')} of {r.purpose} ({sources.at[r.source_id, 'publisher']}, "
        f"{date_label(r.value_date, r.date_precision)}, {r.source_id})"
        for r in intl.itertuples()
    ]
    gap = intl["value"].max() - intl["value"].min()
    text = (
        "Sources disagree on the international share: "
        + " vs ".join(parts)
        + (
            f" — a difference of {format_value(gap)} percentage point{'s' if gap != 1 else ''} (derived)."
            if gap
            else "."
        )
    )
    bases = list(dict.fromkeys(intl["purpose"].dropna()))
    if len(bases) > 1:
        text += (
            f" The statements name different bases ({' vs '.join(bases)}), so neither is taken as the national figure."
        )
    return show.note(text, kind="conflict")


def shares_finding(ch: Chapter) -> Finding | None:
    rows = stated_shares(ch)
    intl = rows[rows["funding_source"] == "international"]
    if intl.empty:
        return None
    sources = ch.data.sources
    parts = [
        f"{qualified(r.value, r.qualifier, 'percent')} ({r.purpose}; {sources.at[r.source_id, 'publisher']}, "
        f"{date_label(r.value_date, r.date_precision)})"
        for r in intl.itertuples()
    ]
    if len(parts) > 1:
        text = "Recent statements put donors' share at " + " and at ".join(parts)
    else:
        text = "A recent statement puts donors' share at " + parts[0]
    if intl["value"].nunique() > 1:
        text += " — they disagree and are shown side by side"
    return Finding(text + ".", tuple(dict.fromkeys(intl["source_id"])))


# --------------------------------------------------------------------------- findings


def findings(ch: Chapter) -> list[Finding]:
    items = [share_finding(ch), shares_finding(ch), announcements_finding(ch)]
    return [f for f in items if f is not None]


def missing_note(ch: Chapter) -> HTML | None:
    """What funding data are not available for the country (said plainly)."""
    wide = national_international(ch)
    rows = announcements(ch)
    shares = stated_shares(ch)
    gaps = []
    if wide.empty or len(wide) < 3:
        have = ", ".join(map(str, wide["year"]))
        gaps.append(
            "a Landmine Monitor series of national and international contributions ("
            + (f"both parts only for {have}" if have else "no year with both parts")
            + ")"
        )
    if rows.empty:
        gaps.append("donor announcements")
    if shares.empty:
        gaps.append("a stated national or international share of funding")
    if not gaps:
        return None
    return show.missing(f"Not available for {ch.country_name} in the data: " + "; ".join(gaps) + ".")
