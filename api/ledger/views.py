"""Ledger (台账) endpoints: import an office's Excel/CSV ledger (supervisors), export a year as xlsx or csv."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.ledger import schemas, service
from engine.core.types import User

router = APIRouter(prefix="/ledger", tags=["ledger"])
IMPORT_PATH = "/api/v1/ledger/import"  # has its own upload size limit (TIAOJIE_MAX_LEDGER_BYTES)

Year = Annotated[int, Query(ge=1949, le=2999, description="cases accepted (受理) in this year")]


@router.post("/import", response_model=schemas.ImportOut,
             summary="Import a ledger (.xlsx or .csv, UTF-8 or GBK); nothing is stored unless the whole file is clean",
             responses={422: {"description": "bad rows: `problems` lists row, column and reason of each"},
                        413: {"description": "the file is over TIAOJIE_MAX_LEDGER_BYTES"}})
def import_ledger(file: Annotated[UploadFile, File(description="the ledger file")],
                  dry_run: Annotated[bool, Query(description="validate and count only")] = False,
                  user: User = Depends(require("supervisor", "admin")), conn: Connection = TRANSACTION) -> dict:
    return service.import_upload(conn, file, dry_run=dry_run, actor=user.username)


@router.get("/export", response_class=Response,
            summary="The cases accepted in a year as a ledger .xlsx or .csv (text never written as a formula)",
            responses={200: {"content": {service.XLSX: {}, "text/csv": {}}}})
def export_ledger(year: Year, format: Annotated[Literal["xlsx", "csv"], Query(description="xlsx or csv (UTF-8)")] = "xlsx",
                  _: User = Depends(require("supervisor", "leader", "admin")),
                  conn: Connection = TRANSACTION) -> Response:
    body = service.export(conn, year, format)
    name = f"{year}年台账.{format}"
    return Response(body, media_type=service.XLSX if format == "xlsx" else service.CSV,
                    headers={"Content-Disposition": f"attachment; filename=\"ledger-{year}.{format}\"; "
                                                    f"filename*=UTF-8''{quote(name)}"})
