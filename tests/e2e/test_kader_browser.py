"""Browser test: a kader logs in on a phone-sized screen and sees only their own posyandu."""

import pytest

from ilp.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_kader_logs_in_and_sees_only_their_posyandu(live_ilp, browser_page):
    # given the served demo and the kader's posyandu as printed by `ilp demo`
    base = live_ilp["base_url"]
    posyandu = live_ilp["logins"]["kader.bayua"]
    page = browser_page

    # when the kader logs in through the login form
    page.goto(f"{base}/")
    assert "/masuk/" in page.url
    page.fill("input[name=username]", "kader.bayua")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")

    # then the facility list shows their posyandu and nothing else
    page.goto(f"{base}/fasilitas/")
    body = page.inner_text("main")
    assert posyandu in body
    assert "Pustu Bayua" not in body
    assert "Puskesmas Maninjau" not in body
    assert "Posyandu" in body

    # and another nagari of the same kecamatan is out of reach
    response = page.goto(f"{base}/wilayah/13.06.03.2003/")
    assert response.status == 404


def test_wrong_password_is_refused_in_indonesian(live_ilp, browser_page):
    page = browser_page
    page.goto(f"{live_ilp['base_url']}/masuk/")
    page.fill("input[name=username]", "kader.bayua")
    page.fill("input[name=password]", "salah-sandi")
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/masuk/" in page.url
    assert page.locator("html").get_attribute("lang") == "id"
