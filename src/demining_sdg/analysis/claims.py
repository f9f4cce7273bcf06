"""Chapter 2: the quantitative claims of the April 2022 conference article, checked against the data.

Rules used here (all stated in the chapter):

- The article's country is the recipient/country of the data rows whose source is the article
  itself (``article_source_id``); claim displays are shown only for that country.
- The "806,000 cleared" check matches the claim's value with the cumulative national clearance
  series (items destroyed, all items, cumulative, usable rows of the pre-2020 programme and the
  national programme). "Word for word" means the source prints the claim's wording as stated.
  The comparison point is the latest earlier figure of that series from another source.
- Post-war items found in the regained territories are a different geography: they are summed
  only across item types of one statement (derived) and never added to the national series.
- The children's share check uses Landmine Monitor percentages (casualties.csv, WLD, unit
  percent): children's share of civilian casualties (percent base "civilian ...") and of all
  casualties (percent base "all ..."), and civilians' share of all casualties for context.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pycountry
from IPython.display import HTML

from demining_sdg.analysis.common import date_label, plain_words, qualified, source_line, specific_to, usable
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding, format_value

VERDICT_WORDS = {v: plain_words(v) for v in ("supported", "ambiguous", "outdated", "not_supported", "not_verified")}
OBS_TABLES = {
    "CLR": "clearance",
    "CAS": "casualties",
    "FUN": "funding",
    "CON": "contamination_targets",
}
_OBS_REF = re.compile(r"\b(CLR|CAS|FUN|CON)(\d{3})(?:\s*[-–]\s*(?:CLR|CAS|FUN|CON)?(\d{3}))?")
SERIES_SCOPES = ("pre_2020_programme", "national")
POST_WAR_SCOPE = "post_2020_regained_territories"
ITEM_PARTS = ("AP_mine", "AT_mine", "UXO")


# --------------------------------------------------------------------------- the article


def claims(ch: Chapter) -> pd.DataFrame:
    return ch.data.table("conference_claims")


def article_country(ch: Chapter) -> str | None:
    """ISO3 of the country the article is about: the recipient/country of data rows sourced to the article."""
    article_ids = set(claims(ch)["article_source_id"].dropna())
    codes: list[str] = []
    for name, column in (
        ("funding", "recipient_iso3"),
        ("clearance", "iso3"),
        ("casualties", "iso3"),
    ):
        frame = ch.data.table(name)
        codes += [c for c in frame.loc[frame["source_id"].isin(article_ids), column] if c and c != "WLD"]
    return Counter(codes).most_common(1)[0][0] if codes else None


def covers_country(ch: Chapter) -> bool:
    return article_country(ch) == ch.country


def article_date(ch: Chapter) -> pd.Timestamp | None:
    """Date of the statements reported by the article: the value date of funding rows sourced to it."""
    article_ids = set(claims(ch)["article_source_id"].dropna())
    funding = ch.data.table("funding")
    dates = funding.loc[funding["source_id"].isin(article_ids), "value_date"].dropna()
    return dates.min() if not dates.empty else None


def _no_claims_text(ch: Chapter) -> str:
    country = article_country(ch)
    about = ""
    if country:
        name = pycountry.countries.get(alpha_3=country).name
        when = article_date(ch)
        dated = f" {date_label(when, 'month')}" if when is not None else ""
        about = f"; the{dated} conference article checked in this chapter concerns {name}"
    return f"No conference claims about {ch.country_name} are recorded in the data{about}."


def _not_applicable(ch: Chapter, what: str) -> str:
    """Said under a section about the article's own country when the report is for another one."""
    return specific_to(ch, [article_country(ch)], what)


def verdict_counts(ch: Chapter) -> dict[str, int]:
    counts = Counter(claims(ch)["verdict"])
    return {word: counts[key] for key, word in VERDICT_WORDS.items() if counts[key]}


def verdict_sentence(ch: Chapter) -> Finding:
    table = claims(ch)
    counts = list(verdict_counts(ch).items())
    first_word, first_n = counts[0]
    parts = [f"{first_n} {'is' if first_n == 1 else 'are'} {first_word}"]
    parts += [f"{n} {word}" for word, n in counts[1:]]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    article = table["article_source_id"].iloc[0]
    return Finding(
        f"Of the {len(table)} quantitative or checkable claims in the article, {listed}.",
        (article,),
    )


