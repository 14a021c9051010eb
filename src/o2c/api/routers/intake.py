"""What comes in: events from other systems, files to preview before import, and conversation turns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from o2c.api import actions, conversation
from o2c.api.deps import ActsForCustomer, AppDep, Clerk, PortalCustomer
from o2c.api.routers.common import AUTH_ERRORS, REFUSED
from o2c.api.schemas import (
    ConversationIn,
    ConversationOut,
    EventIn,
    ImportPreviewOut,
    PortalConversationIn,
    ResultOut,
)
from o2c.views import imports

router = APIRouter(prefix="/api", responses=AUTH_ERRORS)
MAX_IMPORT_BYTES = 20 * 1024 * 1024


@router.post("/events", response_model=ResultOut, status_code=202, tags=["events"], responses=REFUSED)
def receive_event(body: EventIn, app: AppDep, user: Clerk) -> ResultOut:
    """Put an event into the outbox for the agents (e.g. ``OrderCaptured`` from another channel)."""
    return ResultOut(result=actions.receive_event(app, user, body.type, body.payload))


@router.post("/imports/preview", response_model=ImportPreviewOut, tags=["imports"])
def preview_import(file: Annotated[UploadFile, File(description="A bank, remittance or order file")],
                   _: Clerk) -> imports.ImportPreview:
    """Identify and read a file, showing what it would book; nothing is booked."""
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return imports.ImportPreview(file.filename or "upload", None, None, {}, ["file larger than 20 MB refused"])
    return imports.preview(data, file.filename or "upload")


@router.post("/conversation", response_model=ConversationOut, tags=["conversation"])
def converse(body: ConversationIn, app: AppDep, user: ActsForCustomer) -> conversation.Turn:
    """A member of staff (clerk or above: ``act_for_customer``) types a turn on behalf of ``customer_id``;
    what the agent does is requested by them and audited with their name and the customer's.
    ``available`` is false where the agent is not installed."""
    return conversation.ask(app, body.text, body.customer_id, body.conversation_id, acting=user.name)


@router.post("/portal/conversation", response_model=ConversationOut, tags=["conversation"])
def portal_converse(body: PortalConversationIn, app: AppDep, customer: PortalCustomer) -> conversation.Turn:
    """A customer talks as themselves with their portal token: only about their own documents, and
    there is no field to name another customer (an unknown field is refused with 422)."""
    return conversation.ask(app, body.text, customer.customer_id, body.conversation_id, acting=customer.actor)
