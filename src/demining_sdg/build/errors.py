"""How a render stops (light: the CLI imports these before any heavy module)."""

from __future__ import annotations

from pathlib import Path


class ChapterFailed(Exception):
    """A chapter notebook raised, timed out or lost its kernel."""

    def __init__(self, chapter: str, position: str, message: str, executed: Path | None):
        self.chapter = chapter
        self.position = position
        self.message = message
        self.executed = executed
        super().__init__(f"chapter {chapter} failed {position}: {message}")


class RenderBusy(Exception):
    """Another render holds the lock of the output folder."""
