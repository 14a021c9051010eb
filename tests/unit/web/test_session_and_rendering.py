"""Signed session cookies, CSRF tokens, and the money and date formatting the pages use."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from o2c.web.render import day, money, percent
from o2c.web.session import Session, SessionCodec


def test_a_session_cookie_round_trips_and_a_tampered_one_is_ignored():
    codec = SessionCodec("secret")
    cookie = codec.seal("session-id")
    assert codec.session_id(cookie) == "session-id"
    assert codec.session_id(cookie[:-2] + "xx") is None
    assert SessionCodec("other secret").session_id(cookie) is None
    assert codec.session_id(None) is None


def test_the_login_forms_token_must_match_its_signed_cookie():
    codec = SessionCodec("secret")
    token, cookie = codec.new_login_token()
    assert codec.login_token_ok(cookie, token)
    assert not codec.login_token_ok(cookie, "forged") and not codec.login_token_ok(None, token)
    assert not SessionCodec("other secret").login_token_ok(cookie, token)


def test_the_csrf_token_must_match_the_sessions():
    session = Session("session-id", "csrf-token")
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok("forged") and not session.csrf_ok(None) and not session.csrf_ok("")


def test_amounts_show_grouping_the_currencys_decimals_and_the_code():
    assert money(Decimal("1234567.5"), "EUR") == "1,234,567.50 EUR"
    assert money(Decimal("1500"), "JPY") == "1,500 JPY"
    assert money(None, "EUR") == "—"


def test_dates_and_rates_read_plainly():
    assert day(date(2026, 9, 1)) == "2026-09-01"
    assert day(datetime(2026, 9, 1, 8, 30)) == "2026-09-01 08:30"
    assert percent(0.8734) == "87%" and percent(None) == "n/a"
