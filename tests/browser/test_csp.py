"""The pages satisfy the Content-Security-Policy: no violation is reported, and the scripts moved
out of the templates still work (auto-submitting select, dashboard chart, member rows)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def test_main_pages_report_no_csp_violation(page, live_server, login, users, county_layout):
    household = county_layout["households"]["v11"]
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    page.add_init_script(LISTEN)
    login(users["command"])
    urls = [
        reverse("home"),
        reverse("households:household_list"),
        reverse("households:household_detail", args=[household.pk]),
        reverse("households:household_update", args=[household.pk]),
        reverse("households:household_conditions", args=[household.pk]),
        reverse("households:import_list"),
        reverse("households:monitoring_list"),
        reverse("households:exit_list"),
        reverse("households:village_list"),
        reverse("rectification:item_list"),
        reverse("inspections:ranking"),
        reverse("notifications:inbox"),
    ]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], url
    assert [text for text in console if "Content Security Policy" in text] == []

    page.goto(live_server.url + reverse("home"))
    assert page.evaluate("!!window.Chart && !!Chart.getChart('chart-status')")
    page.goto(live_server.url + reverse("households:household_update", args=[household.pk]))
    rows = page.locator("#member-rows .member-row")
    before = rows.count()
    page.locator("#add-member").click()
    expect(rows).to_have_count(before + 1)
    page.goto(live_server.url + reverse("households:household_list"))
    page.locator("#per-page").select_option("50")
    page.wait_for_url("**per_page=50**")
