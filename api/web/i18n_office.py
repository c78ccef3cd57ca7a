"""The words of the pages that run the office (issue 17), merged into ``api.web.i18n.STRINGS`` in one place:
the 办公室管理 hub, 台账, 报表, 时限规则, 异常, 决策表, the form editor, the timer panel, 用户与权限. Key: (zh, en)."""

from api.web.i18n_admin import ADMIN_STRINGS
from api.web.i18n_decisions import DECISION_STRINGS
from api.web.i18n_exceptions import EXCEPTION_STRINGS
from api.web.i18n_form_editor import FORM_EDITOR_STRINGS
from api.web.i18n_ledger import LEDGER_STRINGS
from api.web.i18n_reports import REPORT_STRINGS
from api.web.i18n_sla import SLA_STRINGS
from api.web.i18n_timers import TIMER_STRINGS
from api.web.i18n_users import USER_STRINGS

PARTS = (ADMIN_STRINGS, EXCEPTION_STRINGS, REPORT_STRINGS, TIMER_STRINGS, LEDGER_STRINGS, SLA_STRINGS,
         FORM_EDITOR_STRINGS, DECISION_STRINGS, USER_STRINGS)
OFFICE_STRINGS = {key: pair for part in PARTS for key, pair in part.items()}
