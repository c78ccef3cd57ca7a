"""Task queue endpoints (being built)."""

from fastapi import APIRouter

router = APIRouter(prefix="/tasks", tags=["tasks"])
