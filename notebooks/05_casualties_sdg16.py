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
# # Casualties and SDG 16.1
#
# **Question:** how many people have mines and explosive remnants of war (ERW) killed and injured, who records
# them, and what can these counts contribute to target 16.1 of the Sustainable Development Goals (SDGs),
# "significantly reduce all forms of violence and related death rates"?
#
# Casualty counts come from several recorders that use different methods, so their figures are shown side by
# side rather than merged. A rate per 100,000 population is derived for the years with an annual count. It is a
# **proxy** for the mine/ERW cause category of SDG indicator 16.1.2, never the official indicator. The global
# Landmine Monitor series and the UN SDG database give the wider context.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import casualties
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
ch.show(casualties.SUMMARY)

# %%
ch.show(casualties.FINDINGS)

# %%
ch.show(casualties.RECORDERS_CHART)

# %%
ch.show(casualties.RECORDERS_TABLE)

# %%
ch.show(casualties.RECORDER_CONFLICTS)

# %%
ch.show(casualties.METHOD_NOTE)

# %%
ch.show(casualties.RUNNING_COUNT)

# %%
ch.show(casualties.SPLIT_TABLE)

# %%
ch.show(casualties.RECENT_TABLE)

# %%
ch.show(casualties.BULLETINS_TABLE)

# %%
ch.show(casualties.RATES_TABLE)

# %%
ch.show(casualties.SDG_PROXY)

# %%
ch.show(casualties.DENOMINATOR_TABLE)

# %%
ch.show(casualties.PROXY_NOTE)

# %%
ch.show(casualties.SDG_METADATA_TABLE)

# %%
ch.show(casualties.GLOBAL_CHART)

# %%
ch.show(casualties.REVISION_NOTE)

# %%
ch.show(casualties.SHARES_CHART)

# %%
ch.show(casualties.SHARES_TABLE)

# %%
ch.show(casualties.WORLD_CAUSES_TABLE)

