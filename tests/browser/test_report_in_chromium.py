"""The HTML report renders in a real browser: headless Chromium loads it with no console errors and no broken images.

Needs Debian's ``chromium`` (``/usr/bin/chromium``; ``.ci/run`` installs it
where missing) and the ``playwright`` package (test extra), which drives it.
Outside CI the test is skipped with the reason when either is absent; in CI
(``CI`` set) a missing browser fails. The screenshot is kept as a test
artifact in ``$SPIKESTATS_ARTIFACTS`` (default ``test-artifacts/``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SPIKESTATS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("SPIKESTATS_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
#: flags that keep Chromium off the (closed) network and out of the sandbox root cannot use
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _need_browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        reason = f"playwright is not installed ({exc}); pip install '.[test]'"
    else:
        if CHROMIUM:
            return sync_playwright
        reason = "no chromium executable (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"the browser test must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def example_report(tmp_path_factory) -> Path:
    import spikestats as ss
    from spikestats.report import write_report

    out = tmp_path_factory.mktemp("report")
    return write_report(ss.datasets.load_example(), out, source="the embedded example dataset").html


def _open(sync_playwright, html: Path, screenshot: Path | None = None) -> dict:
    problems: dict = {"console": [], "page": [], "failed": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems["console"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems["page"].append(str(e)))
            page.on("requestfailed", lambda r: problems["failed"].append(r.url))
            page.goto(html.resolve().as_uri(), wait_until="load")
            problems["title"] = page.title()
            problems["images"] = page.evaluate(
                "Array.from(document.images).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])")
            problems["tables"] = page.evaluate("document.querySelectorAll('table').length")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return problems


def test_report_renders_without_errors_or_broken_images(example_report):
    sync_playwright = _need_browser()
    shot = ARTIFACTS / "report.png"
    seen = _open(sync_playwright, example_report, shot)
    assert seen["console"] == [] and seen["page"] == [] and seen["failed"] == [], seen
    assert len(seen["images"]) >= 3
    broken = [src for src, ok in seen["images"] if not ok]
    assert broken == [], f"broken images: {broken}"
    assert seen["tables"] >= 1 and "spikestats" in seen["title"].lower()
    assert shot.stat().st_size > 10_000


def test_the_check_catches_a_broken_image(example_report, tmp_path):
    """The test above can fail: a report whose figure is missing is caught."""
    sync_playwright = _need_browser()
    page = tmp_path / "report.html"
    for item in example_report.parent.iterdir():
        if item.suffix == ".png":
            continue
        if item.is_file():
            shutil.copy(item, tmp_path / item.name)
    seen = _open(sync_playwright, page)
    assert any(not ok for _, ok in seen["images"]) or seen["failed"]
