"""A written agreement binds once the parties have signed it: the task that records it cannot be completed until
a signed scan of the case's current paper of that kind is attached (人民调解法 第29条: 当事人签名、盖章或者按指印，
人民调解员签名并加盖人民调解委员会印章之日起生效).

Declared in the form: ``"x-signed-document": {"kind": "agreement", "when": {"agreement_form": "written"}}``
(``when``: the submitted values that make it needed; none: always).
"""

from sqlalchemy import Connection

from engine.core.errors import InvalidData
from engine.store import documents as document_store

FIELD = "agreement_files"


class SignedAgreementMissing(InvalidData):
    """The agreement is not signed yet: make the paper, have it signed, upload the scan, then complete."""

    code = "signed_agreement_missing"


def rule(schema: dict | None) -> dict | None:
    found = (schema or {}).get("x-signed-document") if isinstance(schema, dict) else None
    return found if isinstance(found, dict) and isinstance(found.get("kind"), str) else None


def check(conn: Connection, case_id: int, schema: dict | None, data: dict) -> None:
    """``SignedAgreementMissing`` (a field error on ``agreement_files``) when the form declares a signed paper,
    the submitted data calls for it, and the case's current paper of that kind has no signed scan."""
    wanted = rule(schema)
    if wanted is None:
        return
    when = wanted.get("when") if isinstance(wanted.get("when"), dict) else {}
    if any(data.get(k) != v for k, v in when.items()):
        return
    if document_store.has_signed_current(conn, case_id, wanted["kind"]):
        return
    err = SignedAgreementMissing(
        "书面调解协议书须经当事人签署并上传签署件后才能结案：请先制作协议书，签署后上传扫描件"
        " (the written agreement must be made, signed and its signed scan uploaded before this task is completed)",
        {FIELD: "the signed agreement (a scan of the current agreement document) is missing"})
    err.kinds = {FIELD: "signed_agreement_missing"}
    raise err
