"""Browser test: on a 360 px phone the kader opens the posyandu day, weighs two children, sees one flagged
stunted at once, and finds the family on the home-visit worklist (a danger flag nobody referred yet).

Set ILP_SHOTS_DIR to also save screenshots of the session at 360 px and 1280 px for a person to look at.
"""

import datetime as dt
import random
import string

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from ilp.demo.seed import DEMO_PASSWORD
from ilp.lifecycle.labels import flag_label
from ilp.lifecycle.worklist import REASON_LABELS, Reason
from ilp.people.identity import SEX_MALE, build_nik
from tests.e2e.pages import no_sideways_scroll, shoot

pytestmark = pytest.mark.e2e


def _indonesian(label) -> str:
    with translation.override("id"):
        return str(label)


def _register_family(page, base: str, word: str) -> None:
    """The kader registers a father and two 15-month-old boys (the register's own form and service)."""
    born = (dt.date.today() - dt.timedelta(days=456)).isoformat()
    serial = random.randint(5000, 9999)
    head_nik = build_nik(district_code="13.06.03", birth_date=dt.date(1990, 5, 17), sex=SEX_MALE, serial=serial)
    page.goto(f"{base}/keluarga/baru/")
    page.select_option("#id_family-region", index=1)
    page.fill("#id_family-address_text", "Jorong Pasa")
    page.fill("#id_family-kk_number", f"130603{random.randint(10**9, 10**10 - 1)}")
    page.fill("#id_head-name", f"Datuak {word}")
    page.select_option("#id_head-sex", "M")
    page.fill("#id_head-birth_date", "1990-05-17")
    page.fill("#id_head-nik", head_nik)
    for i, name in enumerate((f"Rafif {word}", f"Fathan {word}")):
        page.fill(f"#id_members-{i}-name", name)
        page.select_option(f"#id_members-{i}-relationship", "anak")
        page.select_option(f"#id_members-{i}-sex", "M")
        page.fill(f"#id_members-{i}-birth_date", born)
        page.select_option(f"#id_members-{i}-nik_missing_reason", "not_recorded")
        if i == 0:
            page.click("button[name=add_member]")
            page.wait_for_load_state("networkidle")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")
    assert f"Fathan {word}" in page.inner_text("#members")


def _weigh(page, name: str, weight: str, length: str, shot: str = ""):
    row = page.locator("li.sasaran", has_text=name)
    row.locator("a.pick").click()
    form = row.locator("form.quick-entry")
    form.wait_for()
    form.locator("input[name$='-weight_kg']").fill(weight)
    form.locator("input[name$='-length_height_cm']").fill(length)
    form.locator("input[name$='-measure'][value=L]").check()
    form.locator("input[type=checkbox][value^='counselling']").check()
    if shot:
        shoot(page, shot)
    form.locator("button.save").click()
    result = row.locator(".entry-result")
    result.wait_for()
    return row, result


def test_the_kader_weighs_two_children_and_finds_the_stunted_one_on_the_worklist(live_ilp, browser_page):
    # given the kader logged in on a 360 px phone, and a family with two boys of 15 months at their posyandu
    base = live_ilp["base_url"]
    page = browser_page
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", "kader.bayua")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")
    word = "".join(random.choices(string.ascii_lowercase, k=7)).capitalize()
    _register_family(page, base, word)

    # when the kader opens the posyandu day from the menu (straight to their posyandu) and finds the family
    page.click(".section-nav a[href='/posyandu/']")
    page.wait_for_load_state("networkidle")
    assert "/posyandu/" in page.url and page.url.rstrip("/") != f"{base}/posyandu"
    assert page.locator("#group-balita").is_visible()
    page.fill("#id_q", word.lower())
    page.wait_for_selector(f"#day-counts:has-text('{word.lower()}')")
    assert page.locator("li.sasaran").count() == 3
    assert page.locator("#group-dewasa", has_text=f"Datuak {word}").count() == 1

    # and weighs one child of normal length and one far below the median length for the age
    normal_row, normal = _weigh(page, f"Rafif {word}", "10,3", "79")
    normal_text = normal.inner_text()
    normal_row.locator("button", has_text=_indonesian(gettext_lazy("Close"))).click()
    stunted_row, stunted = _weigh(page, f"Fathan {word}", "8,6", "72", shot="posyandu-day-entry")

    # then the second is flagged stunted at once, the first is not, and both rows show as served
    stunting = {_indonesian(flag_label("stunted")), _indonesian(flag_label("severely_stunted"))}
    assert any(label in stunted.inner_text() for label in stunting)
    assert not any(label in normal_text for label in stunting)
    assert stunted_row.locator(".served").is_visible() and normal_row.locator(".served").is_visible()
    assert any(label in stunted_row.locator(".sasaran-head").inner_text() for label in stunting)
    page.wait_for_function("document.getElementById('served-total').textContent.trim() === '2'")
    assert no_sideways_scroll(page)
    shoot(page, "posyandu-day")

    # when the kader opens the home-visit worklist
    page.click(".section-nav a[href='/kunjungan-rumah/']")
    page.wait_for_load_state("networkidle")

    # then the family is there because of the danger sign nobody referred yet
    family = page.locator("li.wl-family", has_text=f"Datuak {word}")
    assert family.count() == 1
    assert _indonesian(REASON_LABELS[Reason.FLAG]) in family.inner_text()
    assert f"Fathan {word}" in family.inner_text()
    assert no_sideways_scroll(page)
    shoot(page, "home-visits", focus=family)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".print-head").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "home-visits-print", widths=(794,), focus=page.locator(".print-head"))
    page.emulate_media(media="screen")

    # when the kader opens the stunted child's page and refers him, prefilled from the flag
    family.locator("a", has_text=f"Fathan {word}").click()
    page.wait_for_load_state("networkidle")
    panel = page.locator("#pelayanan")
    assert panel.locator(".flag.danger").count() >= 1
    assert "72" in panel.locator("#encounters").inner_text()
    shoot(page, "person-services")
    page.click("#refer")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_to_level") == "puskesmas"
    shoot(page, "referral-form")
    page.click("#referral-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    # then the referral is on the list of open referrals, with its first step
    page.goto(f"{base}/rujukan/")
    referral = page.locator("li.referral", has_text=f"Fathan {word}")
    assert referral.count() == 1
    assert referral.locator("ol.referral-steps li").count() == 1
    assert no_sideways_scroll(page)
    shoot(page, "referrals", focus=referral)

    # and the full visit form opens from the person page, its groups folded for a phone
    referral.locator("a", has_text=f"Fathan {word}").click()
    page.click("#record-visit")
    page.wait_for_load_state("networkidle")
    assert page.locator("#group-body").get_attribute("open") is not None
    assert no_sideways_scroll(page)
    shoot(page, "visit-form")
