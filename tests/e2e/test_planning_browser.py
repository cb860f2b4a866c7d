"""Browser test of the ILP cycle (issue #6): the kepala puskesmas starts a cycle, generates problems from the
PWS data, ranks them by USG, makes the top one a priority, builds its RTL pathway with one step for the wali
nagari of Maninjau and approves it; the wali nagari logs in on his phone, finds the step among his tasks and
marks it done; back at the puskesmas, the monitoring page shows it done today.

Set ILP_SHOTS_DIR to also save screenshots at 360 px and 1280 px.
"""

import datetime as dt

import pytest

from ilp.demo.seed import DEMO_PASSWORD
from tests.e2e.pages import no_sideways_scroll, shoot

pytestmark = pytest.mark.e2e

STEP_TITLE = "Gotong royong membersihkan jalur senam lansia"


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")


def _logout(page) -> None:
    page.click(".user-box form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_kepala_puskesmas_plans_and_the_wali_nagari_does_his_step(live_ilp, browser_page):
    base = live_ilp["base_url"]
    page = browser_page

    # given the kepala puskesmas on his phone, opening the ILP cycle from the menu
    _login(page, base, "kapus.maninjau")
    page.click(".section-nav a[href='/ilp/']")
    page.wait_for_load_state("networkidle")
    assert "/ilp/P1306030101/" in page.url

    # when he starts a new cycle
    page.click("#new-cycle")
    page.fill("input[name=name]", "Siklus uji peramban")
    page.click("#start-cycle")
    page.wait_for_load_state("networkidle")
    cycle_url = page.url
    assert "/ilp/siklus/" in cycle_url

    # and generates the problems from the PWS data
    page.goto(cycle_url + "masalah/")
    page.click("#generate")
    page.wait_for_load_state("networkidle")
    problems = page.locator("li.pc-prob")
    assert problems.count() >= 2
    shoot(page, "planning-problems")
    assert no_sideways_scroll(page)

    # and scores the second problem higher than the first (USG 5-5-5 against 2-2-2)
    first_id = problems.nth(0).get_attribute("id").removeprefix("problem-")
    second_id = problems.nth(1).get_attribute("id").removeprefix("problem-")
    for problem_id, score in ((first_id, "2"), (second_id, "5")):
        for letter in "usg":
            page.select_option(f"#problem-{problem_id} select[name$=usg_{letter}]", score)
    page.click("#save-scores")
    page.wait_for_load_state("networkidle")

    # then the second is ranked first
    assert page.locator(f"#problem-{second_id}").get_attribute("data-rank") == "1"
    assert page.locator("li.pc-prob").first.get_attribute("id") == f"problem-{second_id}"

    # when he makes it a priority and opens its RTL
    page.click(f"#priority-{second_id}")
    page.wait_for_load_state("networkidle")
    page.click(f"#rtl-{second_id}")
    page.wait_for_load_state("networkidle")

    # and adds a step for the village government of Nagari Maninjau, then approves the pathway
    form = page.locator("#step-form")
    form.locator("select[name=phase]").select_option("promotive")
    form.locator("input[name=title]").fill(STEP_TITLE)
    form.locator("select[name=party]").select_option("pemdes")
    form.locator("select[name=village]").select_option(label="Maninjau")
    form.locator("input[name=person_in_charge]").fill("Wali Nagari Maninjau")
    form.locator("select[name=indicator]").select_option("spm_elderly")
    form.locator("input[name=target_pct]").fill("80")
    form.locator("select[name=budget_source]").select_option("dana_desa")
    page.click("#add-step-submit")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(STEP_TITLE).count() >= 1
    page.click("#approve")
    page.wait_for_load_state("networkidle")
    assert page.locator(".badge.ok").count() >= 1
    shoot(page, "planning-rtl")
    _logout(page)

    # when the wali nagari logs in, he finds the step among his tasks from the home page
    _login(page, base, "walinagari.maninjau")
    page.click("#my-rtl-tasks a")
    page.wait_for_load_state("networkidle")
    assert "/ilp/tugas/" in page.url
    page.locator(".pm-task", has_text=STEP_TITLE).locator("a").click()
    page.wait_for_load_state("networkidle")
    shoot(page, "planning-step")

    # and marks it done with a note
    page.locator("#progress-form input[name=status][value=done]").check()
    page.fill("#progress-form textarea[name=note]", "Jalur senam sudah dibersihkan bersama warga Jorong Pasar.")
    page.click("#progress-save")
    page.wait_for_load_state("networkidle")

    # then the step reads done, with his note in its log
    assert page.locator("#step-status").get_attribute("class").split()[-1] == "step-done"
    assert "Jorong Pasar" in page.locator("#step-log").inner_text()
    step_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    _logout(page)

    # when the kepala puskesmas opens the monitoring of the cycle
    _login(page, base, "kapus.maninjau")
    page.goto(cycle_url + "monitoring/")
    page.wait_for_load_state("networkidle")

    # then the step's row shows it done today
    row = page.locator(f"#row-{step_id}")
    assert row.locator(".badge.step-done").count() == 1
    assert dt.date.today().strftime("%d-%m-%Y") in row.inner_text()
    shoot(page, "planning-monitoring")
    assert no_sideways_scroll(page)
