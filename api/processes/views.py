"""Process definitions: list, upload (supervisors), validate, versions, XML and diffs."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Path, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection

from api.deps import TRANSACTION, current_user, require, require_apart
from api.processes import schemas
from api.processes.uploads import uploaded_files
from engine import processes
from engine.core.types import User

router = APIRouter(prefix="/processes", tags=["processes"])

Files = Annotated[list[UploadFile] | None, File(description="one or more .bpmn/.dmn/.json files")]
Version = Annotated[int, Path(ge=1, le=2_147_483_647)]
Key = Annotated[str, Path(max_length=100)]


@router.get("", response_model=list[schemas.ProcessOut], summary="Latest version of every process")
def list_processes(_: User = Depends(current_user), conn: Connection = TRANSACTION) -> list[dict]:
    return processes.list_processes(conn)


@router.post("", status_code=201, response_model=schemas.DeployOut, summary="Upload and deploy a bundle")
def deploy(files: Files = None, user: User = Depends(require("supervisor")),
           conn: Connection = TRANSACTION) -> dict:
    uploaded = uploaded_files(files)
    deployed = processes.deploy(conn, uploaded, actor=user.username)
    return {"definitions": [{"key": d.key, "name": d.name, "version": d.version, "is_new": d.is_new,
                             "created_at": d.created_at} for d in deployed]}


@router.post("/validate", response_model=schemas.ValidateOut, summary="Check a bundle without storing it")
def validate(files: Files = None, _: User = Depends(require_apart("supervisor"))) -> dict:
    return processes.validate(uploaded_files(files))


@router.get("/{key}/start-form", response_model=schemas.StartFormOut,
            summary="The form of the data POST /cases takes for this process (latest version)")
def start_form(key: Key, user: User = Depends(require("intake", "supervisor")),
               conn: Connection = TRANSACTION) -> dict:
    return processes.start_form(conn, user, key)


@router.get("/{key}/versions", response_model=list[schemas.VersionOut], summary="Versions of a process")
def versions(key: Key, _: User = Depends(current_user), conn: Connection = TRANSACTION) -> list[dict]:
    return processes.list_versions(conn, key)


@router.get("/{key}/versions/{version}", response_model=schemas.VersionDetailOut,
            summary="One version: user tasks with lanes, groups and forms")
def version(key: Key, version: Version, _: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return processes.get_version(conn, key, version)


@router.get("/{key}/versions/{version}/xml", response_class=Response, summary="BPMN XML of the process's file",
            responses={200: {"content": {"application/xml": {}}}})
def version_xml(key: Key, version: Version, _: User = Depends(current_user),
                conn: Connection = TRANSACTION) -> Response:
    name, text = processes.version_xml(conn, key, version)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + text
    return Response(body.encode("utf-8"), media_type="application/xml",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})


@router.get("/{key}/versions/{version}/bundle", response_model=schemas.BundleOut,
            summary="The files to validate or deploy an edit of this version: BPMN/DMN texts in scope and forms")
def version_bundle(key: Key, version: Version, _: User = Depends(require("supervisor", "admin")),
                   conn: Connection = TRANSACTION) -> dict:
    return processes.version_bundle(conn, key, version)


@router.get("/{key}/versions/{version}/diff/{other}", response_model=schemas.DiffOut,
            summary="Elements added, removed and changed between two versions")
def version_diff(key: Key, version: Version, other: Version, _: User = Depends(current_user),
                 conn: Connection = TRANSACTION) -> dict:
    return processes.version_diff(conn, key, version, other)
