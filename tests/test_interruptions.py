"""Interrupted renders: the published report, figures and deck survive byte for byte, and the
next render works without manual clean-up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from demining_sdg import paths
from demining_sdg.build import publish
from demining_sdg.build.render import _remove_stale_staging

pytestmark = pytest.mark.render


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "executed" not in p.parts and ".staging-" not in str(p)
    }


def make_published(folder: Path) -> None:
    (folder / "figures").mkdir(parents=True)
    (folder / "index.html").write_text("<html>previous report</html>")
    (folder / "briefing_deck.pptx").write_bytes(b"previous deck")
    (folder / "figures" / "01_old.png").write_bytes(b"old png")
    (folder / "figures" / "01_old.json").write_text("{}")


def staged(folder: Path) -> tuple[Path, list[publish.Move], list[Path]]:
    staging = folder / ".staging-test"
    (staging / "figures").mkdir(parents=True)
    (staging / "index.html").write_text("<html>new report</html>")
    (staging / "figures" / "02_new.png").write_bytes(b"new png")
    moves = [
        publish.Move(staging / "figures" / "02_new.png", folder / "figures" / "02_new.png"),
        publish.Move(staging / "index.html", folder / "index.html"),
    ]
    removals = [folder / "figures" / "01_old.png", folder / "figures" / "01_old.json"]
    return staging, moves, removals


def test_publish_moves_everything_and_removes_stale_figures(tmp_path: Path):
    make_published(tmp_path)
    staging, moves, removals = staged(tmp_path)
    publish.publish(staging, moves, removals)
    assert (tmp_path / "index.html").read_text() == "<html>new report</html>"
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["02_new.png"]
    assert not (staging / publish.JOURNAL).exists()


def test_an_exception_while_publishing_rolls_back(tmp_path: Path, monkeypatch):
    make_published(tmp_path)
    before = snapshot(tmp_path)
    staging, moves, removals = staged(tmp_path)
    real_replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(publish.os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        publish.publish(staging, moves, removals)
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_a_publish_killed_half_way_is_rolled_back_by_the_next_render(tmp_path: Path):
    make_published(tmp_path)
    before = snapshot(tmp_path)
    staging, moves, removals = staged(tmp_path)
    (staging / "pid").write_text("999999999")  # a process that no longer exists
    # Simulate a SIGKILL after the journal and the first move: do the first half by hand.
    backup_dir = staging / publish.BACKUP
    backup_dir.mkdir()
    entries = []
    for index, target in enumerate([m.target for m in moves] + removals):
        backup = backup_dir / f"{index:05d}"
        if target.exists():
            os.link(target, backup)
        entries.append({"target": str(target), "backup": str(backup) if target.exists() else None})
    (staging / publish.JOURNAL).write_text(__import__("json").dumps({"entries": entries}))
    os.replace(moves[0].source, moves[0].target)
    os.replace(moves[1].source, moves[1].target)
    assert snapshot(tmp_path) != before

    _remove_stale_staging(tmp_path, Console(file=open(os.devnull, "w")))

    assert snapshot(tmp_path) == before
    assert not staging.exists()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published")
    done = subprocess.run(
        [sys.executable, "-m", "demining_sdg", "render", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize(("sig", "delay"), [(signal.SIGKILL, 4.0), (signal.SIGINT, 2.0)])
def test_a_killed_render_leaves_the_published_report_untouched(published: Path, sig: int, delay: float):
    before = snapshot(published)
    process = subprocess.Popen(  # --no-cache: a render that has work to do, whatever is published
        [sys.executable, "-m", "demining_sdg", "render", "--no-cache", "--out", str(published)],
        cwd=paths.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode != 0, (
        "the render finished before it could be interrupted; lengthen nothing, check the delay"
    )
    assert "Traceback" not in stderr
    assert snapshot(published) == before

    again = subprocess.run(
        [sys.executable, "-m", "demining_sdg", "render", "--out", str(published)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert again.returncode == 0, again.stderr
    assert not list(published.glob(".staging-*"))
    assert snapshot(published) == before  # same inputs, same bytes


def test_a_second_render_into_the_same_folder_is_refused_while_one_runs(tmp_path: Path):
    import fcntl

    from conftest import run_cli
    from demining_sdg.build.render import LOCK_FILE

    with open(tmp_path / LOCK_FILE, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = run_cli("render", "--out", str(tmp_path))
    assert done.returncode == 4
    assert "another render is writing to" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "index.html").exists()
