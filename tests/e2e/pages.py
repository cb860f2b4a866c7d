"""Helpers the browser tests share: screenshots for a person to look at, and the no-sideways-scroll check."""

import os
from pathlib import Path

SHOTS = os.environ.get("ILP_SHOTS_DIR", "")


def shoot(page, name: str) -> None:
    """Screenshots at phone and laptop width; nothing without ILP_SHOTS_DIR."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(200)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
