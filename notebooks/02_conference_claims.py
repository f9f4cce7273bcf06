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
# # The conference claims, checked
#
# **Question:** do the figures quoted in public about the country's mine action hold up against the sources?
#
# This chapter checks the public claims made about the country's mine action at one event against the
# sources, where the data hold such a set of claims. Every quantitative or checkable claim is listed with
# a verdict (supported, ambiguous, outdated, not supported or not verified) and
# the evidence behind it. Claims with a figure that the data can test, such as a clearance total or a
# share of the victims, are then set against the series they come from. A verdict's reason cites only
# what the excerpts of its sources state.

# %% tags=["parameters"]
country: str = "AZE"  # ISO 3166-1 alpha-3 code of the country in focus
first_year: int = 1999  # first year shown in time series
last_year: int = 2025  # last year shown in time series
currency: str = "EUR"  # reporting currency, EUR or USD
data_dir: str = ""  # folder of input tables, empty for the project data folder
figures_dir: str = ""  # folder for figure files, empty for the project figures folder
outlook: dict = {}  # outlook scenario knobs as in params/report.yaml, empty for defaults

# %%
from demining_sdg.chapters import claims
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
ch.show(claims.SUMMARY)

# %%
ch.show(claims.FINDINGS)

# %%
ch.show(claims.VERDICTS)

# %%
ch.show(claims.SENTENCES)

# %%
ch.show(claims.EVIDENCE)

# %%
ch.show(claims.CLEARANCE)

# %%
ch.show(claims.UNDATED)

# %%
ch.show(claims.AMOUNTS)

# %%
ch.show(claims.SHARES)

# %%
ch.show(claims.WORDED)
