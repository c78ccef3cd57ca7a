"""The checks of Chinese identifiers: ID numbers by document type, phones, 统一社会信用代码."""

from datetime import date

import pytest

from engine.core import identifiers as ids

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", "440304199001031234",
                                   "4403 0419 9001 0312 34"])
def test_resident_ids_with_their_check_digit_pass_normalised(value):
    clean, kind = ids.check_resident_id(value, TODAY)
    assert kind is None and clean == "".join(value.split()).upper()


@pytest.mark.parametrize(("value", "kind"), [
    ("123", "id_format"),
    ("abc", "id_format"),
    ("440304199001011234", "id_check_digit"),  # one digit of the date changed: the check digit no longer matches
    ("110105194912310021", "id_check_digit"),
    ("991105194912310021", "id_area"),          # no province 99
    ("440304199002301234", "id_birth_date"),    # 30 February
    ("440304203001011234", "id_birth_date"),    # born in the future
    ("440304189901011234", "id_birth_date"),    # before 1900
    ("440304900101123", "id_old_15"),
    ("44030419900103123Y", "id_format"),
])
def test_bad_resident_ids_are_refused_with_the_reason(value, kind):
    assert ids.check_resident_id(value, TODAY) == (None, kind)


def test_the_check_character_is_gb_11643():
    assert ids.id_check_char("11010519491231002") == "X"
    assert ids.id_check_char("44052418800101001") == "4"  # the example of the standard (born 1880: refused as a date)


def test_residence_permits_are_resident_ids_of_hong_kong_macao_or_taiwan():
    first = "81000019900101001"
    good = first + ids.id_check_char(first)
    assert ids.check_residence_permit(good, TODAY) == (good, None)
    assert ids.check_residence_permit("440304199001031234", TODAY) == (None, "id_area")


def test_foreign_permanent_ids_old_and_new():
    assert ids.check_foreign_permanent_id("USA123456789012") == ("USA123456789012", None)
    first = "93384019900101001"
    good = first + ids.id_check_char(first)
    assert ids.check_foreign_permanent_id(good, TODAY) == (good, None)
    assert ids.check_foreign_permanent_id(first + "0" if good[-1] != "0" else first + "1", TODAY)[1] == \
        "id_check_digit"
    assert ids.check_foreign_permanent_id("123", TODAY) == (None, "foreign_id_format")


@pytest.mark.parametrize(("check", "good", "bad", "kind"), [
    (ids.check_passport, ["E12345678", "EA1234567", "g 1234 5678", "X1234567"], ["123", "ABCDEFGH", "E1234-567?"],
     "passport_format"),
    (ids.check_hk_macao_permit, ["H12345678", "M12345678", "H1234567801"], ["123", "K12345678", "H1234567"],
     "hk_macao_permit_format"),
    (ids.check_taiwan_permit, ["12345678", "1234567890"], ["1234567", "T1234567"], "taiwan_permit_format"),
])
def test_permit_and_passport_patterns(check, good, bad, kind):
    for value in good:
        assert check(value)[1] is None, value
    for value in bad:
        assert check(value) == (None, kind), value


def test_uscc_gb_32100():
    assert ids.check_uscc("91350100M000100Y43") == ("91350100M000100Y43", None)
    assert ids.uscc_check_char("91350100M000100Y4") == "3"
    assert ids.check_uscc("91350100m000100y43") == ("91350100M000100Y43", None)
    assert ids.check_uscc("91350100M000100Y44") == (None, "uscc_check")
    assert ids.check_uscc("123") == (None, "uscc_format")
    assert ids.check_uscc("91350100I000100Y43") == (None, "uscc_format")  # no I, O, S, V, Z
    assert ids.check_uscc("Z1350100M000100Y43") == (None, "uscc_format")  # not an authority
    assert ids.check_uscc("9135A100M000100Y43") == (None, "uscc_format")  # the area code is digits


def test_id_number_follows_its_type():
    assert ids.check_id_number("resident_id", "123", TODAY) == (None, "id_format")
    assert ids.check_id_number("passport", "E12345678", TODAY) == ("E12345678", None)
    assert ids.check_id_number("uscc", "91350100M000100Y43", TODAY)[1] is None
    assert ids.check_id_number("other", "A-1", TODAY) == ("A-1", None)
    assert ids.check_id_number(None, "1", TODAY) == (None, "id_format")


@pytest.mark.parametrize(("value", "clean"), [
    ("13800138000", "13800138000"), ("+86 138-0013-8000", "13800138000"), ("0086 13800138000", "13800138000"),
    ("8613800138000", "13800138000"), ("138 0013 8000", "13800138000"), ("19912345678", "19912345678"),
])
def test_mobiles_are_normalised(value, clean):
    assert ids.check_mobile(value) == (clean, None)


@pytest.mark.parametrize("value", ["abc", "12800138000", "1380013800", "138001380001", "+1 13800138000"])
def test_bad_mobiles(value):
    assert ids.check_mobile(value) == (None, "mobile_format")


@pytest.mark.parametrize(("value", "clean"), [
    ("0755-83000000", "0755-83000000"), ("075583000000", "0755-83000000"), ("010-62345678", "010-62345678"),
    ("(0755)83000000转8001", "0755-83000000-8001"), ("0755-83000000-123", "0755-83000000-123"),
    ("0371-6543210", "0371-6543210"), ("+86 755 8300 0000", "0755-83000000"), ("400-820-8820", "400-820-8820"),
    ("0755 8300 0000 ext 12", "0755-83000000-12"),
])
def test_landlines(value, clean):
    assert ids.check_landline(value) == (clean, None)


@pytest.mark.parametrize("value", ["83000000", "0755-0300000", "010-6234567", "0755-830000001", "abc", "0000-1234567"])
def test_bad_landlines(value):
    assert ids.check_landline(value) == (None, "landline_format")


def test_a_phone_is_a_mobile_or_a_landline():
    assert ids.check_phone("13800138000") == ("13800138000", None)
    assert ids.check_phone("0755-83000000") == ("0755-83000000", None)
    assert ids.check_phone("abc") == (None, "phone_format")
    assert ids.check_phone("123") == (None, "phone_format")
