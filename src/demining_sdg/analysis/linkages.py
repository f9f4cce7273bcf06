"""Chapter 6: how mine action links to the SDGs — the global framework and national SDG 18s.

Every linkage comes from ``sdg_linkages.csv`` with the source's verbatim excerpt. National
'SDG 18' goals (adopted or proposed) are kept apart from the official global framework, which
has 17 goals. Counts are derived here and labelled as such by the texts that show them.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML
from matplotlib.ticker import MaxNLocator

from demining_sdg.analysis.common import reader_note, source_line
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding

# The 17 official short goal names of the 2030 Agenda (labels, not data figures).
GOAL_NAMES = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
HIGHLIGHT_GOAL = 16
GLOBAL = "global"

# sdg_linkages.framework -> (country, label); sdg_indicators.framework -> sdg_linkages.framework.
NATIONAL_FRAMEWORKS = {
    "national_cambodia": ("KHM", "Cambodia", "national CSDG 18 (adopted)"),
    "national_lao": ("LAO", "Lao PDR", "national SDG 18 (adopted)"),
    "national_bih_proposed": ("BIH", "Bosnia and Herzegovina", "proposed national SDG 18"),
    "national_azerbaijan_proposed": ("AZE", "Azerbaijan", "proposal to add mine action as an 18th SDG"),
}
INDICATOR_FRAMEWORKS = {
    "Cambodian SDGs (CSDG) 2016-2030": "national_cambodia",
    "Lao PDR national SDGs": "national_lao",
    "Bosnia and Herzegovina (proposed)": "national_bih_proposed",
    "Azerbaijan (proposal)": "national_azerbaijan_proposed",
    "UN global SDG framework": GLOBAL,
}
# Aggregate study findings whose goal lists are not in the archived material (source ids).
AGGREGATE_STUDIES = ("S180", "S185")

_TARGET = re.compile(r"^(\d{1,2}\.[0-9a-z]{1,2})\b")
_INDICATOR = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def goal_label(goal: int) -> str:
    name = GOAL_NAMES.get(int(goal))
    return f"SDG {int(goal)} {name}" if name else f"SDG {int(goal)} (national goal, not in the global framework)"


def framework_label(framework: str) -> str:
    if framework == GLOBAL:
        return "UN global SDG framework"
    if framework not in NATIONAL_FRAMEWORKS:
        return framework
    _, country, kind = NATIONAL_FRAMEWORKS[framework]
    return f"{country}: {kind}"


def linkages(ch: Chapter) -> pd.DataFrame:
    """All linkages, with the framework's label and whether it is the official global framework."""
    frame = ch.data.table("sdg_linkages")
    frame["framework_label"] = frame["framework"].map(framework_label)
    frame["is_global"] = frame["framework"] == GLOBAL
    return frame


def global_goal_counts(ch: Chapter) -> pd.DataFrame:
    """Linkages per goal in the global framework (derived counts), most linkages first."""
    glob = linkages(ch)
    glob = glob[glob["is_global"]]
    rows = []
    for goal, group in glob.groupby("sdg_goal"):
        rows.append(
            {
                "sdg_goal": int(goal),
                "goal_name": GOAL_NAMES.get(int(goal), ""),
                "linkages_count": len(group),
                "linkage_ids": ";".join(group["linkage_id"]),
                "source_id": ";".join(dict.fromkeys(group["source_id"])),
            }
        )
    columns = ["sdg_goal", "goal_name", "linkages_count", "linkage_ids", "source_id"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["linkages_count", "sdg_goal"], ascending=[False, True], ignore_index=True)


def _national_indicators(ch: Chapter) -> pd.DataFrame:
    frame = ch.data.table("sdg_indicators")
    frame["framework_code"] = frame["framework"].map(INDICATOR_FRAMEWORKS)
    return frame[frame["framework_code"].notna() & (frame["framework_code"] != GLOBAL)]


