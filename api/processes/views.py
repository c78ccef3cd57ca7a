"""Process definition endpoints (being built)."""

from fastapi import APIRouter

router = APIRouter(prefix="/processes", tags=["processes"])
