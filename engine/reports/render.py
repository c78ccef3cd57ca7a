"""Render a report dict in one of the download formats."""

import json

MEDIA_TYPES = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMATS = tuple(MEDIA_TYPES)


def as_json(report: dict) -> dict:
    """The JSON of a report (API and CLI alike): the figures, the self-checks (``checks``) and the report as it
    reads (``document``)."""
    from engine.reports.render_md import document

    return {**report, "document": document(report)}


def render(report: dict, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(as_json(report), ensure_ascii=False, indent=2).encode()
    if fmt == "md":
        from engine.reports.render_md import to_markdown

        return to_markdown(report).encode()
    if fmt == "xlsx":
        from engine.reports.render_xlsx import to_xlsx

        return to_xlsx(report)
    if fmt == "pdf":
        from engine.reports.render_pdf import to_pdf

        return to_pdf(report)
    if fmt == "docx":
        from engine.reports.render_docx import to_docx

        return to_docx(report)
    raise ValueError(f"unknown report format {fmt}")
