"""Take the small screenshots in docs/img/ of every page of the app, in English and in Dutch (headless Chromium).

  .venv/bin/python docs/screenshots.py [RESULTS_DIR]

With RESULTS_DIR (a folder holding sweep or optimize result folders, e.g. `results/`), the
Sensitivity pictures show its first result (a paired sweep shows its verdict); without it,
the page as a first visitor sees it.

English pictures are `<page>.png`, Dutch ones `<page>-nl.png`: Explore (with a person's story),
Compare, Report, Sensitivity, What it cannot tell, the Lesson (its dashboard step) and the Lesson
in teacher's mode (/lesson/teacher). Each picture is cut to the top of the page and reduced to
128 colours, so it stays well under 200 KB. A page that does not appear in time is one line on
stderr and exit status 1 (the pictures taken so far are kept).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "img"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
LESSON_STEP = 5
"""The lesson's step in the pictures: the dashboard showing fraud found while control tightens."""


def shrink(path: Path) -> None:
    from PIL import Image

    img = Image.open(path).convert("RGB")
    img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS)
    img.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(page, base: str, lang: str, taken: list[Path], results: bool = False) -> None:
    """Every page in `lang`; the files go to OUT and their paths to `taken`."""
    sfx = "" if lang == "en" else "-nl"
    q = "" if lang == "en" else "lang=nl&"

    def save(name):
        path = OUT / f"{name}{sfx}.png"
        page.screenshot(path=str(path))
        taken.append(path)

    page.goto(base + f"/?{q}clients=2000")
    page.wait_for_selector(".chart-flags canvas", timeout=60_000)
    for _ in range(12):
        page.click(".btn-step")
        page.wait_for_timeout(120)
    page.click(".group-enforcement")
    page.wait_for_timeout(800)
    page.evaluate("window.scrollTo(0, 0)")
    save("explore")

    page.locator(".chart-population").scroll_into_view_if_needed()
    box = page.locator(".chart-population").bounding_box()
    page.mouse.click(box["x"] + 8 + 3 / 26 * (box["width"] - 16), box["y"] + 34 + 2 / 21 * (box["height"] - 42))
    page.wait_for_timeout(1000)
    save("explore-population")

    page.goto(base + f"/compare?{q}reps=3&months=72&clients=2000&cmp=control,service,reversal")
    page.click(".btn-compare")
    page.wait_for_selector(".cmp-table", timeout=180_000)
    page.wait_for_timeout(800)
    page.evaluate("window.scrollTo(0, 0)")
    save("compare")
    page.click(".nav-report")
    page.wait_for_selector(".btn-report-download")
    save("report")

    page.goto(base + f"/sensitivity?{q}".rstrip("?&"))
    page.wait_for_timeout(2500)
    if results:
        page.click(".sens-select")
        page.locator(".menuable__content__active .v-list-item").first.click()
        page.wait_for_selector(".sens-verdict li, .sens-pareto", timeout=60_000)
        page.wait_for_timeout(1500)
        page.evaluate("window.scrollTo(0, 0)")
    save("sensitivity")
    page.goto(base + f"/limits?{q}".rstrip("?&"))
    page.wait_for_selector(".limits-intro")
    save("limits")

    for name, path in (("lesson", "/lesson"), ("lesson-teacher", "/lesson/teacher")):
        page.goto(base + f"{path}?{q}".rstrip("?&"))
        page.wait_for_selector(".lesson-text", timeout=120_000)
        if page.locator(".btn-lesson-restart").count():
            page.click(".btn-lesson-restart")
        for i in range(2, LESSON_STEP + 1):
            page.keyboard.press("ArrowRight")
            page.wait_for_function("n => document.querySelector('.lesson-counter').innerText.split(' ')[1] == n",
                                   arg=str(i))
        page.locator(".lesson-chart canvas").first.wait_for()
        page.wait_for_timeout(800)
        save(name)


def main() -> int:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from fatal_remedies.viz import serve

    OUT.mkdir(parents=True, exist_ok=True)
    results = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None
    if results is not None and not results.is_dir():
        print(f"screenshots: {results} is not a folder", file=sys.stderr)
        return 2
    proc, port = serve.start(extra_env={"FATAL_REMEDIES_RESULTS": str(results)} if results else None)
    base = f"http://127.0.0.1:{port}"
    taken: list[Path] = []
    status = 0
    try:
        serve.wait_until_up("127.0.0.1", port, proc=proc)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for lang in ("en", "nl"):
                page = b.new_page(viewport={"width": 1400, "height": 950})
                try:
                    shoot(page, base, lang, taken, results=results is not None)
                except PlaywrightError as exc:
                    print(f"screenshots ({lang}): {str(exc).splitlines()[0]}", file=sys.stderr)
                    status = 1
                page.close()
            b.close()
    finally:
        serve.stop(proc)
    for f in taken:
        shrink(f)
        print(f"{f.relative_to(ROOT)}: {f.stat().st_size // 1024} KB")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
