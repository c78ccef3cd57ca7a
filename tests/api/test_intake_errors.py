"""POST /cases answers every field error of the intake at once, in the user's language, with the identifier
checks (ID number by its type, phone, 统一社会信用代码); accepted values are stored normalised."""

import re

import pytest

from tests.helpers.api import client_for
from tests.helpers.process_driver import APPLICANT, RESPONDENT, intake

pytestmark = pytest.mark.process_set

URL = "/api/v1/cases"
LATIN = re.compile(r"[A-Za-z]{2,}")


def bad_intake() -> dict:
    data = intake(parties=[dict(APPLICANT, id_number="123", phone="abc"),
                           dict(RESPONDENT, id_type="uscc", id_number="91350100M000100Y44", phone="0755-0300000")])
    del data["summary"]
    data["amount"] = -5
    data["risk_level"] = "purple"
    return data


def test_every_field_error_at_once_in_chinese(app):
    r = client_for(app, "window1").post(URL, json={"data": bad_intake()})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["message"] == "提交的数据不符合要求"
    assert body["fields"] == {
        "summary": "必填项",
        "amount": "数值过小",
        "risk_level": "取值不在允许范围内",
        "parties.0.id_number": "证件号码格式不正确",
        "parties.0.phone": "电话号码格式不正确：请填写手机号或带区号的固定电话",
        "parties.1.id_number": "统一社会信用代码校验位不正确，请核对",
        "parties.1.phone": "电话号码格式不正确：请填写手机号或带区号的固定电话",
    }
    assert not any(LATIN.search(m) for m in body["fields"].values())


def test_every_field_error_at_once_in_english(app):
    r = client_for(app, "window1", lang="en").post(URL, json={"data": bad_intake()})
    assert r.status_code == 422, r.text
    fields = r.json()["fields"]
    assert fields["parties.0.id_number"] == "not a valid ID number"
    assert fields["parties.0.phone"] == "not a phone number: enter a mobile or a landline with its area code"
    assert fields["parties.1.id_number"] == "the check character of the credit code does not match; check it"
    assert fields["summary"] == "required"
    assert len(fields) == 7


def test_a_wrong_check_digit_is_named(app):
    party = dict(APPLICANT, id_number="440304199001011234")  # one digit of the birth date wrong
    r = client_for(app, "window1").post(URL, json={"data": intake(parties=[party])})
    assert r.status_code == 422
    assert r.json()["fields"] == {"parties.0.id_number": "身份证号码校验码不正确，请核对"}


def test_identifiers_are_stored_normalised(app):
    party = dict(APPLICANT, id_number="4403 0419 9001 0312 34", phone="+86 138-0000-0001")
    window = client_for(app, "window1")
    made = window.post(URL, json={"data": intake(parties=[party, RESPONDENT])})
    assert made.status_code == 201, made.text
    case = client_for(app, "super1").get(f"{URL}/{made.json()['id']}").json()
    shown = case["parties"][0]
    assert (shown["id_number"], shown["phone"]) == ("440304199001031234", "13800000001")  # 司法所 sees them whole
    # the same person written the plain way is the same party: a repeat visit, not a new case
    again = window.post(URL, json={"data": intake(parties=[APPLICANT, RESPONDENT])})
    assert again.status_code == 200 and again.json()["repeat_visit"] is True


def test_community_and_form_errors_together(app):
    data = intake(parties=[dict(APPLICANT, phone="abc")])
    del data["community"]
    r = client_for(app, "window1").post(URL, json={"data": data})
    assert r.status_code == 422
    assert r.json()["fields"] == {"community": "必填项", "parties.0.phone": "电话号码格式不正确：请填写手机号或带区号的固定电话"}
