"""Routes whose whole request is one trip to the thread pool: the hot path (POST /cases, complete, the case page).

A route of the usual kind (``TRANSACTION`` + ``current_user``, a sync endpoint) takes five trips between the
event loop and a worker thread (BEGIN, the session read, the route, the COMMIT, the response's validation), and
FastAPI solves its dependencies and validates its parameters on the event loop before the first. A trip cost
~100 µs of CPU here (measured: an empty ``run_in_threadpool`` on this 2-core machine), FastAPI's dependency
solving ~200 µs a request. A ``OneTrip`` route (``@one_trip(router, "POST", path, …)``) is declared as any
other (its parameters, body model, response model and ``unit: Unit = unit_of(*roles)`` give the same OpenAPI
document), but answered by its own handler:

* on the event loop, without I/O: the credentials are there (bearer token, or the session cookie with its CSRF
  token for an unsafe method) and the body is read;
* in one trip: the transaction begins with the session read (``api.deps.authenticate``), the role is checked,
  then the path parameters and the body are validated by the route's own fields (so a refusal still comes before
  the body's 422, as FastAPI's dependencies did), the endpoint runs (a plain function given the validated values
  and the ``Unit``), its answer is validated and made JSON by the route's response field, and the transaction
  commits: a failed COMMIT is an error answer, and an answer that fails validation commits nothing.

Errors roll back and become answers as anywhere else (``api.errors``).
"""

import json
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request, Response
from fastapi._compat import get_missing_field_error
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.routing import APIRoute, APIRouter
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from api import deps
from api.deps import allow, check_credentials, credentials
from engine import Database
from engine.core.types import User

JSON_TYPES = ("application/json",)


class Unit:
    """The request's transaction (``conn``) and user, given to a ``OneTrip`` endpoint; ``status``: the answer's
    status code when not the route's (a repeat visit answers 200 where a new case answers 201)."""

    __slots__ = ("conn", "user", "status")

    def __init__(self, conn, user: User):
        self.conn, self.user, self.status = conn, user, None


def unit_of(*roles: str) -> Any:
    """``Depends`` of the request's ``Unit``, its user having one of ``roles`` (any if none), for a ``OneTrip``
    route: its handler gives the unit, so FastAPI never calls this (the parameters state the credentials for the
    OpenAPI document)."""

    async def unit(request: Request, given: tuple[str | None, str | None] = Depends(credentials)) -> Unit:
        raise RuntimeError(f"{request.url.path}: a Unit is given to a OneTrip route only (api.unit.one_trip)")

    unit.unit_roles = roles  # read by OneTrip
    return Depends(unit)


UNIT = unit_of()


def _bearer(request: Request) -> str | None:
    """The bearer token, as ``OAuth2PasswordBearer(auto_error=False)`` reads it."""
    scheme, param = get_authorization_scheme_param(request.headers.get("authorization"))
    return param if scheme.lower() == "bearer" else None


def _json_body(request: Request, raw: bytes):
    """The body as FastAPI reads it for a JSON model: nothing (missing), JSON for a JSON content type, else the
    bytes themselves (which the model refuses)."""
    if not raw:
        return None
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype in JSON_TYPES or (ctype.startswith("application/") and ctype.endswith("+json")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as e:  # api.guard refuses it first; as FastAPI words it otherwise
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body", e.pos), "msg": "JSON decode error",
                                           "input": {}, "ctx": {"error": e.msg}}], body=e.doc) from None
    return raw


class OneTrip(APIRoute):
    """A route answered in one trip to the thread pool (module docstring)."""

    def get_route_handler(self) -> Callable:
        dependant = self.dependant
        units = [d for d in dependant.dependencies if hasattr(d.call, "unit_roles")]
        if len(units) != 1 or len(dependant.dependencies) != 1 or dependant.query_params or \
                dependant.header_params or dependant.cookie_params or len(dependant.body_params) > 1:
            raise TypeError(f"{self.path}: a OneTrip endpoint takes path parameters, at most one body model and "
                            "one Unit (unit_of)")
        roles, unit_name = units[0].call.unit_roles, units[0].name
        path_fields, body_field = dependant.path_params, self.body_field
        endpoint, response_field = dependant.call, self.response_field
        status_code = self.status_code or 200

        def run(request: Request, token: str | None, cookie: str | None, raw: bytes | None) -> Response:
            db: Database = request.app.state.db
            with db.begin() as conn:  # committed at the end of the block: a failed COMMIT raises, no 200 is sent
                user = deps.authenticate(request, conn, token, cookie)  # by the module: the HTTP profile spans it
                if roles:
                    allow(user, *roles)
                values, errors = {}, []
                for field in path_fields:
                    values[field.name], found = field.validate(request.path_params.get(field.alias), {},
                                                               loc=("path", field.alias))
                    errors += found
                if body_field is not None:
                    body = _json_body(request, raw)
                    if body is None:
                        errors.append(get_missing_field_error(("body",)))
                    else:
                        values[body_field.name], found = body_field.validate(body, {}, loc=("body",))
                        errors += found
                if errors:
                    raise RequestValidationError(errors, body=raw)
                unit = values[unit_name] = Unit(conn, user)
                out = endpoint(**values)
                value, errors = response_field.validate(out, {}, loc=("response",))
                if errors:
                    raise ResponseValidationError(errors=errors, body=out)
                payload = response_field.serialize_json(value)
            return Response(payload, status_code=unit.status or status_code, media_type="application/json")

        async def handler(request: Request) -> Response:
            token, cookie = check_credentials(request, _bearer(request))  # no I/O: refused before any trip
            raw = await request.body() if body_field is not None else None
            return await run_in_threadpool(run, request, token, cookie, raw)

        return handler


def one_trip(router: APIRouter, method: str, path: str, **kwargs) -> Callable:
    """``@router.<method>(path, **kwargs)`` for a ``OneTrip`` endpoint (a plain function taking its path
    parameters, its body model and ``unit: Unit = unit_of(*roles)``, returning the answer's data)."""

    def decorator(endpoint: Callable) -> Callable:
        router.add_api_route(path, endpoint, methods=[method], route_class_override=OneTrip, **kwargs)
        return endpoint

    return decorator
