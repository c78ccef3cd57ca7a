"""Ledger (台账) endpoints: import an office's Excel/CSV ledger (supervisors), export any period as xlsx or csv,
and the code tables (dispute types, channels, sources, outcomes) with their synonyms, edited as versions."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, File, Path, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.ledger import schemas, service
from api.openapi import IsoDate
from engine import reports
from engine.core.types import User

router = APIRouter(prefix="/ledger", tags=["ledger"])
IMPORT_PATH = "/api/v1/ledger/import"  # has its own upload size limit (TIAOJIE_MAX_LEDGER_BYTES)

Year = Annotated[int | None, Query(ge=1949, le=2999, description="cases accepted (受理) in this year")]
PeriodText = Annotated[str | None, Query(max_length=20, description="2026 (a year), 2026Q4 (a quarter) or ytd")]
From = Annotated[IsoDate | None, Query(alias="from", description="first day of 受理日期, with to")]
To = Annotated[IsoDate | None, Query(alias="to", description="last day of 受理日期, with from")]
KindPath = Annotated[schemas.Kind, Path(description="dispute_type, channel, source or outcome")]
EDITORS = ("supervisor", "admin")
READERS = ("supervisor", "leader", "admin")


@router.post("/import", response_model=schemas.ImportOut,
             summary="Import a ledger (.xlsx or .csv, UTF-8 or GBK); nothing is stored unless the whole file is clean",
             responses={422: {"description": "bad rows: `problems` lists row, column and reason of each; "
                                             "`unknown_terms` each distinct unknown wording once, with its row "
                                             "count and the nearest known terms"},
                        413: {"description": "the file is over TIAOJIE_MAX_LEDGER_BYTES"}})
def import_ledger(file: Annotated[UploadFile, File(description="the ledger file")],
                  dry_run: Annotated[bool, Query(description="validate and count only")] = False,
                  user: User = Depends(require(*EDITORS)), conn: Connection = TRANSACTION) -> dict:
    return service.import_upload(conn, file, dry_run=dry_run, actor=user.username)


@router.get("/export", response_class=Response,
            summary="The cases accepted in a period as a ledger .xlsx or .csv: exactly one of year, period "
                    "(2026, 2026Q4, ytd) or from and to together (text never written as a formula)",
            responses={200: {"content": {service.XLSX: {}, "text/csv": {}}},
                       422: {"description": "no period, two ways of naming it, or from without to"}})
def export_ledger(year: Year = None, period: PeriodText = None, start: From = None, end: To = None,
                  format: Annotated[Literal["xlsx", "csv"], Query(description="xlsx or csv (UTF-8)")] = "xlsx",
                  _: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> Response:
    chosen = reports.choose_period(period, start, end, year=year)
    body = service.export(conn, chosen.start, chosen.end, format)
    stem = str(year) if year is not None else f"{chosen.start:%Y%m%d}-{chosen.end:%Y%m%d}"
    name = f"{year}年台账.{format}" if year is not None else f"{chosen.label}台账.{format}"
    return Response(body, media_type=service.XLSX if format == "xlsx" else service.CSV,
                    headers={"Content-Disposition": f"attachment; filename=\"ledger-{stem}.{format}\"; "
                                                    f"filename*=UTF-8''{quote(name)}"})


@router.get("/codes", response_model=schemas.TablesOut,
            summary="The code tables in use: each entry's term, engine code, synonyms, version, who and when")
def code_tables(_: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> dict:
    return service.tables(conn)


@router.get("/codes/{kind}/history", response_model=schemas.HistoryOut,
            summary="Every version of one entry of a code table, newest first (version 0: as packaged)")
def code_history(kind: KindPath, term: Annotated[str, Query(min_length=1, max_length=50, pattern=schemas.WORDING)],
                 _: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> dict:
    return service.history(conn, kind, term)


@router.post("/codes/{kind}", response_model=schemas.EntryOut, status_code=201,
             summary="Save a new version of an entry (or a new term when version is null); 409 when stale, "
                     "422 when a wording belongs to another entry",
             responses={409: {"description": "someone saved the entry since the version you edited"}})
def save_code(kind: KindPath, body: Annotated[schemas.EntryIn, Body()], user: User = Depends(require(*EDITORS)),
              conn: Connection = TRANSACTION) -> dict:
    return service.save(conn, kind, body, user.username)


@router.post("/codes/{kind}/synonyms", response_model=schemas.EntryOut, status_code=201,
             summary="Add one synonym to an entry (a new version), e.g. an unknown wording of a dry run")
def add_synonym(kind: KindPath, body: Annotated[schemas.SynonymIn, Body()], user: User = Depends(require(*EDITORS)),
                conn: Connection = TRANSACTION) -> dict:
    return service.add_synonym(conn, kind, body, user.username)
