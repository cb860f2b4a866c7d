"""Browser test: on a 360 px phone the kepala puskesmas opens the PWS from the menu, reads the coverage table
of the working area (scrolling sideways inside the table, the nagari column staying in view), switches to the
monthly figures, and opens an indicator whose cumulative chart is drawn.

Set ILP_SHOTS_DIR to also save screenshots of the pages at 360 px and 1280 px.
"""

import pytest

from ilp.demo.seed import DEMO_PASSWORD
from tests.e2e.pages import no_sideways_scroll, shoot

pytestmark = pytest.mark.e2e

PILOT = "P1306030101"


def test_the_kepala_puskesmas_reads_the_pws_and_an_indicator_chart_on_a_phone(live_ilp, browser_page):
    # given the kepala puskesmas logged in on a 360 px screen
    base = live_ilp["base_url"]
    page = browser_page
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", "kapus.maninjau")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")

    # when the PWS is opened from the menu
    page.click(".section-nav a[href='/pws/']")
    page.wait_for_load_state("networkidle")

    # then it is the working area's table: the puskesmas total and its ten nagari, one column per indicator
    assert page.url.rstrip("/").endswith(f"/pws/{PILOT}")
    table = page.locator("#pws-table")
    assert table.is_visible()
    assert page.locator("#pws-table tbody tr").count() == 11
    assert page.locator("#pws-table th.pws-ind").count() > 10
    # and the table scrolls inside its box, not the page, with the nagari column kept in view
    assert no_sideways_scroll(page)
    scroller = page.locator(".pws-scroll").first
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    first = page.locator("#pws-table tbody tr").nth(1).locator("th")
    left = first.bounding_box()["x"]
    scroller.evaluate("e => { e.scrollLeft = 600; }")
    page.wait_for_timeout(100)
    assert abs(first.bounding_box()["x"] - left) < 1
    shoot(page, "pws-area")

    # when the monthly figures are chosen (htmx swaps the table and the address keeps the choice)
    page.click("label:has(input[name=tampil][value=bulanan])")
    page.wait_for_function("window.location.search.includes('tampil=bulanan')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#pws-table").is_visible()
    assert "tampil=bulanan" in page.locator("#pws-table th.pws-ind a").first.get_attribute("href")

    # and an indicator is opened from its column header
    page.locator("#pws-table th.pws-ind a").first.click()
    page.wait_for_load_state("networkidle")

    # then its chart is drawn as SVG in the chart element, with the months table and the definition below
    assert f"/pws/{PILOT}/" in page.url and page.url.count("/") >= 6
    page.wait_for_selector("#pws-chart svg")
    assert page.locator("#pws-chart svg").count() >= 1
    assert page.locator("#pws-chart svg path").count() > 0
    assert page.locator("#pws-months").is_visible() and page.locator("#pws-definition").is_visible()
    assert no_sideways_scroll(page)
    shoot(page, "pws-indicator")
