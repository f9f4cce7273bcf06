"""No absolute path of the build machine reaches the published files (report, deck, render record,
figure files), wherever the data and the output folder are."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import run_cli
from demining_sdg import paths


@pytest.mark.render
def test_outputs_name_folders_relative_to_the_project_or_by_name(tmp_path: Path):
    data = tmp_path / "my-data"
    shutil.copytree(paths.DATA_DIR, data)
    out = tmp_path / "out"
    done = run_cli("render", "--data-dir", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    machine = [str(tmp_path), str(paths.ROOT)]
    texts = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in [out / "index.html", out / "render.json"]}
    for figure in sorted((out / "figures").iterdir()):
        if figure.suffix in {".json", ".svg", ".csv"}:
            texts[figure.name] = figure.read_text(encoding="utf-8", errors="replace")
    with zipfile.ZipFile(out / "briefing_deck.pptx") as deck:
        for name in deck.namelist():
            if name.endswith(".xml"):
                texts[name] = deck.read(name).decode("utf-8", errors="replace")
    leaks = {name: folder for name, text in texts.items() for folder in machine if folder in text}
    assert leaks == {}
