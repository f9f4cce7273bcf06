"""Text from data is shown as text, never run as markup: in the HTML report and in the deck."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import read_rows, write_rows
from demining_sdg.build.render import render
from demining_sdg.inputs.contract import load_contract
from demining_sdg.params import load_params

pytestmark = pytest.mark.render

SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD = (
    f' {SCRIPT}<img src=x onerror="window.__pwned=2"><a href="javascript:window.__pwned=3">click</a>'
    " **bold** _em_ $x^2$ \\(y\\) {{ 7*7 }} &amp; <!-- c -->"
)


def hostile_copy(data_copy: Path) -> int:
    """Append the payload to every free-text cell (no enum, no pattern, not a key or id)."""
    contract = load_contract(data_copy)
    changed = 0
    for table in contract.tables:
        keys = set(table.primary_key) | {c for fk in table.foreign_keys for c in fk.fields}
        free = [
            f.name
            for f in table.fields
            if f.type == "string"
            and not f.enum
            and not f.pattern
            and f.name not in keys
            and not f.name.endswith("_id")
            and not f.name.endswith("_ids")
            and f.name not in {"iso3", "currency", "unit"}
        ]
        if not free:
            continue
        path = data_copy / table.path
        header, rows = read_rows(path)
        for row in rows:
            for name in free:
                if row[header.index(name)]:
                    row[header.index(name)] += PAYLOAD
                    changed += 1
        write_rows(path, header, rows)
    return changed


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    import shutil

    from demining_sdg import paths

    base = tmp_path_factory.mktemp("hostile")
    shutil.copytree(paths.DATA_DIR, base / "data")
    assert hostile_copy(base / "data") > 500
    out = base / "out"
    render(load_params(paths.DEFAULT_PARAMS_FILE, {"data_dir": str(base / "data"), "out_dir": str(out)}))
    return out


def test_no_markup_from_data_reaches_the_html(hostile_report: Path):
    html = (hostile_report / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    handlers = [(tag.name, attr) for tag in soup.find_all(True) for attr in tag.attrs if attr.lower().startswith("on")]
    assert handlers == []
    assert not [a["href"] for a in soup.find_all("a", href=True) if a["href"].strip().lower().startswith("javascript:")]
    assert soup.get_text().count(SCRIPT) > 50  # shown literally, many times


def test_no_script_runs_in_chromium_and_the_text_is_literal(hostile_report: Path):
    from browser import visit

    result = visit(hostile_report / "index.html", probe_selectors=("main",))
    assert result.script_flag is None
    assert result.dialogs == []
    assert result.outside_requests == []  # the <img src=x> never became an image
    assert SCRIPT in "\n".join(result.texts)
    assert "{{ 7*7 }}" in "\n".join(result.texts) and "**bold**" in "\n".join(result.texts)


def test_the_deck_holds_the_text_escaped(hostile_report: Path):
    with zipfile.ZipFile(hostile_report / "briefing_deck.pptx") as deck:
        xml = "".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.endswith(".xml"))
    assert "<script>" not in xml
    assert "&lt;script&gt;" in xml
