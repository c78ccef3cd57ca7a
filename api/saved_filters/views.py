"""Saved filters of the queue and the case search: each user's own, by page (``queue`` | ``cases``).

An item is ``{id, page, name, query, created_at}``; ``query`` is the page's query string (its URL's part after
``?``), so a page opens a saved filter by going to ``?{query}``.
"""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from api.deps import TRANSACTION, current_user
from engine import tasks
from engine.core.types import User

router = APIRouter(prefix="/saved-filters", tags=["saved filters"])
Page = Literal["queue", "cases"]
NO_NUL = r"^[^\x00]*$"


class SavedFilterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    page: Page
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
    query: Annotated[str, Field(max_length=2000, pattern=NO_NUL)]


class SavedFilterOut(BaseModel):
    id: int
    page: Page
    name: str
    query: str
    created_at: datetime


class SavedFilterList(BaseModel):
    items: list[SavedFilterOut]


@router.get("", response_model=SavedFilterList, summary="Your saved filters of a page")
def list_saved(page: Page = Query(..., description="queue or cases"), user: User = Depends(current_user),
               conn: Connection = TRANSACTION) -> dict:
    return {"items": tasks.list_filters(conn, user, page)}


@router.post("", status_code=201, response_model=SavedFilterOut,
             summary="Save a page's filter under a name (409: you already have one of that name)")
def save(body: SavedFilterIn, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return tasks.save_filter(conn, user, body.page, body.name, body.query)


@router.delete("/{filter_id}", status_code=204, summary="Delete one of your saved filters")
def delete(filter_id: Annotated[int, Path(ge=1, le=2**63 - 1)], user: User = Depends(current_user),
           conn: Connection = TRANSACTION) -> Response:
    tasks.delete_filter(conn, user, filter_id)
    return Response(status_code=204)
