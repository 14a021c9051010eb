"""The MCP server: o2c's read tools and its propose/approve tools for MCP-capable assistants.

The server acts as one o2c user, named by an API token (``o2c mcp --token ...`` or ``O2C_MCP_TOKEN``),
and every tool checks that user's role exactly as the REST API does: viewers read, clerks propose,
approvers decide (never their own proposals). Proposals pass the same policy gate as an agent's and
every change is audited under the user's name. Tools return plain JSON (the API's response models).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

from o2c.api import actions, schemas
from o2c.auth.roles import Role
from o2c.auth.store import User
from o2c.bootstrap import App
from o2c.domain.errors import DomainError
from o2c.services.proposals import Submitted
from o2c.views import accounts, cash, collections, dashboard, documents, inbox

INSTRUCTIONS = ("o2c runs a company's Order-to-Cash. Read tools show customers, receivables, the approvals "
                "queue and worklists; propose_* tools queue changes for an approver; approve/reject decide "
                "them. Amounts are decimal strings in the document's currency.")


def _json(model: type[BaseModel], value: Any) -> dict[str, Any]:
    return model.model_validate(value).model_dump(mode="json")


def _submitted(s: Submitted) -> dict[str, Any]:
    return {"proposal_id": s.proposal_id, "outcome": s.outcome.value, "result": s.result}


class Tools:
    """The tool bodies, bound to the application and the acting user."""

    def __init__(self, app: App, user: User) -> None:
        self.app, self.user = app, user

    def need(self, role: Role) -> None:
        if not self.user.can(role):
            raise ToolError(f"{self.user.name} is a {self.user.role.value}; this tool needs a {role.value} or above")

    def refused(self, exc: DomainError) -> ToolError:
        return ToolError(f"refused: {exc}")

    def read(self, fn: Any, *args: Any) -> Any:
        self.need(Role.VIEWER)
        with self.app.uow(read_only=True) as uow:
            return fn(uow, *args)


def _register_reads(server: MCPServer, tools: Tools) -> None:
    @server.tool()
    def whoami() -> dict[str, str]:
        """The o2c user this server acts as, and their role."""
        return {"user": tools.user.name, "role": tools.user.role.value}

    @server.tool()
    def search_customers(query: str = "", limit: int = 20) -> list[dict[str, Any]]:
        """Customers whose name or id contains ``query``, with open receivables and credit limit."""
        return [_json(schemas.CustomerOut, c) for c in tools.read(accounts.customers, query, min(limit, 200))]

    @server.tool()
    def get_order(order_id: str) -> dict[str, Any]:
        """One sales order with its lines and status (and hold reason, if held)."""
        found = tools.read(documents.order, order_id)
        if found is None:
            raise ToolError(f"no order {order_id}")
        return _json(schemas.OrderOut, found)

    @server.tool()
    def account_overview(customer_id: str) -> dict[str, Any]:
        """A customer's open receivables, open items, latest orders, cases and agent actions with reasons."""
        found = tools.read(accounts.account_360, customer_id)
        if found is None:
            raise ToolError(f"no customer {customer_id}")
        return {"customer": _json(schemas.CustomerOut, found.customer), "terms": found.terms,
                "open_items": [{"document": i.document, "kind": i.kind, "due_date": i.due_date.isoformat(),
                                "open": str(i.open), "currency": i.currency} for i in found.open_items],
                "orders": [_json(schemas.OrderOut, o) for o in found.orders[:10]],
                "cases": [_json(schemas.CaseOut, c) for c in found.cases],
                "agent_actions": [_json(schemas.ProposalOut, p) for p in found.agent_actions[:20]]}

    @server.tool()
    def list_approvals(status: str = "pending") -> list[dict[str, Any]]:
        """Proposals with a status (default ``pending``: waiting for a person), each with reason and evidence."""
        return [_json(schemas.ProposalOut, p) for p in tools.read(inbox.proposals, status)]

    @server.tool()
    def receivables_dashboard() -> dict[str, Any]:
        """DSO trend, aging buckets, open AR by currency and segment, automation rates, disputes by reason."""
        return _json(schemas.DashboardOut, tools.read(dashboard.dashboard))

    @server.tool()
    def collections_worklist(limit: int = 20) -> list[dict[str, Any]]:
        """Overdue invoices ranked by amount x days overdue, marking disputes (paused) and promises."""
        return [_json(schemas.WorkItemOut, w) for w in tools.read(collections.worklist, None, min(limit, 200))]

    @server.tool()
    def cash_application_queue(limit: int = 20) -> list[dict[str, Any]]:
        """Unmatched payments with their candidate open items and why each is a candidate."""
        return [_json(schemas.QueueEntryOut, e) for e in tools.read(cash.queue, min(limit, 100))]


def _register_changes(server: MCPServer, tools: Tools) -> None:
    @server.tool()
    def propose_credit_note(invoice_number: str, amount: str, reason: str) -> dict[str, Any]:
        """Propose a credit note against an invoice (clerk or above); an approver decides it."""
        tools.need(Role.CLERK)
        try:
            return _submitted(actions.propose_credit_note(tools.app, tools.user, invoice_number, Decimal(amount), reason))
        except DomainError as exc:
            raise tools.refused(exc) from exc

    @server.tool()
    def propose_write_off(document: str, amount: str, reason: str) -> dict[str, Any]:
        """Propose writing off part of an open invoice (clerk or above); small amounts may run by policy."""
        tools.need(Role.CLERK)
        try:
            return _submitted(actions.propose_write_off(tools.app, tools.user, document, Decimal(amount), reason))
        except DomainError as exc:
            raise tools.refused(exc) from exc

    @server.tool()
    def approve_proposal(proposal_id: str, comment: str = "") -> dict[str, str]:
        """Approve and execute a pending proposal (approver or above; never one's own request)."""
        tools.need(Role.APPROVER)
        try:
            return {"proposal_id": proposal_id, "result": actions.approve(tools.app, tools.user, proposal_id, comment)}
        except DomainError as exc:
            raise tools.refused(exc) from exc

    @server.tool()
    def reject_proposal(proposal_id: str, comment: str) -> dict[str, str]:
        """Reject a pending proposal, saying why (approver or above)."""
        tools.need(Role.APPROVER)
        try:
            return {"proposal_id": proposal_id, "result": actions.reject(tools.app, tools.user, proposal_id, comment)}
        except DomainError as exc:
            raise tools.refused(exc) from exc


def build_server(app: App, user: User) -> MCPServer:
    """An MCP server acting as ``user`` on ``app``; run it with ``.run("stdio")`` or connect in-process."""
    server = MCPServer("o2c", instructions=INSTRUCTIONS, version="0.1.0")
    tools = Tools(app, user)
    _register_reads(server, tools)
    _register_changes(server, tools)
    return server
