"""Case endpoints (being built)."""

from fastapi import APIRouter

router = APIRouter(prefix="/cases", tags=["cases"])
