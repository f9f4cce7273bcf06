"""The report's content: for each chapter, its sections as specs and the data functions behind them.

Nothing here draws or writes HTML: a data function takes the tables (through a :class:`Context`) and
returns a frame; how the frame is shown is named by the section's view kind and done in
``demining_sdg.present``. Chapters do not import each other.
"""
