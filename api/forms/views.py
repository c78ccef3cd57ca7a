"""The form editor's checks: a form as the engine checks it at deploy, and a preview's data as a task's
completion checks it. Nothing is stored; the form is published with its process (POST /processes)."""

from fastapi import APIRouter, Depends

from api.deps import require_apart
from api.forms import schemas
from engine import processes
from engine.core.types import User

router = APIRouter(prefix="/processes/forms", tags=["processes"])
EDITORS = ("supervisor", "admin")


@router.post("/validate", response_model=schemas.FormCheckOut,
             summary="Check a form being edited (every problem at once, by field and kind)")
def validate_form(body: schemas.FormCheckIn, _: User = Depends(require_apart(*EDITORS))) -> dict:
    problems = processes.check_form(body.schema_)
    return {"ok": not problems, "problems": problems}


@router.post("/try", response_model=schemas.FormTryOut,
             summary="Try a preview's data on a form: 422 with every field's error, as completing a task answers",
             responses={422: {"description": "the form is invalid (problems) or the data is (fields)"}})
def try_form(body: schemas.FormTryIn, _: User = Depends(require_apart(*EDITORS))) -> dict:
    return {"ok": True, "data": processes.try_form(body.schema_, body.data)}
