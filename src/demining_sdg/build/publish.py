"""Publishing a finished render with a roll-back journal.

Everything is written into a staging folder first. Publishing then moves the staged files over
the published ones; before the first move, every file about to be replaced or removed is
hard-linked into ``staging/backup`` and the plan is written to ``staging/journal.json``. If the
process dies while moving (power cut, SIGKILL), the next render finds the journal and puts the
backups back, so the previous report, figures and deck return exactly as they were.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

STAGING_PREFIX = ".staging-"  # a render's private folder beside the output, until it publishes
LOCK_FILE = ".render.lock"  # one render at a time per output folder

JOURNAL = "journal.json"
BACKUP = "backup"


@dataclass(frozen=True)
class Move:
    source: Path  # staged file
    target: Path  # published location


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _preserve(target: Path, backup: Path) -> None:
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)


def publish(staging: Path, moves: list[Move], removals: list[Path]) -> None:
    """Move staged files into place and remove stale ones; roll back if interrupted."""
    backup_dir = staging / BACKUP
    backup_dir.mkdir(exist_ok=True)
    entries = []
    for index, path in enumerate([m.target for m in moves] + list(removals)):
        backup = backup_dir / f"{index:05d}"
        existed = path.exists()
        if existed:
            _preserve(path, backup)
        entries.append({"target": str(path), "backup": str(backup) if existed else None})
    _write_atomically(staging / JOURNAL, json.dumps({"entries": entries}, indent=1))
    try:
        for move in moves:
            move.target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(move.source, move.target)
        for path in removals:
            path.unlink(missing_ok=True)
    except BaseException:
        roll_back(staging)
        raise
    (staging / JOURNAL).unlink()


def roll_back(staging: Path) -> bool:
    """Undo a publish that did not finish. Returns True if there was something to undo."""
    journal = staging / JOURNAL
    if not journal.exists():
        return False
    entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
    for entry in entries:
        target = Path(entry["target"])
        if entry["backup"] is None:
            target.unlink(missing_ok=True)
        elif Path(entry["backup"]).exists():
            os.replace(entry["backup"], target)
    journal.unlink()
    return True