def framework_counts(ch: Chapter) -> pd.DataFrame:
    """Per framework: linkages, goals, targets and indicators named in the data (derived counts).

    Targets and indicators of national frameworks are counted from ``sdg_indicators.csv``
    (distinct target codes such as 18.1 and indicator codes such as 18.1.1)."""
    links = linkages(ch)
    indicators = _national_indicators(ch)
    rows = []
    for framework, group in links.groupby("framework", sort=False):
        if framework == GLOBAL:
            targets = set(group["sdg_target"].dropna())
            codes = set(group["sdg_indicator"].dropna())
            ids = list(group["source_id"])
        else:
            own = indicators[indicators["framework_code"] == framework]
            has_target = own["target"].fillna("").map(lambda t: bool(_TARGET.match(t)))
            has_code = own["indicator_code"].fillna("").map(lambda c: bool(_INDICATOR.match(c)))
            targets = {_TARGET.match(t).group(1) for t in own.loc[has_target, "target"]}
            codes = set(own.loc[has_code, "indicator_code"])
            ids = list(group["source_id"]) + list(own.loc[has_target | has_code, "source_id"])
        rows.append(
            {
                "framework": framework,
                "framework_label": framework_label(framework),
                "country": NATIONAL_FRAMEWORKS.get(framework, ("",))[0] or None,
                "linkages": len(group),
                "goals": group["sdg_goal"].nunique(),
                "targets": len(targets),
                "indicators": len(codes),
                "source_ids": ";".join(dict.fromkeys(ids)),
            }
        )
    frame = pd.DataFrame(rows)
    frame["order"] = (frame["framework"] != GLOBAL).astype(int)
    return (
        frame.sort_values(["order", "linkages"], ascending=[True, False], kind="mergesort")
        .drop(columns="order")
        .reset_index(drop=True)
    )


def _years(ch: Chapter, ids: list[str]) -> tuple[int | None, int | None, bool]:
    sources = ch.data.sources
    years, undated = [], False
    for source_id in ids:
        text = str(sources.at[source_id, "date_published"]) if source_id in sources.index else ""
        match = _YEAR.search(text)
        if match and not text.startswith("undated"):
            years.append(int(match.group(0)))
        else:
            undated = True
    return (min(years) if years else None, max(years) if years else None, undated)


