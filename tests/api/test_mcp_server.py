"""The MCP server through the SDK's in-process client: tools listed, a read, and propose -> approve."""

from __future__ import annotations

import json

import anyio
from mcp import Client
from mcp.server.mcpserver import MCPServer

from o2c.mcp_server import Tools, _register_changes, build_server
from tests.api.conftest import invoiced_order


def _payload(result) -> object:
    if result.structured_content is not None:
        content = result.structured_content
        return content.get("result", content) if isinstance(content, dict) and set(content) == {"result"} else content
    return json.loads(result.content[0].text)


async def _call(server, tool: str, arguments: dict) -> object:
    async with Client(server) as client:
        result = await client.call_tool(tool, arguments)
        assert not result.is_error, result.content
        return _payload(result)


def test_the_server_lists_read_and_decision_tools(app, people):
    async def names() -> set[str]:
        async with Client(build_server(app, people["viewer"].user)) as client:
            return {t.name for t in (await client.list_tools()).tools}

    found = anyio.run(names)
    assert {"search_customers", "account_overview", "list_approvals", "receivables_dashboard",
            "propose_credit_note", "approve_proposal", "reject_proposal"} <= found


def test_a_read_then_a_clerks_proposal_approved_by_an_approver(app, people):
    number = invoiced_order(app)
    overview = anyio.run(_call, build_server(app, people["viewer"].user), "account_overview", {"customer_id": "C1"})
    assert overview["open_items"][0]["document"] == number
    proposed = anyio.run(_call, build_server(app, people["clerk"].user), "propose_credit_note",
                         {"invoice_number": number, "amount": "12.10", "reason": "one case damaged"})
    assert proposed["outcome"] == "needs_approval"
    approved = anyio.run(_call, build_server(app, people["approver"].user), "approve_proposal",
                         {"proposal_id": proposed["proposal_id"], "comment": "ok"})
    assert "credit note" in approved["result"]
    with app.uow() as uow:
        assert uow.proposals.get(proposed["proposal_id"]).decided_by == "approver"


def test_roles_hold_over_mcp_too(app, people):
    number = invoiced_order(app)

    async def attempt() -> tuple[bool, str]:
        async with Client(build_server(app, people["viewer"].user)) as client:
            result = await client.call_tool("propose_credit_note",
                                            {"invoice_number": number, "amount": "1.00", "reason": "x"})
            return result.is_error, result.content[0].text

    is_error, text = anyio.run(attempt)
    assert is_error and "needs a clerk" in text


def test_a_viewer_is_refused_by_every_tool_that_changes_state(app, people):
    """Every tool ``_register_changes`` adds (so a new one is covered too) refuses a viewer's call."""
    changes = MCPServer("changes")
    _register_changes(changes, Tools(app, people["viewer"].user))

    async def refusals() -> dict[str, str]:
        found = {}
        async with Client(changes) as listing:
            tools = (await listing.list_tools()).tools
        async with Client(build_server(app, people["viewer"].user)) as client:
            for tool in tools:
                arguments = {name: "1" for name in tool.input_schema.get("required", [])}
                result = await client.call_tool(tool.name, arguments)
                found[tool.name] = result.content[0].text if result.is_error else "ALLOWED"
        return found

    found = anyio.run(refusals)
    assert len(found) >= 4
    assert all("viewer" in text for text in found.values()), found
