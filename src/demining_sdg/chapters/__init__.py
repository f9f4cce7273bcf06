"""The report's content: per chapter, section specs and their data functions (tables in, frame out;
no HTML, no drawing: that is ``demining_sdg.present``). Chapters do not import each other."""