def claims_frame(ch: Chapter) -> pd.DataFrame:
    """One row per claim: claim, speaker, quoted sentence, verdict, reason, evidence source ids."""
    table = claims(ch)
    return pd.DataFrame(
        {
            "claim": table["claim_id"] + ": " + table["claim"],
            "speaker": table["speaker"] + " (" + table["organisation"] + ")",
            "quoted sentence": table["quoted_sentence"],
            "verdict": table["verdict"].map(VERDICT_WORDS),
            "reason": table["verdict_reason"],
            "source_ids": table["evidence_source_ids"],
        }
    ).reset_index(drop=True)


def claims_table(ch: Chapter) -> HTML:
    if not covers_country(ch):
        when = article_date(ch)
        dated = f"the {date_label(when, 'month')} " if when is not None else "the "
        return show.missing(_not_applicable(ch, f"{dated}conference article's claims and their verdicts"))
    table = claims(ch)
    ids = list(table["article_source_id"]) + [s for v in table["evidence_source_ids"] for s in v.split(";")]
    publisher = ch.data.sources.at[table["article_source_id"].iloc[0], "publisher"]
    return show.table(
        claims_frame(ch),
        caption=f"Claims of the {date_label(article_date(ch), 'month')} conference article, with verdict and evidence",
        source=source_line(ch.data.sources, ids),
        note_text=f"Quoted sentences are verbatim from the article ({publisher}). Verdicts: supported, "
        "ambiguous, outdated, not supported, not verified.",
    )


def _expand_refs(text: str | None) -> list[str]:
    if not text:
        return []
    refs: list[str] = []
    for prefix, start, end in _OBS_REF.findall(text):
        last = int(end) if end else int(start)
        refs += [f"{prefix}{n:03d}" for n in range(int(start), last + 1)]
    return list(dict.fromkeys(refs))


