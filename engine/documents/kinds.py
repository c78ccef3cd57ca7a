"""The papers tiaojie makes: one ``Kind`` per document, in the order of the 卷内目录.

A kind names its template (``templates/<code>.html``), whether it carries a 文号 and the word of that number
(``(2026)福田人调字第12号``: office code, then ``word`` + 字), the user tasks (BPMN element ids) whose page
offers it, the copies it is printed in, and where it goes in the case file.
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    title_en: str
    word: str | None  # the 文号's word (人调, 引 …); None: the paper has no number
    tasks: tuple[str, ...]  # BPMN user tasks whose page offers it; () = the case page only
    copies: str = "single"  # "parties": one copy per party and one kept; "single": one paper
    order: int = 0  # place in the 卷内目录 (lower first); filled in below from the list's order
    when_closed: bool = False  # also made on the case page of a closed case that never reached its tasks


_KINDS = [
    # 立案 / acceptance
    Kind("application", "人民调解申请书", "Application for people's mediation", None, ("intake", "mediation_accept")),
    Kind("registration", "受理登记表", "Intake registration form", None, ("intake", "mediation_accept")),
    Kind("rights_notice", "当事人权利义务告知书", "Notice of the parties' rights and duties", None,
         ("mediation_accept",), copies="parties"),
    # 信访
    Kind("petition_acceptance", "信访事项受理告知书", "Notice of acceptance of a petition", "信受", ("petition_register",)),
    Kind("petition_refusal", "信访事项不予受理告知书", "Notice of refusal of a petition", "信不受", ("petition_register",)),
    # 调查与调解
    Kind("investigation", "调查记录", "Record of investigation", None, ("mediation_session", "petition_handle")),
    Kind("session_record", "调解笔录", "Record of the mediation session", None, ("mediation_session", "labour_session")),
    Kind("agreement", "人民调解协议书", "People's mediation agreement", "人调",
         ("mediation_agreement", "labour_agreement"), copies="parties"),
    Kind("oral_agreement", "口头调解协议登记表", "Record of an oral mediation agreement", None, ("mediation_agreement",)),
    Kind("termination_notice", "终止调解告知书", "Notice of termination of mediation", "人调终",
         ("termination_notice",), copies="parties"),
    Kind("guidance_letter", "引导函", "Guidance letter", "引",
         ("issue_guidance_letter", "labour_guidance_letter", "labour_payment_guidance")),
    Kind("petition_opinion", "信访事项处理意见书", "Petition handling opinion", "信处", ("petition_opinion",)),
    Kind("petition_review", "信访事项复查意见书", "Petition review opinion (复查)", "信复查", ("petition_review_decide",)),
    Kind("petition_recheck", "信访事项复核意见书", "Petition re-examination opinion (复核)", "信复核",
         ("petition_recheck_decide",)),
    # 结案
    Kind("follow_up", "回访记录", "Record of the follow-up visit", None, ("follow_up_visit", "labour_follow_up")),
    Kind("closing_report", "结案报告", "Case closing report", None, ("leader_sign_off",), when_closed=True),
]

# The case file's own papers (made when it is filed, not offered at a task): cover first, 目录, back page last.
FILE_KINDS = {
    "file_cover": Kind("file_cover", "卷宗封面", "Case file cover", None, ()),
    "file_toc": Kind("file_toc", "卷内目录", "List of contents", None, ()),
    "file_back": Kind("file_back", "卷宗备考表", "Back page (notes for the record)", None, ()),
}

KINDS: dict[str, Kind] = {k.code: replace(k, order=(i + 1) * 10) for i, k in enumerate(_KINDS)}


def offered_at(element_id: str) -> list[Kind]:
    """The kinds a user task's page offers, in 卷内目录 order."""
    return [k for k in KINDS.values() if element_id in k.tasks]


def get(code: str) -> Kind | None:
    return KINDS.get(code) or FILE_KINDS.get(code)
