"""Open a report in Debian's headless Chromium (driven by playwright) with the network blocked."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    raise RuntimeError(
        "Headless Chromium is needed for the browser tests and was not found. "
        "Install it with: sudo apt-get install chromium  (make test does this when run as root)"
    )


@dataclass
class PageVisit:
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    image_count: int = 0
    script_flag: object = None
    texts: list[str] = field(default_factory=list)


def visit(report: Path, screenshot: Path | None = None, probe_selectors: tuple[str, ...] = ()) -> PageVisit:
    from playwright.sync_api import sync_playwright

    result = PageVisit()
    url = report.resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        def route(route_request):
            request_url = route_request.request.url
            if request_url == url or request_url.startswith("data:"):
                route_request.continue_()
            else:
                result.outside_requests.append(request_url)
                route_request.abort()

        page.route("**/*", route)
        page.on("console", lambda message: message.type == "error" and result.console_errors.append(message.text))
        page.on("pageerror", lambda error: result.console_errors.append(str(error)))
        page.on("dialog", lambda dialog: (result.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url, wait_until="load")
        result.image_count = page.locator("img, svg.chart").count()
        result.broken_images = page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt || i.src.slice(0, 60))"
        ) + page.eval_on_selector_all(  # an inline chart that lays out to nothing
            "svg.chart", "svgs => svgs.filter(s => s.getBoundingClientRect().height < 50).map(s => s.ariaLabel)"
        )
        result.script_flag = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
        for selector in probe_selectors:
            result.texts += page.locator(selector).all_inner_texts()
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=False)
        browser.close()
    return result


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(report: Path, width: int, height: int = 900) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the report at one viewport width (network blocked)."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    url = report.resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((url, "data:")) else r.abort())
        page.goto(url, wait_until="load")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        browser.close()
    return [
        {"rule": v["id"], "impact": v["impact"], "where": [n["target"] for n in v["nodes"][:3]]}
        for v in results.response["violations"]
    ]
