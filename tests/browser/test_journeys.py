"""The main journeys of an AR team's day, in a real (headless) browser on the demo company."""

from __future__ import annotations

import re

from o2c.views import documents
from tests.browser.conftest import login, screenshot

CHARTS = ("chart-dso", "chart-aging", "chart-segment", "chart-agents", "chart-automation")


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_dashboard(page):
    page.goto("/dashboard")
    page.wait_for_url(re.compile(r"/login"))
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "not it")
    page.click("button[type=submit]")
    assert "Unknown user name or wrong password" in page.inner_text(".flash.bad")
    screenshot(page, "01-login")
    login(page, "alice")
    assert page.inner_text("h1") == "Dashboard"


def test_the_dashboard_draws_its_charts(page):
    login(page, "alice")
    for chart_id in CHARTS:
        canvas = page.locator(f"#{chart_id}")
        box = canvas.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, chart_id
        assert page.evaluate(f"() => !!document.getElementById('{chart_id}').chart"), chart_id
    drawn = page.evaluate("() => { const c = document.getElementById('chart-aging');"
                          " return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v); }")
    assert drawn
    assert page.inner_text("[data-kpi=dso]") != "n/a"
    screenshot(page, "02-dashboard")


def test_an_approver_approves_a_queued_credit_note_and_sees_the_books_and_audit_change(page, demo):
    login(page, "alice")
    page.click("[data-nav=inbox]")
    card = page.locator(f"[data-proposal={demo.proposal_id}]")
    assert "two cases arrived damaged" in card.inner_text()
    screenshot(page, "03-inbox")
    card.locator("input[name=comment]").first.fill("photos of the damage attached")
    card.locator("[data-action=approve]").click()
    assert f"{demo.proposal_id} approved" in page.inner_text(".flash.ok")
    assert page.locator(f"[data-proposal={demo.proposal_id}]").count() == 0
    page.goto("/audit?actor=alice")
    assert "issue_credit_note:approved" in page.inner_text("table")
    assert "verified" in page.inner_text("#audit-verify")
    screenshot(page, "04-audit")
    page.goto(f"/accounts/{demo.customer_id}")
    invoices = page.inner_text("#invoices")
    assert re.search(r"CN-\d{4}-\d{6}", invoices) and demo.invoice_number in invoices


def test_a_viewer_sees_the_queue_but_no_decision_buttons(page, demo):
    login(page, "vic")
    page.goto("/inbox")
    assert page.locator("[data-action=approve]").count() == 0


def test_a_clerk_matches_an_unmatched_payment_by_hand(page, demo):
    login(page, "carla")
    page.click("[data-nav=cash]")
    row = page.locator(f"tr[data-payment={demo.payment_id}]")
    assert demo.customer_name in row.inner_text()
    screenshot(page, "05-cash-queue")
    row.locator("a", has_text="Match").click()
    page.wait_for_selector("#apply-form")
    form = page.locator("#apply-form")
    form.locator("input[type=checkbox]").first.check()
    form.locator("input[type=number]").first.fill("100.00")  # a part: the first item may exceed the payment
    screenshot(page, "06-cash-match")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/cash?ok=*")
    assert f"payment {demo.payment_id} applied" in page.inner_text(".flash.ok")
    assert page.locator(f"tr[data-payment={demo.payment_id}]").count() == 0
    with demo.app.uow() as uow:
        assert uow.payments.get(demo.payment_id).status.value in ("applied", "partly_applied")
        assert uow.audit.records(actor="carla")[0].action == "ApplyPayment"


def test_a_customers_360_view_shows_every_side_of_the_account(page, demo):
    login(page, "vic")
    page.click("[data-nav=accounts]")
    page.fill("input[name=q]", demo.customer_name[:12])
    page.click("form.inline button[type=submit]")
    page.click(f"[data-customer={demo.customer_id}]")
    assert demo.customer_name in page.inner_text("h1")
    for section in ("open-items", "orders", "deliveries", "invoices", "payments", "cases", "promises",
                    "agent-actions", "activity"):
        assert page.locator(f"#{section}").is_visible(), section
    assert "credit" in page.inner_text("#agent-actions")
    screenshot(page, "07-account-360")


def test_the_collections_worklist_ranks_overdue_items(page):
    login(page, "vic")
    page.click("[data-nav=collections]")
    assert page.locator("table tbody tr").count() > 0
    screenshot(page, "08-collections")


def test_a_viewer_reads_the_chat_page_but_cannot_act_for_a_customer(page, demo):
    login(page, "vic")
    page.click("[data-nav=chat]")
    assert page.locator("#chat-form").count() == 0


def test_the_chat_page_answers_or_says_plainly_it_cannot(page, demo):
    login(page, "carla")
    page.click("[data-nav=chat]")
    unavailable = page.locator("#chat-unavailable").count() == 1
    with demo.app.uow() as uow:
        order_id = documents.orders(uow, customer_id=demo.customer_id, limit=1)[0].id
    page.fill("input[name=customer_id]", demo.customer_id)
    page.fill("input[name=text]", f"Where is my order {order_id}?")
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector(".turn.agent")
    reply = page.inner_text(".turn.agent")
    if unavailable:
        assert "not available yet" in reply
    else:
        assert order_id in reply
    screenshot(page, "09-chat")
