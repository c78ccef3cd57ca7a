"""Route matching: FastAPI tries the routes in order until one matches, so the routers of the hot routes are included
first (api/app.py ROUTERS). That is only safe because no route of one router matches a request that a route of
another router matches: the order of the routers changes the time a request takes to route, never the route."""

import re

import pytest
from fastapi.routing import APIRoute

from api.app import ROUTERS
from api.unit import OneTrip
from api.web import pages
from tests.helpers.api import client_for

API = "/api/v1"


def _routes() -> list[tuple[int, set[str], list[str], dict]]:
    """(router index, methods, path segments, the parameters' regexes) of every API and page route."""
    out = []
    for i, (router, prefix) in enumerate([(r, API) for r in ROUTERS] + [(pages.router, "")]):
        for route in router.routes:
            regexes = {name: conv.regex for name, conv in getattr(route, "param_convertors", {}).items()}
            out.append((i, set(getattr(route, "methods", None) or {"*"}), (prefix + route.path).strip("/").split("/"),
                        regexes))
    return out


def _param(segment: str) -> str | None:
    m = re.fullmatch(r"\{(\w+)(?::\w+)?\}", segment)
    return m.group(1) if m else None


def _segments_overlap(a: str, ra: dict, b: str, rb: dict) -> bool:
    pa, pb = _param(a), _param(b)
    if pa is None and pb is None:
        return a == b
    if pa is not None and pb is not None:
        return True  # two parameters: some value fits both (the convertors here are int, str and path)
    param, regexes, literal = (pa, ra, b) if pa is not None else (pb, rb, a)
    return re.fullmatch(regexes[param], literal) is not None


def _overlap(one: tuple, other: tuple) -> bool:
    (_, m1, s1, r1), (_, m2, s2, r2) = one, other
    if not (m1 & m2 or "*" in m1 | m2) or len(s1) != len(s2):
        return False
    return all(_segments_overlap(a, r1, b, r2) for a, b in zip(s1, s2, strict=True))


def test_the_overlap_check_sees_a_clash():
    """The check itself: a parameter clashes with a literal its convertor takes, not with one it refuses."""
    case_id = (0, {"GET"}, ["api", "v1", "cases", "{case_id}"], {"case_id": "[^/]+"})
    case_int = (1, {"GET"}, ["api", "v1", "cases", "{case_id:int}"], {"case_id": "[0-9]+"})
    search = (2, {"GET"}, ["api", "v1", "cases", "search"], {})
    assert _overlap(case_id, search) and not _overlap(case_int, search)
    assert not _overlap(case_id, (2, {"POST"}, ["api", "v1", "cases", "search"], {}))


def test_no_route_of_one_router_matches_a_request_of_another():
    routes = _routes()
    clashes = [(" ".join(sorted(a[1])), "/".join(a[2]), "/".join(b[2]))
               for k, a in enumerate(routes) for b in routes[k + 1:] if a[0] != b[0] and _overlap(a, b)]
    assert clashes == []


@pytest.mark.parametrize("method,path,most", [("POST", "/cases", 2), ("GET", "/cases/12", 6),
                                              ("POST", "/tasks/12/complete", 9)])
def test_a_hot_route_is_found_among_the_first_routes_tried(app, monkeypatch, method, path, most):
    """A OneTrip route is routed after a few route checks (37 for a task's complete when its router came fourth)."""
    tried, real = [], APIRoute.matches

    def counting(self, scope):
        tried.append(self)
        return real(self, scope)

    monkeypatch.setattr(APIRoute, "matches", counting)
    r = client_for(app).request(method, API + path)  # no credentials: routed, then refused by the route
    assert r.status_code == 401
    assert isinstance(tried[-1], OneTrip) and tried[-1].path_regex.match(path)  # its path relative to /api/v1
    assert len(tried) <= most
