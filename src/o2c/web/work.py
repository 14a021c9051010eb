"""The pages' actions: log in and out, decide proposals (one or a page of them at once), propose credit notes, record and apply
payments, chat. Each checks the role and the CSRF token (``page_role``), calls one use case in
``o2c.api.actions`` and redirects back with what happened — or why it was refused.

Logging in needs the login form's own CSRF token; wrong passwords are counted per user name and per
client address, and past the limit the form answers 429 with when to try again. Logging out ends the
session on the server, so a copy of the cookie stops working too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from o2c.api import actions, conversation
from o2c.api.deps import AppDep
from o2c.auth.service import TooManyFailures, end_session, login, open_session
from o2c.auth.store import User
from o2c.bootstrap import App
from o2c.domain.errors import DomainError
from o2c.web.auth import PageActsForCustomer, PageApprover, PageClerk, PageViewer, codec, session_id
from o2c.web.render import TEMPLATES
from o2c.web.session import COOKIE, LOGIN_COOKIE, LOGIN_MAX_AGE, MAX_AGE

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=1000)]


def _back(url: str, ok: str | None = None, error: str | None = None) -> RedirectResponse:
    """Back to ``url`` with what happened in its query string (before any ``#anchor``)."""
    url, hashmark, anchor = url.partition("#")
    sep = "&" if "?" in url else "?"
    if ok:
        url += f"{sep}ok={quote(ok)}"
    if error:
        url += f"{'&' if '?' in url else '?'}error={quote(error)}"
    return RedirectResponse(url + hashmark + anchor, status_code=303)


def _attempt(action: Callable[[], str], url: str) -> RedirectResponse:
    """Run a use case; a refused one comes back to the page with the rule it broke."""
    try:
        return _back(url, ok=action())
    except DomainError as refused:
        return _back(url, error=str(refused))


def _safe_next(url: str) -> str:
    """Only a path on this site (no ``//host`` or ``/\\host``), so a login link cannot send people elsewhere."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else "/dashboard"


def _login_form(request: Request, next_url: str, error: str | None = None, status_code: int = 200) -> Response:
    """The login form with a fresh CSRF token (kept in a short-lived signed cookie)."""
    token, cookie = codec(request).new_login_token()
    response = TEMPLATES.TemplateResponse(request, "login.html", {"next": _safe_next(next_url), "nav": (),
                                                                  "section": "login", "error": error,
                                                                  "login_token": token}, status_code=status_code)
    response.set_cookie(LOGIN_COOKIE, cookie, max_age=LOGIN_MAX_AGE, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/dashboard") -> Response:
    return _login_form(request, next)


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, app: AppDep, username: Annotated[str, Form(max_length=64)],
                 password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/dashboard",
                 csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if not codec(request).login_token_ok(request.cookies.get(LOGIN_COOKIE), csrf_token):
        return _login_form(request, next, "The login form was stale or not sent by this site; please try again.",
                           403)
    try:
        user = login(app, username, password, request.client.host if request.client else "unknown")
    except TooManyFailures as paused:
        return _login_form(request, next, f"Logins paused: {paused}.", 429)
    if user is None:
        return _login_form(request, next, "Unknown user name or wrong password.", 401)
    sid, _ = open_session(app, user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, codec(request).seal(sid), max_age=MAX_AGE, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, app: AppDep, user: PageViewer) -> RedirectResponse:
    sid = session_id(request)
    if sid:
        end_session(app, sid)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


Back = Annotated[str, Form(max_length=2000)]


def _inbox_back(url: str) -> str:
    """Where the inbox was (its filters, sort, page and anchor), so a decision keeps the person's place."""
    return url if url.startswith("/inbox") and not url.startswith("/inbox/") else "/inbox"


@router.post("/inbox/proposals/bulk")
async def decide_many(request: Request, app: AppDep, user: PageApprover) -> RedirectResponse:
    """Approve or reject the selected proposals one by one under the policy; refusals are listed, the
    rest is decided (nobody decides their own request; the role's limits apply to each)."""
    form = await request.form()
    chosen = [str(p) for p in form.getlist("proposal")][:500]
    decision, comment = str(form.get("decision", "")), str(form.get("comment", ""))[:1000]
    back = _inbox_back(str(form.get("back", "")))
    if decision not in ("approve", "reject") or not chosen:
        return _back(back, error="select at least one proposal, then approve or reject")
    if decision == "reject" and not comment.strip():
        return _back(back, error="say why you reject them (the comment is required)")
    decided, refused = bulk_decide(app, user, chosen, decision, comment)
    done = f"{len(decided)} {'approved' if decision == 'approve' else 'rejected'}"
    return _back(back, ok=done, error=("; ".join(refused[:10]) + ("…" if len(refused) > 10 else "")) or None)


def bulk_decide(app: App, user: User, chosen: list[str], decision: str, comment: str) -> tuple[list[str], list[str]]:
    decide = actions.approve if decision == "approve" else actions.reject
    decided, refused = [], []
    for proposal_id in chosen:
        try:
            decide(app, user, proposal_id, comment)
            decided.append(proposal_id)
        except DomainError as why:
            refused.append(f"{proposal_id}: {why}")
    return decided, refused


@router.post("/inbox/proposals/{proposal_id}/approve")
def approve(proposal_id: str, app: AppDep, user: PageApprover, comment: Text = "", back: Back = "") -> RedirectResponse:
    return _attempt(lambda: f"{proposal_id} approved: {actions.approve(app, user, proposal_id, comment)}",
                    _inbox_back(back))


@router.post("/inbox/proposals/{proposal_id}/reject")
def reject(proposal_id: str, app: AppDep, user: PageApprover, comment: Text = "", back: Back = "") -> RedirectResponse:
    return _attempt(lambda: actions.reject(app, user, proposal_id, comment), _inbox_back(back))


@router.post("/inbox/proposals/{proposal_id}/edit")
def edit_and_approve(proposal_id: str, app: AppDep, user: PageApprover, amount: Annotated[str, Form(max_length=20)],
                     comment: Text = "", back: Back = "") -> RedirectResponse:
    value = _decimal(amount)
    url = _inbox_back(back)
    if value is None:
        return _back(url, error=f"{amount!r} is not an amount")
    return _attempt(lambda: f"{proposal_id} approved with an edit: "
                            f"{actions.edit_and_approve(app, user, proposal_id, value, comment)}", url)


@router.post("/accounts/{customer_id}/credit-note")
def propose_credit_note(customer_id: str, app: AppDep, user: PageClerk,
                        invoice_number: Annotated[str, Form(max_length=32)], amount: Annotated[str, Form(max_length=20)],
                        reason: Text) -> RedirectResponse:
    value = _decimal(amount)
    url = f"/accounts/{quote(customer_id)}"
    if value is None:
        return _back(url, error=f"{amount!r} is not an amount")

    def submit() -> str:
        done = actions.propose_credit_note(app, user, invoice_number, value, reason)
        return f"credit note proposed as {done.proposal_id}: {done.outcome.value.replace('_', ' ')}"

    return _attempt(submit, url)


@router.post("/cash/payments")
def record_payment(app: AppDep, user: PageClerk, received_on: Annotated[date, Form()],
                   amount: Annotated[str, Form(max_length=20)], currency: Annotated[str, Form(pattern="^[A-Z]{3}$")],
                   payer_name: Annotated[str, Form(min_length=1, max_length=200)],
                   payer_account: Annotated[str, Form(max_length=64)] = "", reference: Text = "") -> RedirectResponse:
    value = _decimal(amount)
    if value is None or value <= 0:
        return _back("/cash", error=f"{amount!r} is not a positive amount")
    return _attempt(lambda: actions.record_payment(app, user, received_on, value, currency, payer_name,
                                                   payer_account, reference), "/cash")


@router.post("/cash/{payment_id}/apply")
async def apply_payment(payment_id: str, request: Request, app: AppDep, user: PageClerk) -> RedirectResponse:
    form = await request.form()
    customer_id = str(form.get("customer_id", ""))
    documents = [str(d) for d in form.getlist("document")]
    allocations = [(d, _decimal(str(form.get(f"amount_{d}", "")))) for d in documents]
    back = f"/cash/{quote(payment_id)}?customer={quote(customer_id)}"
    if not documents:
        return _back(back, error="tick at least one invoice to apply the payment to")
    if any(a is None or a <= 0 for _, a in allocations):
        return _back(back, error="every ticked invoice needs a positive amount")
    checked = [(d, a) for d, a in allocations if a is not None]
    reason = str(form.get("reason", "")) or "matched by hand"
    return _attempt(lambda: actions.apply_payment(app, user, payment_id, customer_id, checked, reason), "/cash")


@router.post("/chat", response_class=HTMLResponse)
def chat(request: Request, app: AppDep, user: PageActsForCustomer,
         text: Annotated[str, Form(min_length=1, max_length=2000)],
         customer_id: Annotated[str, Form(max_length=32)] = "") -> HTMLResponse:
    """A member of staff types for the customer; the agent's actions are requested in their name."""
    turn = conversation.ask(app, text, customer_id or None, acting=user.name)
    return TEMPLATES.TemplateResponse(request, "_chat_turn.html", {"text": text, "turn": turn})


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None
