"""The FastAPI application: routers under /api/v1, errors in the user's language.

It holds no state of its own beyond caches of immutable rows, so any number of processes
can serve behind one database.
"""

from fastapi import FastAPI

from api import errors, openapi, unavailable
from api.attachments.views import router as attachments_router
from api.auth.views import router as auth_router
from api.calendar.views import router as calendar_router
from api.case_files.views import router as case_files_router
from api.case_search.views import router as case_search_router
from api.cases.views import router as cases_router
from api.dashboard.views import router as dashboard_router
from api.deadlines.views import router as deadlines_router
from api.decisions.views import router as decisions_router
from api.document_templates.views import router as document_templates_router
from api.documents.views import router as documents_router
from api.exceptions.views import router as exceptions_router
from api.forms.views import router as forms_router
from api.guard import Guard
from api.leader.views import router as leader_router
from api.ledger.views import IMPORT_PATH as LEDGER_IMPORT_PATH
from api.ledger.views import router as ledger_router
from api.limits import BodyLimit
from api.ops import metrics
from api.ops.views import router as ops_router
from api.privacy.views import router as privacy_router
from api.processes.views import router as processes_router
from api.reports.views import router as reports_router
from api.saved_filters.views import router as saved_filters_router
from api.sla_rules.views import router as sla_rules_router
from api.tasks.views import router as tasks_router
from api.users.views import router as users_router
from api.web import assets, pages
from api.web.security import SecurityHeaders
from engine import Database
from engine.core import logmask
from engine.core.settings import get_settings

# In matching order: FastAPI tries every route of every router until one matches (~7 µs each here), so the
# routers of the hot routes come first. No route of one router matches a request another router's route
# matches (tests/api/test_routing.py), so the order changes nothing but the time.
ROUTERS = [cases_router, tasks_router, auth_router, case_search_router, processes_router, users_router,
           deadlines_router, ops_router, attachments_router, dashboard_router, ledger_router, reports_router,
           calendar_router, privacy_router, document_templates_router, documents_router, case_files_router,
           leader_router, saved_filters_router, sla_rules_router, forms_router]
ROUTERS.append(exceptions_router)  # issue 17, 异常
ROUTERS.append(decisions_router)  # 决策表 (issue 17)


def create_app(db: Database | None = None) -> FastAPI:
    settings = get_settings()
    logmask.install()
    app = FastAPI(title="tiaojie 调解", version="0.1.0", openapi_url="/api/v1/openapi.json", docs_url="/docs",
                  redoc_url=None)
    app.state.db = db or Database(settings.database_url)
    errors.install(app)
    unavailable.install(app)
    openapi.install(app)
    for router in ROUTERS:  # straight into the app: one level of FastAPI's route matching per request, not two
        app.include_router(router, prefix="/api/v1")
    app.include_router(pages.router)
    assets.install(app)
    app.add_middleware(Guard, openapi_app=app)  # innermost: reads bodies BodyLimit has bounded
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       upload_max_bytes=settings.max_definition_bytes * 4,
                       attachment_max_bytes=settings.max_attachment_bytes,
                       path_limits={LEDGER_IMPORT_PATH: settings.max_ledger_bytes})
    metrics.install(app)  # outermost: counts every request, refused ones too

    return app
