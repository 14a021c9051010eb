"""What comes in: events from other systems, files to preview before import, and conversation turns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from o2c.api import actions, conversation
from o2c.api.deps import AppDep, Clerk, Viewer
from o2c.api.routers.common import AUTH_ERRORS, REFUSED
from o2c.api.schemas import ConversationIn, ConversationOut, EventIn, ImportPreviewOut, ResultOut
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
def converse(body: ConversationIn, app: AppDep, _: Viewer) -> conversation.Turn:
    """One chat turn with the customer-service agent; ``available`` is false where it is not installed."""
    return conversation.ask(app, body.text, body.customer_id, body.conversation_id)
