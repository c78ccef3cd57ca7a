"""The words of form checks in the pages (validators.js) and the labels of the ID types added with them,
Simplified Chinese first; merged into ``i18n.STRINGS``.

Field messages are the API's own (``api/i18n.py`` FIELD_MESSAGES) under ``fe_<kind>``, so a check made in the
browser reads exactly like the same check answered by the server.
"""

from api.i18n import FIELD_MESSAGES

FORM_STRINGS = {
    **{f"fe_{kind}": pair for kind, pair in FIELD_MESSAGES.items()},
    "v_id_type_residence_permit": ("港澳台居民居住证", "HK/Macao/Taiwan residence permit"),
    "v_id_type_foreign_permanent_id": ("外国人永久居留身份证", "foreign permanent resident ID"),
    "nav_label": ("主导航", "Main"),
    "form_errors_count": ("共 {n} 处需要更正", "{n} to correct"),
}
