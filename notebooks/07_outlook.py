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
# # Outlook scenarios
#
# **Question:** at the clearance rates the sources report, how long would it take to clear the
# estimated contaminated area, and what rate would meet the official target and deadline?
#
# Everything in this chapter is a **scenario**: arithmetic on sourced inputs and on the report's
# scenario settings, not a forecast. Contamination estimates without a published survey baseline are
# uncertain, so each scenario is shown as a range between the lowest and the highest current estimate.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import outlook as scenarios
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
ch.show(scenarios.SUMMARY)

# %%
ch.show(scenarios.FINDINGS)

# %%
ch.show(scenarios.INPUTS)

# %%
ch.show(scenarios.STALE_RATE)

# %%
ch.show(scenarios.ESTIMATES)

# %%
ch.show(scenarios.SCENARIO_CHART)

# %%
ch.show(scenarios.SCENARIO_TABLE)

# %%
ch.show(scenarios.NEEDED_RATES)

# %%
ch.show(scenarios.CAVEAT)
