"""Browser test: on a 360 px phone the pustu registers a family with two members, finds it by a member's
name and opens its folder.

Set ILP_SHOTS_DIR to also save screenshots of the pages at 360 px and 1280 px (and the print preview).
"""

import datetime as dt
import random
import string

import pytest

from ilp.demo.seed import DEMO_PASSWORD
from ilp.people.identity import SEX_FEMALE, SEX_MALE, build_nik
from tests.e2e.pages import shoot

pytestmark = pytest.mark.e2e


def _unique_word() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=7)).capitalize()


def test_the_pustu_registers_a_family_on_a_phone_and_finds_it(live_ilp, browser_page):
    # given the pustu logged in on a 360 px screen, and identities nobody else has
    base = live_ilp["base_url"]
    page = browser_page
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", "pustu.bayua")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")
    word = _unique_word()
    serial = random.randint(5000, 9999)
    head_nik = build_nik(district_code="13.06.03", birth_date=dt.date(1984, 3, 9), sex=SEX_MALE, serial=serial)
    wife_nik = build_nik(district_code="13.06.03", birth_date=dt.date(1988, 11, 21), sex=SEX_FEMALE, serial=serial)
    kk_number = f"130603{random.randint(10**9, 10**10 - 1)}"

    # when the family is registered in one form: address, head, then a member after "add a member"
    page.click(".section-nav a[href='/keluarga/']")
    page.click("#register-family")
    assert page.url.endswith("/keluarga/baru/")
    page.select_option("#id_family-region", index=1)
    page.fill("#id_family-address_text", "Jorong Pasa Maninjau")
    page.fill("#id_family-kk_number", kk_number)
    page.fill("#id_head-name", f"Syafril {word}")
    page.select_option("#id_head-sex", "M")
    page.fill("#id_head-birth_date", "1984-03-09")
    page.fill("#id_head-nik", head_nik)
    page.fill("#id_head-phone", "081234567890")
    page.fill("#id_members-0-name", f"Yusnimar {word}")
    page.select_option("#id_members-0-relationship", "istri")
    page.select_option("#id_members-0-sex", "F")
    page.fill("#id_members-0-birth_date", "1988-11-21")
    page.fill("#id_members-0-nik", wife_nik)
    page.click("button[name=add_member]")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_members-0-name") == f"Yusnimar {word}"
    assert page.locator("#member-2").is_visible()
    shoot(page, "register-form")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")

    # then the folder shows both members
    assert "/keluarga/" in page.url and not page.url.endswith("/baru/")
    members = page.inner_text("#members")
    assert f"Syafril {word}" in members
    assert f"Yusnimar {word}" in members
    shoot(page, "family-folder")

    # when the register is searched by the wife's name (htmx live search)
    page.click(".section-nav a[href='/keluarga/']")
    page.fill("#id_q", word.lower())
    page.wait_for_selector(f"#person-results >> text=Yusnimar {word}")
    shoot(page, "search")
    page.click(f"#family-results >> text=Syafril {word}")
    page.wait_for_load_state("networkidle")

    # then the folder opens, with the KK number and a print button
    assert kk_number in page.inner_text("#family-facts")
    assert page.locator("#print-folder").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".print-head").is_visible()
    shoot(page, "print-preview")
    page.emulate_media(media="screen")

    # and the person page of the head shows the full NIK to the pustu
    page.click(f"#members >> text=Syafril {word}")
    page.wait_for_load_state("networkidle")
    assert head_nik in page.inner_text("#identity")
    shoot(page, "person-page")
