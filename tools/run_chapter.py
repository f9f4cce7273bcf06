"""Execute one chapter notebook on its own and write its HTML, for working on a chapter.

    .venv/bin/python tools/run_chapter.py 04 [--country KHM] [--data-dir DIR] [--out /tmp/ch04]

Prints the sections left out (with their reasons) and where the HTML and figures are. This is a
development aid: the published report only comes from `make report`.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import papermill as pm

from demining_sdg import paths
from demining_sdg.build.assemble import chapter_html
from demining_sdg.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", help="the chapter's two-digit number, e.g. 04")
    parser.add_argument("--country", default=None)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    notebook = next(p for p in paths.chapter_notebooks() if p.name.startswith(args.number))
    out = Path(args.out or tempfile.mkdtemp(prefix=f"chapter-{args.number}-"))
    (out / "figures").mkdir(parents=True, exist_ok=True)
    overrides = {k: v for k, v in {"country": args.country, "data_dir": args.data_dir}.items() if v}
    params = load_params(paths.DEFAULT_PARAMS_FILE, overrides)
    executed = out / notebook.name
    pm.execute_notebook(
        str(notebook),
        str(executed),
        parameters=params.notebook_parameters(figures_dir=(out / "figures").resolve()),
        progress_bar=False,
        cwd=str(out),
    )
    chapter = chapter_html(executed, int(args.number))
    parts = [chapter.body, *chapter.front, *chapter.annex]
    (out / "chapter.html").write_text(
        f"<!doctype html><meta charset=utf-8><style>{(paths.TEMPLATES_DIR / 'report.css').read_text()}</style>"
        f"<main>{''.join(parts)}</main>",
        encoding="utf-8",
    )
    for item in chapter.omitted:
        print(f"left out: {item['title']}: {item['reason']}")
    for message in chapter.summary:
        print(f"summary: {message['text']}")
    figures = sum(part.count('class="report-figure"') for part in parts)
    print(f"{figures} figures; {len(chapter.annex)} blocks in the annex; HTML: {out / 'chapter.html'}")


if __name__ == "__main__":
    main()
