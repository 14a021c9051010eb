"""Queues built for volume and a dashboard for an AR manager, in a real browser on the demo company:
bulk approve a page of proposals, follow a chart to its list, page through the accounts past 100, and
every page fits a 390 px phone screen (screenshots at desktop and phone width)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login, screenshot

PHONE = {"width": 390, "height": 844}


def _a_pending_action_besides(demo, page) -> str:
    """An action with pending proposals that is not the credit note the other journeys approve, nor a
    billing hold (approving one without fixing the master data is refused, by design)."""
    page.goto("/inbox?group=action")
    actions = page.eval_on_selector_all(
        "select[name=action] option", "os => os.map(o => o.value).filter(Boolean)"
    )
    return next(a for a in actions if a not in ("issue_credit_note", "review_billing_hold"))


def test_an_approver_bulk_approves_a_page_of_proposals_and_keeps_her_place(page, demo):
    login(page, "alice")
    action = _a_pending_action_besides(demo, page)
    page.goto(f"/inbox?action={action}&limit=3&sort=-created#approvals")
    picked = page.locator("input.pick")
    assert picked.count() >= 1
    chosen = picked.evaluate_all("boxes => boxes.map(b => b.value)")
    screenshot(page, "10-inbox-filtered")
    page.check("#pick-all")
    assert all(box.is_checked() for box in picked.all())
    page.fill("#bulk input[name=comment]", "checked the page together")
    page.click("[data-action=bulk-approve]")
    page.wait_for_url(re.compile(r"/inbox\?.*action=" + action), timeout=30_000)
    assert "limit=3" in page.url and "sort=-created" in page.url and page.url.endswith("#approvals")
    decided = page.inner_text(".flash.ok")
    assert re.match(r"\d+ approved", decided) and int(decided.split()[0]) >= 1
    refused = page.locator(".flash.bad")
    still_here = [pid for pid in chosen if page.locator(f"[data-proposal={pid}]").count()]
    assert len(still_here) == len(chosen) - int(decided.split()[0])
    if still_here:
        assert all(pid in refused.inner_text() for pid in still_here)
    page.goto("/audit?q=checked+the+page+together")
    assert "checked the page together" in page.inner_text("table")
    screenshot(page, "11-inbox-after-bulk")


def test_the_evidence_is_a_table_with_links_never_a_python_repr(page, demo):
    login(page, "alice")
    page.goto("/inbox?limit=200")
    for details in page.locator(".proposal details").all()[:20]:
        details.locator("summary").click()
        text = details.inner_text()
        assert "{'" not in text and "['" not in text, text[:200]


def test_a_click_on_the_overdue_aging_chart_opens_the_worklist_of_that_bucket(page, demo):
    login(page, "alice")
    page.wait_for_function("() => !!document.getElementById('chart-aging').chart")
    bar = page.evaluate("""() => { const c = document.getElementById('chart-aging').chart;
        const values = c.data.datasets[0].data; const i = values.findIndex(v => v > 0);
        if (i < 0) { return null; } const el = c.getDatasetMeta(0).data[i];
        return {x: el.x, y: (el.y + el.base) / 2, label: c.data.labels[i]}; }""")
    if bar is None:
        pytest.skip("nothing is overdue in this demo")
    box = page.locator("#chart-aging").bounding_box()
    page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_url(re.compile(r"/collections\?bucket="))
    assert f"{bar['label']} days past due" in page.inner_text(".heading")
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    screenshot(page, "12-collections-from-chart")


def test_the_accounts_list_pages_past_the_first_hundred_customers(page, demo):
    login(page, "alice")
    page.goto("/accounts?limit=50")
    total = int(page.get_attribute(".pager", "data-total"))
    assert total > 100
    for _ in range(2):
        page.click("[data-page=next]")
    assert f"101–150 of {total} customers" in page.inner_text(".pager")
    assert page.locator("tbody tr").count() == 50
    page.click("th a.sort >> text=Open AR")
    page.click("th a.sort >> text=Open AR")
    assert "sort=-open_ar" in page.url and "offset" not in page.url
    screenshot(page, "13-accounts-by-open-ar")


PAGES = ("dashboard", "inbox", "accounts", "account", "cash", "payment", "collections", "audit", "chat")


def _url(name: str, demo) -> str:
    return {"account": f"/accounts/{demo.customer_id}", "payment": f"/cash/{demo.payment_id}"}.get(
        name, f"/{name}"
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_a_phone_and_is_photographed_at_both_widths(browser, demo, name):
    for label, viewport in (("desktop", {"width": 1400, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, base_url=demo.base_url)
        tab = context.new_page()
        login(tab, "alice")
        tab.goto(_url(name, demo))
        tab.wait_for_load_state("networkidle")
        screenshot(tab, f"page-{name}-{label}")
        if label == "phone":
            width = tab.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"/{name} is {width} px wide on a {PHONE['width']} px screen"
        context.close()
