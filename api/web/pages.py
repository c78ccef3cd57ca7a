"""Page routes: each returns an HTML shell; the page's script fills it from the JSON API.

A page needs a logged-in session cookie (else it redirects to the login page) and, for some
pages, a role. Data shown on a page is fetched by its script under the same checks as any
API call, so a page shell itself carries no case data.
"""

import json
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from api.deps import SESSION_COOKIE, get_db
from api.web import i18n
from engine import Database, deadlines
from engine.core.types import User
from engine.people import AuthError, user_from_refresh_cookie

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)

# page name -> roles that may open it (None: every logged-in user)
SUPERVISORS = ("supervisor", "admin")
DASHBOARD = ("supervisor", "leader", "admin")
INTAKE = ("intake", "lawyer", "supervisor", "admin")


def _session_user(request: Request, db: Database) -> User | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        with db.begin() as conn:
            return user_from_refresh_cookie(conn, cookie)
    except AuthError:
        return None


def _calendar_banner(db: Database, user: User, lang: str) -> str | None:
    """Supervisors and admins: next year's (or this year's) holiday calendar is not entered."""
    if user.role not in SUPERVISORS:
        return None
    with db.begin() as conn:
        year = deadlines.calendar_status(conn, counts=False)["banner_year"]
    return i18n.strings(lang)["calendar_banner"].format(year=year) if year is not None else None


def _json_block(value: object) -> Markup:
    """JSON safe to place inside <script type="application/json"> (no '</' can close the tag)."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("&", "\\u0026"))


def render(request: Request, template: str, user: User | None, lang: str, page: dict | None = None,
           status_code: int = 200, banner: str | None = None, extra: dict | None = None) -> HTMLResponse:
    context = {**(extra or {}),
        "lang": lang, "t": i18n.strings(lang), "user": user, "calendar_banner": banner,
        "role_name": i18n.role_name(user.role, lang) if user else "",
        "page_json": _json_block({"lang": lang, "t": i18n.strings(lang), **(page or {}),
                                  "user": {"username": user.username, "role": user.role,
                                           "communities": user.communities} if user else None}),
    }
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    asked = request.query_params.get("lang")
    if asked in ("zh", "en"):
        response.set_cookie(i18n.LANG_COOKIE, asked, max_age=365 * 86400, samesite="lax", path="/")
    return response


def page(template: str, roles: tuple[str, ...] | None = None):
    """A page route body: login required, role checked, the template rendered with page data."""

    def view(request: Request, db: Database = Depends(get_db)) -> Response:
        user = _session_user(request, db)
        if user is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        if user.must_change_password and template != "change_password.html":  # a temporary password: change it first
            return RedirectResponse("/change-password", status_code=303)
        lang = i18n.language(request, user.locale)
        if roles and user.role not in roles:
            return render(request, "forbidden.html", user, lang, status_code=403)
        return render(request, template, user, lang, {"params": dict(request.path_params)},
                      banner=_calendar_banner(db, user, lang))

    return view


@router.get("/login")
def login(request: Request, db: Database = Depends(get_db)) -> Response:
    lang = i18n.language(request)
    return render(request, "login.html", None, lang)


router.add_api_route("/", page("queue.html"), methods=["GET"])
router.add_api_route("/tasks/{task_id}", page("task.html"), methods=["GET"])
router.add_api_route("/cases", page("cases.html"), methods=["GET"])
router.add_api_route("/cases/new", page("intake.html", INTAKE), methods=["GET"])
router.add_api_route("/cases/{case_id}", page("case.html"), methods=["GET"])
router.add_api_route("/processes", page("processes.html", SUPERVISORS), methods=["GET"])
router.add_api_route("/processes/{key}/editor", page("editor.html", SUPERVISORS), methods=["GET"])
router.add_api_route("/dashboard", page("dashboard.html", DASHBOARD), methods=["GET"])
router.add_api_route("/calendar", page("calendar.html", SUPERVISORS), methods=["GET"])
router.add_api_route("/templates", page("templates.html", SUPERVISORS), methods=["GET"])
router.add_api_route("/forms", page("forms.html", SUPERVISORS), methods=["GET"])
router.add_api_route("/handover", page("handover.html", ("supervisor",)), methods=["GET"])
router.add_api_route("/admin", page("admin.html", DASHBOARD), methods=["GET"])
router.add_api_route("/reports", page("reports.html", DASHBOARD), methods=["GET"])  # 报表: who may read reports
router.add_api_route("/exceptions", page("exceptions.html", SUPERVISORS), methods=["GET"])  # 异常 (issue 17)
router.add_api_route("/ledger", page("ledger.html", DASHBOARD), methods=["GET"])  # leaders: the export only
router.add_api_route("/sla-rules", page("sla_rules.html", DASHBOARD), methods=["GET"])
router.add_api_route("/decisions", page("decisions.html", SUPERVISORS), methods=["GET"])  # 决策表 (issue 17)
router.add_api_route("/decisions/{decision_id}/edit", page("decision_editor.html", SUPERVISORS), methods=["GET"])
router.add_api_route("/users", page("users.html", ("admin",)), methods=["GET"])
router.add_api_route("/change-password", page("change_password.html"), methods=["GET"])
