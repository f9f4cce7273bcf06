# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Mine action across the SDGs
#
# **Question:** which Sustainable Development Goals (SDGs) does mine action serve, on what evidence, and where do
# national "SDG 18" goals fit?
#
# This chapter sets out each link between mine action and a goal as a row: the mine action output, the goal,
# target and indicator, the rationale and the source with its verbatim text. Links to the official global
# framework of 17 goals are kept apart from the national goals on mines, unexploded ordnance (UXO) and other
# explosive remnants of war (ERW) that some mine-affected countries have adopted or proposed.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import linkages
from demining_sdg.present.chapter import open_chapter

# %%
ch = open_chapter(
    country=country,
    first_year=first_year,
    last_year=last_year,
    currency=currency,
    data_dir=data_dir,
    figures_dir=figures_dir,
    outlook=outlook,
)

# %%
ch.show(linkages.FINDINGS)

# %% [markdown]
# SDG 16 is the most direct entry point: target 16.1 aims to reduce violence and related deaths, and indicator
# 16.1.2 counts conflict-related deaths by cause, one of which covers planted explosives and unexploded
# ordnance. Where a source names an area (such as education) rather than a goal, the goal number is this
# report's reading and the table says so. A goal without a bar is not unrelated to mine action: the data
# simply hold no sourced link to it.

# %%
ch.show(linkages.GOAL_CHART)

# %%
ch.show(linkages.GLOBAL_TABLE)

# %%
ch.show(linkages.ENTRY_INDICATORS)

# %% [markdown]
# Some studies count how many goals and targets mine action serves. Their counts are quoted as the sources
# state them; the goal-by-goal lists behind them were not available, so they are not in the chart.

# %%
ch.show(linkages.AGGREGATE_STUDIES)

# %%
ch.show(linkages.FRAMEWORKS)

# %%
ch.show(linkages.NATIONAL_LINKS)

# %%
ch.show(linkages.NATIONAL_INDICATORS)

# %% [markdown]
# National goals make mine action measurable in national SDG reporting where they come with targets and
# indicators; a proposal without them names the aim but gives nothing to measure progress by.
