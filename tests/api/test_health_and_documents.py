"""The API's front door: health without login, the OpenAPI document, tokens, and reading documents."""

from __future__ import annotations

from tests.api.conftest import bearer, invoiced_order


def test_health_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_openapi_document_covers_every_area(client, people):
    document = client.get("/api/openapi.json", headers=bearer(people["viewer"])).json()
    paths = document["paths"]
    for path in ("/api/orders", "/api/invoices", "/api/payments", "/api/imports/preview", "/api/cases",
                 "/api/approvals", "/api/events", "/api/conversation", "/api/portal/conversation"):
        assert path in paths, path
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_reading_needs_a_token_and_an_unknown_token_is_refused(client, people):
    assert client.get("/api/orders").status_code == 401
    assert client.get("/api/orders", headers={"Authorization": "Bearer o2c_nope"}).status_code == 401
    assert client.get("/api/orders", headers=bearer(people["viewer"])).status_code == 200


def test_a_viewer_reads_an_invoice_with_amounts_as_decimal_strings(app, client, people):
    number = invoiced_order(app)
    body = client.get(f"/api/invoices/{number}", headers=bearer(people["viewer"])).json()
    assert body["customer_id"] == "C1"
    assert body["gross_total"] == "121.00" and body["currency"] == "EUR"
    assert client.get("/api/invoices/INV-NOPE", headers=bearer(people["viewer"])).status_code == 404


def test_a_clerk_records_a_payment_and_applies_it_by_hand(app, client, people):
    number = invoiced_order(app)
    recorded = client.post("/api/payments", headers=bearer(people["clerk"]), json={
        "received_on": "2026-09-20", "amount": "121.00", "currency": "EUR", "payer_name": "Someone",
        "reference": "thanks"})
    assert recorded.status_code == 201
    payment_id = recorded.json()["result"].split()[1]
    queue = client.get("/api/payments/unmatched", headers=bearer(people["viewer"])).json()
    assert [e["payment"]["id"] for e in queue] == [payment_id]
    applied = client.post(f"/api/payments/{payment_id}/apply", headers=bearer(people["clerk"]), json={
        "customer_id": "C1", "allocations": [{"document": number, "amount": "121.00"}]})
    assert applied.status_code == 200, applied.text
    assert client.get(f"/api/payments/{payment_id}", headers=bearer(people["viewer"])).json()["status"] == "applied"
    trail = client.get("/api/audit", params={"actor": "clerk"}, headers=bearer(people["viewer"])).json()
    assert {r["action"] for r in trail["records"]} == {"RecordPayment", "ApplyPayment"}
    assert trail["verified"] is True


def test_an_import_preview_names_the_format_or_says_why_not(client, people):
    response = client.post("/api/imports/preview", headers=bearer(people["clerk"]),
                           files={"file": ("notes.txt", b"hello", "text/plain")})
    assert response.status_code == 200
    assert response.json()["format"] is None and response.json()["posted"] is False
    assert "not a format" in response.json()["errors"][0]


def test_the_conversation_endpoint_says_when_the_agent_is_not_there(client, people):
    body = client.post("/api/conversation", headers=bearer(people["clerk"]),
                       json={"text": "where is my order?"}).json()
    assert isinstance(body["available"], bool) and body["reply"]
