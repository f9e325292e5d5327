"""Take the small screenshots in docs/img/ of each page of the app (headless Chromium).

  /work/venv/bin/python docs/screenshots.py

Each picture is cut to the top of the page and reduced to 128 colours, so it stays
well under 200 KB.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "img"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def shrink(path: Path) -> None:
    from PIL import Image

    img = Image.open(path).convert("RGB")
    img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS)
    img.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    from playwright.sync_api import sync_playwright

    from fatal_remedies.viz import serve

    OUT.mkdir(parents=True, exist_ok=True)
    proc, port = serve.start()
    base = f"http://127.0.0.1:{port}"
    try:
        serve.wait_until_up("127.0.0.1", port, proc=proc)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = b.new_page(viewport={"width": 1400, "height": 950})

            page.goto(base + "/?clients=2000")
            page.wait_for_selector(".chart-flags canvas")
            for _ in range(24):
                page.click(".btn-step")
                page.wait_for_timeout(120)
            page.click(".group-enforcement")
            page.wait_for_timeout(800)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(OUT / "explore.png"))

            page.locator(".chart-population").scroll_into_view_if_needed()
            box = page.locator(".chart-population").bounding_box()
            page.mouse.click(box["x"] + 8 + 3 / 26 * (box["width"] - 16), box["y"] + 34 + 2 / 21 * (box["height"] - 42))
            page.wait_for_timeout(1000)
            page.screenshot(path=str(OUT / "explore-population.png"))

            page.goto(base + "/compare?reps=3&months=60&clients=2000&cmp=control,service,reversal")
            page.click(".btn-compare")
            page.wait_for_selector(".cmp-table", timeout=120_000)
            page.wait_for_timeout(800)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(OUT / "compare.png"))
            page.click(".nav-report")
            page.wait_for_selector(".btn-report-download")
            page.screenshot(path=str(OUT / "report.png"))

            page.goto(base + "/lesson?lang=nl")
            page.wait_for_selector(".lesson-text", timeout=60_000)
            for _ in range(2):
                page.click(".btn-lesson-next")
                page.wait_for_timeout(600)
            page.screenshot(path=str(OUT / "lesson.png"))

            page.goto(base + "/sensitivity")
            page.wait_for_timeout(2500)
            page.screenshot(path=str(OUT / "sensitivity.png"))
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    for f in sorted(OUT.glob("*.png")):
        shrink(f)
        print(f"{f.relative_to(ROOT)}: {f.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
