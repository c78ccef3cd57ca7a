"""`tiaojie documents make|list|pdf`, run as an operator would (subprocess, SQLite file)."""

import json
from datetime import UTC, datetime

from tests.helpers.documents import FULL_IDS, pdf_text, this_year
from tests.helpers.process_driver import accept_on, agreement, intake, review, session


def _tasks(out: str) -> dict[str, str]:
    """element id -> task id of the tasks a command printed."""
    return {line.split("\t")[1]: line.split()[1] for line in out.splitlines() if line.strip().startswith("task ")}


def test_make_list_and_print_an_agreement(cli, deployed):
    started = cli("case", "start", "dispute_case", "--data", json.dumps({"community": "福田社区"})).stdout
    number = started.split("\t")[1]
    tasks = _tasks(started)
    for element, form in (("intake", intake()), ("lawyer_review", review("people_mediation")),
                          ("mediation_accept", accept_on(datetime.now(UTC))),
                          ("mediation_session", session("agreement_reached"))):
        tasks = _tasks(cli("task", "complete", tasks[element], "--data", json.dumps(form)).stdout)
    made = cli("documents", "make", number, "agreement", "--task", tasks["mediation_agreement"],
               "--data", json.dumps(agreement()), "--user", "mediator1").stdout
    doc_id, title, doc_number, version = made.strip().split("\t")
    assert (title, doc_number, version) == ("人民调解协议书", f"({this_year()})福田人调字第1号", "v1")
    again = cli("documents", "make", number, "agreement", "--note", "更正").stdout.strip().split("\t")
    assert again[2:] == [doc_number, "v2"]
    listed = [line.split("\t") for line in cli("documents", "list", number).stdout.splitlines()]
    assert [(r[0], r[5]) for r in listed] == [(again[0], "current"), (doc_id, "superseded")]

    kept = cli.tmp / "kept.pdf"
    assert "written to" in cli("documents", "pdf", again[0], "-o", str(kept)).stdout
    text = pdf_text(kept.read_bytes())
    assert doc_number in text and "存档" in text and all(i in text for i in FULL_IDS)
    masked = cli.tmp / "masked.docx"
    cli("documents", "pdf", again[0], "--copy", "masked", "--format", "docx", "-o", str(masked))
    assert masked.read_bytes().startswith(b"PK")


def test_refusals_are_one_line(cli, deployed):
    started = cli("case", "start", "dispute_case", "--data", json.dumps({"community": "福田社区"})).stdout
    number = started.split("\t")[1]
    for args, fragment in ((("documents", "make", "没有这个案号", "agreement"), "not found"),
                           (("documents", "make", number, "agreement"), "has not reached"),
                           (("documents", "make", number, "nope"), "unknown document kind"),
                           (("documents", "make", number, "application", "--data", "{x"), "not valid JSON"),
                           (("documents", "pdf", "nope", "-o", str(cli.tmp / "x.pdf")), "document nope not found")):
        proc = cli(*args, ok=False)
        assert proc.returncode == 1 and fragment in proc.stderr, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert cli("documents", "make", number, "application").stdout.strip().split("\t")[1:] == \
        ["人民调解申请书", "-", "v1"]
