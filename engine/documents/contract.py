"""What a document template may name: the context every template is rendered with.

``engine.documents.context`` builds it from the case; ``engine.documents.fields`` refuses, at upload, a template
that names anything not listed here (or a form field no form of its kind has). Dates come as ISO strings
(``…_on``) and as Chinese dates (``…_on_cn``: 2026年12月5日).
"""

# name -> the keys its dict has (None: a mapping whose keys are form fields, checked against the kind's forms)
ROOTS: dict[str, tuple[str, ...] | None] = {
    "doc": ("kind", "title", "number", "year", "serial", "version", "issued_on", "issued_on_cn", "copy_label",
            "draft"),
    "office": ("code", "name", "committee", "street", "address", "phone"),
    "case": ("case_number", "process_key", "channel", "channel_label", "source_label", "dispute_type",
             "dispute_type_label", "request_kind_label", "summary", "requests", "amount", "people_count",
             "risk_level_label", "community", "received_on", "received_on_cn", "accepted_on", "accepted_on_cn",
             "closed_on", "closed_on_cn", "mediator", "outcome", "outcome_label", "guidance_to_label", "status",
             "created_on_cn"),
    "form": None,  # the task's form data (submitted, or the draft being printed)
    "form_labels": None,  # enum fields of ``form`` as their labels (选项名称)
    "data": None,  # the case's data: every form's fields so far (personal values masked)
    "data_labels": None,
    "mediator": ("name",),
}

# lists of dicts: name -> the keys of each item
LISTS: dict[str, tuple[str, ...]] = {
    "parties": ("ref", "role", "role_label", "party_kind_label", "name", "id_type_label", "id_number", "phone",
                "address", "legal_representative"),
    "clocks": ("rule", "title", "started_on", "started_on_cn", "due_on", "due_on_cn", "status"),
}
LISTS["applicants"] = LISTS["respondents"] = LISTS["others"] = LISTS["parties"]

# The case file's papers also get ``file`` and ``contents`` (see engine.documents.casefile).
FILE_ROOTS: dict[str, tuple[str, ...]] = {
    "file": ("file_number", "year", "retention", "retention_label", "retention_years", "filed_by", "filed_on_cn",
             "pages", "reopen_reason"),
}
FILE_LISTS: dict[str, tuple[str, ...]] = {
    "contents": ("seq", "title", "number", "issued_on_cn", "first_page", "last_page", "pages", "note"),
    "history": ("kind", "kind_label", "by", "on_cn", "reason"),  # filings and reopenings (卷宗备考表)
}