def _joined(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _goal_list(goals: list[int]) -> str:
    return _joined([str(g) for g in sorted(goals)])


def findings(ch: Chapter) -> list[Finding]:
    links = linkages(ch)
    counts = framework_counts(ch)
    glob = links[links["is_global"]]
    national = links[~links["is_global"]]
    goals = global_goal_counts(ch)
    result = []
    result.append(
        Finding(
            f"The linkage table holds {len(links)} sourced linkages: {len(glob)} to the UN global SDG framework, "
            f"across {glob['sdg_goal'].nunique()} goals (SDGs {_goal_list(list(glob['sdg_goal'].unique()))}), "
            f"and {len(national)} to {national['framework'].nunique()} national 'SDG 18' frameworks or proposals, "
            "which are not part of the global framework (derived counts).",
            tuple(dict.fromkeys(links["source_id"])),
        )
    )
    if not goals.empty:
        top_n = goals["linkages_count"].max()
        tops = goals[goals["linkages_count"] == top_n]
        top_goals = list(tops["sdg_goal"])
        at_indicator = glob[glob["sdg_indicator"].notna()]
        sentence = (
            f"SDG{'s' if len(top_goals) > 1 else ''} {_goal_list(top_goals)} "
            f"{'have' if len(top_goals) > 1 else 'has'} the most global linkages "
            f"({top_n} of {len(glob)}{' each' if len(top_goals) > 1 else ''}, derived)"
        )
        ids = list(dict.fromkeys(glob[glob["sdg_goal"].isin(top_goals)]["source_id"]))
        if not at_indicator.empty:
            codes = _joined(list(dict.fromkeys(at_indicator["sdg_indicator"])))
            first = at_indicator.iloc[0]
            sentence += (
                f"; the indicator-level link{'s are' if len(at_indicator) > 1 else ' is'} {codes}: {first['rationale']}"
            )
            ids += list(at_indicator["source_id"])
        else:
            sentence += "."
        result.append(Finding(sentence, tuple(dict.fromkeys(ids))))
    result.append(_focus_finding(ch, counts))
    return result


def _focus_finding(ch: Chapter, counts: pd.DataFrame) -> Finding:
    national = counts[counts["framework"] != GLOBAL]
    own = national[national["country"] == ch.country]
    richest = national.sort_values(["indicators", "targets"], ascending=False).head(1)
    if own.empty:
        text = f"The data hold no national SDG 18 framework or proposal for {ch.country_name}."
        ids: list[str] = []
    else:
        row = own.iloc[0]
        kind = NATIONAL_FRAMEWORKS[row["framework"]][2]
        if row["targets"] == 0 and row["indicators"] == 0:
            text = f"{ch.country_name}'s own initiative, a {kind}, has no targets or indicators in the data."
        else:
            text = (
                f"{ch.country_name}'s own framework, its {kind}, has {row['targets']} targets and "
                f"{row['indicators']} indicators with sourced text in the data (derived counts)."
            )
        ids = row["source_ids"].split(";")
    if not richest.empty and (own.empty or richest.iloc[0]["framework"] != own.iloc[0]["framework"]):
        other = richest.iloc[0]
        text += (
            f" For comparison, {NATIONAL_FRAMEWORKS[other['framework']][1]}'s "
            f"{NATIONAL_FRAMEWORKS[other['framework']][2]} has {other['targets']} targets and "
            f"{other['indicators']} indicators."
        )
        ids += other["source_ids"].split(";")
    return Finding(text, tuple(dict.fromkeys(ids)))


def framework_table(ch: Chapter) -> HTML:
    counts = framework_counts(ch)
    shown = counts.drop(columns="framework").rename(
        columns={
            "framework_label": "framework",
            "linkages": "linkages (derived count)",
            "goals": "goals",
            "targets": "targets named",
            "indicators": "indicators named",
        }
    )[["framework", "linkages (derived count)", "goals", "targets named", "indicators named", "source_ids"]]
    return show.table(
        shown,
        caption="Linkages by framework: the global SDG framework and national SDG 18 initiatives",
        source=source_line(ch.data.sources, [s for ids in counts["source_ids"] for s in ids.split(";")]),
        note_text=(
            "Counts are derived from the linkage table; for national frameworks, targets and indicators are "
            "counted from the SDG metadata table. A goal named without a target or indicator counts as a goal only."
        ),
    )


def goal_chart(ch: Chapter) -> HTML:
    """Horizontal bars: linkages per goal in the global framework; SDG 16 highlighted."""
    counts = global_goal_counts(ch)
    if counts.empty:
        return show.missing("The linkage table has no links to the global SDG framework.")
    total = int(counts["linkages_count"].sum())
    top_n = int(counts["linkages_count"].max())
    tops = list(counts.loc[counts["linkages_count"] == top_n, "sdg_goal"])
    plotted = counts.iloc[::-1].reset_index(drop=True)
    fig, ax = figures.new_figure()
    colours = [
        figures.PALETTE["primary"] if g == HIGHLIGHT_GOAL else figures.PALETTE["context"] for g in plotted["sdg_goal"]
    ]
    labels = [goal_label(g) for g in plotted["sdg_goal"]]
    bars = ax.barh(labels, plotted["linkages_count"], color=colours, height=0.65)
    for bar, value, goal in zip(bars, plotted["linkages_count"], plotted["sdg_goal"]):
        ax.annotate(
            f"{int(value)}",
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=12,
            fontweight="bold" if goal == HIGHLIGHT_GOAL else "normal",
            color=figures.PALETTE["primary"] if goal == HIGHLIGHT_GOAL else figures.PALETTE["text"],
        )
    for tick, goal in zip(ax.get_yticklabels(), plotted["sdg_goal"]):
        if goal == HIGHLIGHT_GOAL:
            tick.set_fontweight("bold")
            tick.set_color(figures.PALETTE["primary"])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlim(0, top_n * 1.15 + 0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Number of sourced linkages")
    fig.subplots_adjust(left=0.36)
    if len(tops) == 1:
        title = f"SDG {tops[0]} holds {top_n} of the {total} sourced links to the global goals"
    else:
        title = f"SDGs {_goal_list(tops)} hold {top_n} each of the {total} sourced global links"
    ids = [s for value in counts["source_id"] for s in value.split(";")]
    first, last, undated = _years(ch, list(dict.fromkeys(ids)))
    period = f"sources dated {first}–{last}" if first != last else f"sources dated {first}"
    if first is None:
        period = "sources undated"
    elif undated:
        period += ", some undated"
    subtitle = f"Sourced linkages per SDG goal, UN global framework only; {period}"
    spelled = "; ".join(f"SDG {g} {n}" for g, n in zip(counts["sdg_goal"], counts["linkages_count"]))
    alt = (
        f"Horizontal bar chart of the number of sourced mine action linkages per SDG goal in the global "
        f"framework ({total} linkages in all): {spelled}. SDG {HIGHLIGHT_GOAL} is highlighted."
    )
    return ch.chart(
        fig,
        "06_linkages_per_goal",
        title=title,
        subtitle=subtitle,
        source=source_line(ch.data.sources, ids),
        alt=alt,
        data=counts,
    )


def global_table(ch: Chapter) -> HTML:
    """The global linkages, SDG 16 first, with rationale, verbatim excerpt and caveat."""
    links = linkages(ch)
    glob = links[links["is_global"]].copy()
    if glob.empty:
        return show.missing("The linkage table has no links to the global SDG framework.")
    glob["first"] = (glob["sdg_goal"] != HIGHLIGHT_GOAL).astype(int)
    glob = glob.sort_values(["first", "sdg_goal", "linkage_id"])
    shown = pd.DataFrame(
        {
            "id": glob["linkage_id"],
            "mine action output": glob["mine_action_output"],
            "SDG goal": [goal_label(g) for g in glob["sdg_goal"]],
            "target": glob["sdg_target"],
            "indicator": glob["sdg_indicator"],
            "rationale": glob["rationale"],
            "verbatim excerpt": glob["excerpt"],
            "caveat": glob["notes"].map(reader_note),
            "source_id": glob["source_id"],
        }
    )
    return show.table(
        shown,
        caption="Mine action linked to the global SDGs: output, goal, target, indicator, rationale and source text",
        source=source_line(ch.data.sources, glob["source_id"]),
        note_text=(
            "An empty target or indicator means the source names only the goal. Where the caveat says the goal "
            "assignment is the project's reading, the source names an area (such as education) and the goal number "
            "is assigned by this report."
        ),
    )


def sdg16_indicators_table(ch: Chapter) -> HTML:
    """Target 16.1 and its indicators with the UN series codes (unverified codes marked)."""
    meta = ch.data.table("sdg_indicators")
    rows = meta[(meta["framework"] == "UN global SDG framework") & meta["target"].fillna("").str.startswith("16.1")]
    if rows.empty:
        return show.missing("The SDG metadata table has no rows for target 16.1.")
    shown = pd.DataFrame(
        {
            "id": rows["obs_id"],
            "target": rows["target"],
            "indicator": rows["indicator_code"],
            "indicator text": rows["indicator_text"],
            "series code": rows["series_code"],
            "series description": rows["series_description"],
            "custodian": rows["custodian"],
            "verified": rows["is_verified"].astype(object),
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        shown,
        caption="SDG target 16.1 and its indicators, with UN SDG database series codes",
        source=source_line(ch.data.sources, rows["source_id"]),
        note_text=(
            "verified = no marks series codes seen only in third-party code; check them against the live SDG API "
            "before use. Indicator 16.1.2 counts conflict-related deaths; its minimum disaggregation by cause is "
            "where mine and ERW deaths appear."
        ),
    )


def aggregate_studies_table(ch: Chapter) -> HTML:
    """Study findings that count SDGs without a goal list in the archived material, quoted verbatim."""
    sources = ch.data.sources
    ids = [s for s in AGGREGATE_STUDIES if s in sources.index]
    if not ids:
        return show.missing("The source registry holds neither aggregate GICHD study finding.")
    rows = sources.loc[ids]
    shown = pd.DataFrame(
        {
            "publisher": rows["publisher"],
            "title": rows["title"],
            "date": rows["date_published"],
            "verbatim excerpt": rows["excerpt"],
            "goal list": "not found in the archived material",
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        shown,
        caption="Aggregate findings on mine action and the SDGs, quoted as the sources state them",
        source=source_line(ch.data.sources, ids),
        note_text=(
            "Which goals were counted as directly and which as indirectly relevant, and which targets, were not "
            "found in the archived material; these counts are therefore quoted, not broken down by goal, and "
            "are not in the linkage chart."
        ),
    )


def national_linkages_table(ch: Chapter) -> HTML:
    """National SDG 18 initiatives (adopted or proposed): outside the official global framework."""
    links = linkages(ch)
    national = links[~links["is_global"]].copy()
    if national.empty:
        return show.missing("The linkage table has no national SDG 18 frameworks.")
    shown = pd.DataFrame(
        {
            "id": national["linkage_id"],
            "national framework": national["framework_label"],
            "mine action output": national["mine_action_output"],
            "target": national["sdg_target"],
            "indicator": national["sdg_indicator"],
            "rationale": national["rationale"],
            "verbatim excerpt": national["excerpt"],
            "caveat": national["notes"].map(reader_note),
            "source_id": national["source_id"],
        }
    )
    return show.table(
        shown,
        caption="National frameworks: 'SDG 18' goals on mines and UXO, adopted or proposed (not part of the global SDGs)",
        source=source_line(ch.data.sources, national["source_id"]),
        note_text=(
            f"The global framework has {len(GOAL_NAMES)} goals; a goal {len(GOAL_NAMES) + 1} exists only in these "
            "national frameworks and proposals."
        ),
    )


def national_indicators_table(ch: Chapter) -> HTML:
    """Targets and indicators of the national SDG 18 frameworks, as the SDG metadata table gives them."""
    rows = _national_indicators(ch)
    if rows.empty:
        return show.missing("The SDG metadata table has no national SDG 18 rows.")
    shown = pd.DataFrame(
        {
            "id": rows["obs_id"],
            "national framework": rows["framework_code"].map(framework_label),
            "goal or target": rows["target"],
            "indicator": rows["indicator_code"],
            "indicator text": rows["indicator_text"],
            "unit": rows["unit"],
            "version": rows["release_or_version"],
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        shown,
        caption="National frameworks: goals, targets and indicators of the national SDG 18 initiatives",
        source=source_line(ch.data.sources, rows["source_id"]),
        note_text=(
            "Target text is shown as the source gives it; rows that repeat only a target code (such as 18.2) "
            "belong to the target stated in full above them."
        ),
    )


def focus_note(ch: Chapter) -> HTML:
    """What the data hold for the focus country's own national SDG 18 initiative."""
    links = linkages(ch)
    own = links[links["framework"].map(lambda f: NATIONAL_FRAMEWORKS.get(f, ("",))[0]) == ch.country]
    if own.empty:
        return show.missing(f"The data hold no national SDG 18 framework or proposal for {ch.country_name}.")
    label = NATIONAL_FRAMEWORKS[own.iloc[0]["framework"]][2]
    if len(own) > 1:
        targets = _joined(list(dict.fromkeys(own["sdg_target"].dropna())))
        codes = _joined(list(dict.fromkeys(own["sdg_indicator"].dropna())))
        text = (
            f"{ch.country_name} — {label}: {len(own)} linkages (derived count) to targets {targets} and "
            f"indicators {codes}, listed in the national frameworks tables below "
            f"({', '.join(dict.fromkeys(own['source_id']))})."
        )
        return show.note(text, kind="info")
    row = own.iloc[0]
    text = f"{ch.country_name} — {label}. {row['rationale']} Source text ({row['source_id']}): “{row['excerpt']}”"
    note = reader_note(row["notes"])
    if note:
        text += f" Notes: {note}."
    return show.note(text, kind="info")