def evidence_rows(ch: Chapter, max_rows_per_claim: int = 8) -> pd.DataFrame:
    """The data rows each claim's notes refer to: figure as reported, date, flag and source.

    Long ranges (more than ``max_rows_per_claim`` rows) are summarised in one line.
    """
    rows = []
    tables = {name: ch.data.table(name) for name in OBS_TABLES.values()}
    date_cols = {
        "clearance": "period_end",
        "casualties": "period_end",
        "funding": "value_date",
        "contamination_targets": "reference_date",
    }
    for claim in claims(ch).itertuples(index=False):
        refs = _expand_refs(claim.notes)
        found = []
        for ref in refs:
            name = OBS_TABLES[ref[:3]]
            frame = tables[name]
            hit = frame[frame["obs_id"] == ref]
            if not hit.empty:
                found.append((name, hit.iloc[0]))
        if not found:
            continue
        if len(found) > max_rows_per_claim:
            ids = sorted({row["source_id"] for _, row in found})
            name = found[0][0]
            rows.append(
                {
                    "claim": claim.claim_id,
                    "data row": f"{found[0][1]['obs_id']} to {found[-1][1]['obs_id']}",
                    "figure as reported": f"{len(found)} rows of {name}.csv",
                    "date": None,
                    "quality flag": None,
                    "source_ids": ";".join(ids),
                }
            )
            continue
        for name, row in found:
            rows.append(
                {
                    "claim": claim.claim_id,
                    "data row": row["obs_id"],
                    "figure as reported": row["value_as_reported"],
                    "date": date_label(row[date_cols[name]], row.get("date_precision")),
                    "quality flag": plain_words(row.get("quality_flag")),
                    "source_ids": row["source_id"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=["claim", "data row", "figure as reported", "date", "quality flag", "source_ids"],
    )


def evidence_table(ch: Chapter) -> HTML:
    if not covers_country(ch):
        return show.missing(_not_applicable(ch, "the figures behind the verdicts on the conference article's claims"))
    frame = evidence_rows(ch)
    if frame.empty:
        return show.missing("No data rows are linked to the conference claims.")
    ids = [s for v in frame["source_ids"] for s in v.split(";")]
    return show.table(
        frame,
        caption="Figures in the data behind each verdict",
        source=source_line(ch.data.sources, ids),
        note_text="Data rows named in the claims table's notes; figures exactly as the sources print them.",
    )


# --------------------------------------------------------------------------- the 806,000 figure


def cumulative_series(ch: Chapter, country: str | None = None) -> pd.DataFrame:
    """Cumulative items destroyed, all items, national programme (pre-2020 + national scope), usable rows."""
    clearance = ch.data.table("clearance")
    rows = clearance[
        (clearance["iso3"] == (country or ch.country))
        & clearance["programme_scope"].isin(SERIES_SCOPES)
        & (clearance["measure"] == "items_destroyed")
        & (clearance["item_category"] == "all")
        & (clearance["period_type"] == "cumulative")
    ]
    return usable(rows).sort_values(["period_end", "obs_id"]).reset_index(drop=True)


def clearance_claim(ch: Chapter) -> pd.Series | None:
    """The clearance claim with a value (the '806,000' figure)."""
    table = claims(ch)
    rows = table[(table["topic"] == "clearance") & table["value"].notna()]
    return rows.iloc[0] if not rows.empty else None


def clearance_check(ch: Chapter) -> dict | None:
    """Where the claimed clearance figure sits on the cumulative series.

    Returns the matched row (same value), whether the source prints the claim's wording,
    the latest earlier figure from another source and the difference (derived), the later
    figures, and the post-war items found by the article date (derived sum of item types).
    """
    claim = clearance_claim(ch)
    if claim is None or not covers_country(ch):
        return None
    series = cumulative_series(ch)
    matched = series[series["value"] == claim["value"]]
    if matched.empty:
        return None
    match = matched.iloc[0]
    stated = (claim["value_as_stated"] or "").strip().lower()
    word_for_word = bool(stated) and stated in (match["value_as_reported"] or "").lower()
    dated = series.dropna(subset=["period_end"])
    earlier = dated[(dated["period_end"] < match["period_end"]) & (dated["source_id"] != match["source_id"])]
    previous = earlier.iloc[-1] if not earlier.empty else None
    later = dated[dated["period_end"] > match["period_end"]]
    undated = series[series["period_end"].isna()]
    return {
        "claim": claim,
        "match": match,
        "word_for_word": word_for_word,
        "previous": previous,
        "difference": None if previous is None else previous["value"] - match["value"],
        "later": later,
        "undated": undated,
        "post_war": post_war_items(ch, article_date(ch)),
    }


def post_war_items(ch: Chapter, by: pd.Timestamp | None) -> dict | None:
    """Latest all-operator statement before ``by`` giving AP mines, AT mines and UXO found since
    Nov 2020; their sum is derived. A different geography from the national series: never added to it."""
    if by is None:
        return None
    clearance = usable(ch.data.table("clearance"))
    rows = clearance[
        (clearance["iso3"] == ch.country)
        & (clearance["programme_scope"] == POST_WAR_SCOPE)
        & (clearance["measure"] == "items_destroyed")
        & (clearance["period_type"] == "cumulative")
        & clearance["item_category"].isin(ITEM_PARTS)
        & (clearance["period_end"] <= by)
    ]
    complete = [
        (end, source, group)
        for (end, source), group in rows.groupby(["period_end", "source_id"])
        if set(group["item_category"]) == set(ITEM_PARTS) and (group["qualifier"] == "exact").all()
    ]
    if not complete:
        return None
    end, source, group = max(complete, key=lambda t: t[0])
    parts = group.set_index("item_category")["value"]
    return {"date": end, "source_id": source, "parts": parts, "total": float(parts.sum())}


def clearance_finding(ch: Chapter) -> Finding | None:
    check = clearance_check(ch)
    if check is None:
        return None
    claim, match = check["claim"], check["match"]
    publisher = ch.data.sources.at[match["source_id"], "publisher"]
    how = "word for word" if check["word_for_word"] else "in value"
    text = (
        f"The article's '{claim['value_as_stated']}' mines and UXO cleared matches {how} a figure of "
        f"{publisher} dated {date_label(match['period_end'], match['date_precision'])}"
    )
    ids = [match["source_id"]]
    previous = check["previous"]
    if previous is not None and check["difference"] > 0:
        text += (
            f", yet the national programme's own count was already {qualified(previous['value'], previous['qualifier'])} "
            f"by {date_label(previous['period_end'], previous['date_precision'])}: "
            f"{format_value(check['difference'])} more (derived)"
        )
        ids.append(previous["source_id"])
    post = check["post_war"]
    if post is not None:
        text += (
            f". Post-war clearance in the regained territories, a separate geography, had found a further "
            f"{format_value(post['total'])} items by {date_label(post['date'])} (derived sum of AP mines, AT mines and UXO)"
        )
        ids.append(post["source_id"])
    return Finding(text + ".", tuple(ids))


def cumulative_chart(ch: Chapter) -> HTML:
    check = clearance_check(ch)
    if check is None and not covers_country(ch):
        return show.missing(
            _not_applicable(ch, "the conference article's clearance total, set on the national series it comes from")
        )
    if check is None:
        return show.missing(f"No cumulative clearance figure for {ch.country_name} matches a conference claim.")
    series = cumulative_series(ch).dropna(subset=["period_end"])
    match = check["match"]
    claim_ids = set(series.index[series["obs_id"] == match["obs_id"]])
    programme = series[series["programme_scope"] == SERIES_SCOPES[0]]
    others = series[(series["programme_scope"] != SERIES_SCOPES[0]) & ~series.index.isin(claim_ids)]
    fig, ax = figures.new_figure()
    ax.plot(
        programme["period_end"],
        programme["value"],
        color=figures.PALETTE["primary"],
        marker="o",
        linewidth=2,
    )
    rough = programme[programme["qualifier"] != "exact"]
    for row in rough.itertuples(index=False):
        ax.plot(
            row.period_end,
            row.value,
            marker="o",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor=figures.PALETTE["primary"],
            markeredgewidth=2,
            linestyle="none",
        )
        ax.annotate(
            qualified(row.value, row.qualifier),
            xy=(row.period_end, row.value),
            xytext=(0, 10),
            textcoords="offset points",
            ha="center",
            color=figures.PALETTE["primary"],
            fontsize=10,
        )
    last = programme.iloc[-1]
    ax.annotate(
        "national programme (ANAMA count)" if "ANAMA" in str(last.get("operator_scope")) else "national programme",
        xy=(programme["period_end"].iloc[0], programme["value"].iloc[0]),
        xytext=(0, -24),
        textcoords="offset points",
        ha="left",
        color=figures.PALETTE["primary"],
        fontsize=11,
        fontweight="bold",
    )
    ax.annotate(
        f"{qualified(last['value'], last['qualifier'])}\n{date_label(last['period_end'], last['date_precision'])}",
        xy=(last["period_end"], last["value"]),
        xytext=(-10, 18),
        textcoords="offset points",
        ha="right",
        color=figures.PALETTE["primary"],
        fontsize=10,
    )
    for row in others.itertuples(index=False):
        ax.plot(
            row.period_end,
            row.value,
            marker="s",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor=figures.PALETTE["context"],
            markeredgewidth=2,
            linestyle="none",
        )
        qual = {
            "lower_bound": "lower bound",
            "approximate": "approximate",
            "upper_bound": "upper bound",
        }.get(row.qualifier, "")
        ax.annotate(
            f"{qualified(row.value, row.qualifier)}\n{date_label(row.period_end, row.date_precision)}"
            + (f" ({qual})" if qual else ""),
            xy=(row.period_end, row.value),
            xytext=(10, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            color=figures.PALETTE["text"],
            fontsize=10,
        )
    ax.set_xlim(
        series["period_end"].min() - pd.Timedelta(days=120),
        series["period_end"].max() + pd.Timedelta(days=900),
    )
    ax.plot(
        match["period_end"],
        match["value"],
        marker="D",
        markersize=12,
        color=figures.PALETTE["accent"],
        linestyle="none",
    )
    ax.annotate(
        f"Conference claim: '{check['claim']['value_as_stated']}'\n"
        f"= {ch.data.sources.at[match['source_id'], 'publisher'].split(' (')[0]} figure of "
        f"{date_label(match['period_end'], match['date_precision'])}",
        xy=(match["period_end"], match["value"]),
        xytext=(0, -48),
        textcoords="offset points",
        ha="center",
        va="top",
        color=figures.PALETTE["accent"],
        fontsize=11,
        fontweight="bold",
        arrowprops={"arrowstyle": "-", "color": figures.PALETTE["accent"]},
    )
    figures.thousands(ax)
    when = article_date(ch)
    if when is not None:
        ax.axvline(when, color=figures.PALETTE["context"], linestyle=":", linewidth=1.5)
        ax.annotate(
            f"conference\n{date_label(when)}",
            xy=(when, 0),
            xycoords=("data", "axes fraction"),
            xytext=(4, 6),
            textcoords="offset points",
            ha="left",
            va="bottom",
            color=figures.PALETTE["text"],
            fontsize=10,
        )
    low, high = series["value"].min(), series["value"].max()
    ax.set_ylim(low - (high - low) * 0.35, high + (high - low) * 0.12)
    data = series.assign(
        point=[
            "conference claim"
            if o == match["obs_id"]
            else ("national programme (ANAMA)" if s == SERIES_SCOPES[0] else "later statement")
            for o, s in zip(series["obs_id"], series["programme_scope"])
        ]
    )[
        [
            "period_end",
            "value",
            "qualifier",
            "value_as_reported",
            "programme_scope",
            "point",
            "obs_id",
            "source_id",
        ]
    ]
    data = data.rename(columns={"period_end": "date", "value": "items_destroyed_cumulative_count"})
    previous = check["previous"]
    if previous is not None and check["difference"] > 0:
        who = previous["operator_scope"] or "the programme"
        title = (
            f"The conference's {format_value(match['value'])} was {format_value(check['difference'])} below "
            f"{who}'s own {date_label(previous['period_end'], 'month')} count"
        )
    else:
        title = f"The '{format_value(match['value'])}' figure on the cumulative clearance series"
    first, last_point = series.iloc[0], series.iloc[-1]
    alt = (
        f"Line chart of cumulative mines and UXO destroyed in {ch.country_name}, from "
        f"{qualified(first['value'], first['qualifier'])} in {first['period_end'].year} to "
        f"{qualified(last_point['value'], last_point['qualifier'])} in {last_point['period_end'].year}; the conference figure "
        f"{qualified(match['value'], match['qualifier'])} ({match['period_end'].year}) is marked and lies below the "
        f"{previous['period_end'].year if previous is not None else ''} count."
    )
    subtitle = (
        f"Mines and UXO destroyed since 1998/99, cumulative, {ch.country_name} national programme, "
        f"{first['period_end'].year}–{last_point['period_end'].year}"
    )
    return ch.chart(
        fig,
        "02_claim_806000_on_cumulative_clearance",
        title=title,
        subtitle=subtitle,
        source=source_line(ch.data.sources, series["source_id"]),
        alt=alt,
        data=data.reset_index(drop=True),
    )


def undated_note(ch: Chapter) -> HTML | None:
    check = clearance_check(ch)
    if check is None or check["undated"].empty:
        return None
    sources = ch.data.sources
    parts = [
        f"{qualified(r.value, r.qualifier)} ({sources.at[r.source_id, 'publisher']}, {r.source_id})"
        for r in check["undated"].itertuples()
    ]
    return show.note(
        "Not on the chart because the source gives no date: "
        + "; ".join(parts)
        + ". Later statements keep their own qualifier (lower bound, approximate) and may count from a "
        "different start year.",
        kind="caveat",
    )


# --------------------------------------------------------------------------- the EU amounts


def eu_amounts_note(ch: Chapter) -> HTML | None:
    """The EU amounts of the same speech: shown, never summed."""
    if not covers_country(ch):
        return show.missing(_not_applicable(ch, "the EU amounts named in the speech the conference article reports"))
    table = claims(ch)
    rows = table[(table["topic"] == "funding") & table["value"].notna()]
    ambiguous = rows[rows["verdict"] == "ambiguous"]
    if ambiguous.empty:
        return None
    stated = ", ".join(rows["value_as_stated"])
    reasons = " ".join(dict.fromkeys(ambiguous["verdict_reason"]))
    return show.note(
        f"The amounts {stated} come from one speech and must not be summed: the reports of that speech disagree on "
        f"whether the smaller amounts are part of the larger one and on who gave them. {reasons}",
        kind="conflict",
    )


# --------------------------------------------------------------------------- 80 percent children


def casualty_claim(ch: Chapter) -> pd.Series | None:
    table = claims(ch)
    rows = table[(table["topic"] == "casualties") & (table["unit"] == "percent") & table["value"].notna()]
    return rows.iloc[0] if not rows.empty else None


def share_rows(ch: Chapter) -> pd.DataFrame:
    """Landmine Monitor percentages (world): children of civilian casualties, children of all casualties,
    civilians of all casualties; usable rows with a value, one column ``series``."""
    cas = usable(ch.data.table("casualties"))
    cas = cas[(cas["iso3"] == "WLD") & (cas["unit"] == "percent") & cas["value"].notna()].copy()
    base = cas["percent_base"].fillna("").str.lower()
    cas["series"] = None
    cas.loc[(cas["population_group"] == "child") & base.str.startswith("civilian"), "series"] = (
        "children, % of civilian casualties"
    )
    cas.loc[(cas["population_group"] == "child") & base.str.startswith("all"), "series"] = (
        "children, % of all casualties"
    )
    cas.loc[cas["population_group"] == "civilian", "series"] = "civilians, % of all casualties"
    cas = cas.dropna(subset=["series"])
    cas["year"] = cas["period_end"].dt.year
    return cas.sort_values(["series", "year"]).reset_index(drop=True)


def verbal_share_rows(ch: Chapter) -> pd.DataFrame:
    """Percent rows whose source gives only words ('at least half'): shown in a note, not plotted."""
    cas = usable(ch.data.table("casualties"))
    return cas[(cas["iso3"] == "WLD") & (cas["unit"] == "percent") & cas["value"].isna()].sort_values("period_end")


def children_check(ch: Chapter) -> dict | None:
    claim = casualty_claim(ch)
    if claim is None or not covers_country(ch):
        return None
    rows = share_rows(ch)
    child_civ = rows[rows["series"] == "children, % of civilian casualties"]
    child_all = rows[rows["series"] == "children, % of all casualties"]
    civilians = rows[rows["series"] == "civilians, % of all casualties"]
    if child_civ.empty:
        return None
    sources = ch.data.sources
    evidence = [s for s in claim["evidence_source_ids"].split(";") if s in sources.index]
    number = f"{format_value(claim['value'])}%"
    same_speech = [
        s
        for s in evidence
        if sources.at[s, "source_type"] == "press_report_of_official_statement"
        and number in (sources.at[s, "excerpt"] or "")
    ]
    return {
        "claim": claim,
        "child_civ": child_civ,
        "child_all": child_all,
        "civilians": civilians,
        "lo": child_civ.loc[child_civ["value"].idxmin()],
        "hi": child_civ.loc[child_civ["value"].idxmax()],
        "same_speech": same_speech,
    }


def _range(frame: pd.DataFrame) -> str:
    lo, hi = frame["value"].min(), frame["value"].max()
    return f"{format_value(lo)}–{format_value(hi)}%" if lo != hi else f"{format_value(lo)}%"


def children_finding(ch: Chapter) -> Finding | None:
    check = children_check(ch)
    if check is None:
        return None
    claim, civ = check["claim"], check["child_civ"]
    text = (
        f"'{claim['value_as_stated']} of mine victims are children' is not supported by Landmine Monitor: children were "
        f"{_range(civ)} of civilian casualties in the {len(civ)} years with a figure between {civ['year'].min()} and {civ['year'].max()}"
    )
    ids = list(civ["source_id"])
    if not check["child_all"].empty:
        latest_all = check["child_all"].iloc[-1]
        text += f" and {format_value(latest_all['value'])}% of all casualties in {latest_all['year']}"
        ids.append(latest_all["source_id"])
    if not check["civilians"].empty:
        text += f", while civilians were {_range(check['civilians'])} of casualties"
        ids += list(check["civilians"]["source_id"])
    sources = ch.data.sources
    for source_id in check["same_speech"]:
        note = sources.at[source_id, "notes"] or ""
        quoted = re.search(r"'([^']+)'", note)
        text += (
            f". The {sources.at[source_id, 'publisher']} report of the same speech in Azerbaijani says "
            f"'{sources.at[source_id, 'excerpt'].strip()}'" + (f" ('{quoted.group(1)}')" if quoted else "")
        )
        ids.append(source_id)
    return Finding(text + ".", tuple(dict.fromkeys(ids)))


def children_chart(ch: Chapter) -> HTML:
    check = children_check(ch)
    if check is None and not covers_country(ch):
        return show.missing(
            _not_applicable(ch, "the conference article's claim on the share of children among mine victims")
        )
    if check is None:
        return show.missing(f"No conference claim on child casualties concerns {ch.country_name}.")
    claim = check["claim"]
    rows = share_rows(ch)
    fig, ax = figures.new_figure()
    styles = {
        "civilians, % of all casualties": (
            figures.PALETTE["context"],
            "s",
            "civilians, % of all casualties",
        ),
        "children, % of civilian casualties": (
            figures.PALETTE["primary"],
            "o",
            "children, % of civilian casualties",
        ),
        "children, % of all casualties": (
            figures.PALETTE["secondary"],
            "^",
            "children, % of all casualties",
        ),
    }
    for series, (colour, marker, label) in styles.items():
        part = rows[rows["series"] == series]
        if part.empty:
            continue
        ax.plot(
            part["year"],
            part["value"],
            color=colour,
            marker=marker,
            markersize=10,
            linestyle="none",
        )
        for row in part.itertuples():
            ax.annotate(
                f"{format_value(row.value)}%",
                xy=(row.year, row.value),
                xytext=(0, 10 if marker != "^" else -18),
                textcoords="offset points",
                ha="center",
                color=colour,
                fontsize=10,
            )
        end = part.iloc[-1]
        figures.label_line_end(ax, end["year"] + 0.2, end["value"] + {"s": 5, "o": -4, "^": 0}[marker], label, colour)
    ax.axhline(claim["value"], color=figures.PALETTE["accent"], linestyle="--", linewidth=2)
    ax.annotate(
        f"conference claim:\n'{claim['value_as_stated']} of mine\nvictims are children'",
        xy=(rows["year"].max() + 0.35, claim["value"]),
        xytext=(0, -6),
        textcoords="offset points",
        va="top",
        ha="left",
        color=figures.PALETTE["accent"],
        fontsize=11,
        fontweight="bold",
    )
    ax.set_ylim(0, 100)
    ax.set_xlim(rows["year"].min() - 0.5, rows["year"].max() + 3.2)
    ax.set_xticks(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
    ax.set_ylabel("percent")
    civ = check["child_civ"]
    title = f"Children were {_range(civ)} of civilian mine casualties, not {format_value(claim['value'])}% of victims"
    subtitle = (
        f"Share of mine/ERW casualties, world (Landmine Monitor), {rows['year'].min()}–{rows['year'].max()}; "
        "years without a figure are not shown"
    )
    alt = (
        f"Dot chart of Landmine Monitor shares: children were {_range(civ)} of civilian casualties "
        f"({civ['year'].min()}–{civ['year'].max()}), civilians {_range(check['civilians'])} of all casualties, "
        f"against the claimed {format_value(claim['value'])}% line."
    )
    data = rows[["year", "series", "value", "percent_base", "value_as_reported", "obs_id", "source_id"]].rename(
        columns={"value": "share_percent"}
    )
    return ch.chart(
        fig,
        "02_children_share_vs_claim",
        title=title,
        subtitle=subtitle,
        source=source_line(ch.data.sources, rows["source_id"]),
        alt=alt,
        data=data,
    )


def verbal_note(ch: Chapter) -> HTML | None:
    if children_check(ch) is None:
        return None
    rows = verbal_share_rows(ch)
    if rows.empty:
        return None
    parts = [
        f"{r.period_end.year}: '{r.value_as_reported}' ({r.population_group}, base: {r.percent_base}; {r.source_id})"
        for r in rows.itertuples()
    ]
    return show.note(
        "Years where the source gives words rather than a percentage are not plotted: " + "; ".join(parts) + ".",
        kind="caveat",
    )


# --------------------------------------------------------------------------- findings


def findings(ch: Chapter) -> list[Finding]:
    if not covers_country(ch):
        return [Finding(_no_claims_text(ch))]
    items = [verdict_sentence(ch), clearance_finding(ch), children_finding(ch)]
    return [f for f in items if f is not None]
