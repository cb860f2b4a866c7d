"""Helpers the browser tests share: screenshots for a person to look at, and the no-sideways-scroll check."""

import os
from pathlib import Path

SHOTS = os.environ.get("ILP_SHOTS_DIR", "")


def shoot(page, name: str, widths=(360, 1280), focus=None) -> None:
    """Screenshots at phone and laptop width (794 px: an A4 page), the whole page or the screen around `focus` (a
    locator); nothing without ILP_SHOTS_DIR."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 1123 if width == 794 else 800})
        page.wait_for_timeout(200)
        if focus is not None:
            focus.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=focus is None)
    page.set_viewport_size({"width": 360, "height": 800})


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
