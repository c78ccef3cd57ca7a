"""Chinese identifiers a form may ask for: ID numbers of each document type, phones, 统一社会信用代码.

Pure functions. Each ``check_*`` returns ``(normalised value, None)`` when the value is acceptable, or
``(None, kind)`` with the kind of the problem (a key of ``api/i18n.py`` FIELD_MESSAGES). Masked values
(a form shown masked and submitted again, e.g. ``440304********1234``) are not checked here; the caller
passes them through.

The rules:

- 居民身份证 (GB 11643-1999): 18 characters, 17 digits and a check character (ISO 7064 MOD 11-2, ``X`` for 10);
  the first two digits a province-level area code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65), the birth
  date (digits 7–14) a real date from 1900 to today. The old 15-digit numbers expired in 2013 and are refused.
- 港澳台居民居住证: the same 18-character form with the area code 810000 (Hong Kong), 820000 (Macao) or
  830000 (Taiwan).
- 外国人永久居留身份证: the 2023 card, 18 digits beginning with 9 with the GB 11643 check character and the
  birth date at digits 7–14; or the 2017 card, 3 letters (the nationality) and 12 digits.
- 护照: 5 to 17 letters and digits with at least one digit (any country; a Chinese passport is E, G, D, S or P
  followed by 8 characters).
- 港澳居民来往内地通行证 (回乡证): H (Hong Kong) or M (Macao) and 8 digits, or 10 digits on the older cards.
- 台湾居民来往大陆通行证 (台胞证): 8 digits, or 10 on the older cards.
- 统一社会信用代码 (GB 32100-2015): 18 characters from ``0-9 A-H J-N P-R T U W-Y``; the registration authority
  (first character: 1–9, A–G or Y), the area code (characters 3–8, digits), and the check character
  (MOD 31 with the weights 3^i mod 31).
- Mobile: ``1[3-9]`` and 9 digits; spaces, dashes, dots, brackets and a ``+86`` / ``0086`` / ``86`` prefix are
  removed (``+86 138-0013-8000`` → ``13800138000``).
- Landline: an area code (``010``, ``02x`` with 8 digits; ``03xx``–``09xx`` with 7 or 8), the local number not
  starting with 0 or 1, an optional extension (``-``, ``转``, ``ext`` or ``x`` and 1–6 digits); written
  ``0755-83000000`` (``-123`` for an extension). ``+86 755 8300 0000`` gains its leading 0. The national service
  numbers 400/800 and 10 digits are accepted as ``400-xxx-xxxx``.
"""

from __future__ import annotations

import re
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
     61, 62, 63, 64, 65])
RESIDENCE_PERMIT_AREAS = ("810000", "820000", "830000")
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_AUTHORITIES = "123456789ABCDEFGY"

# The id_type values of the packaged forms and what each is checked as.
ID_TYPES = ("resident_id", "passport", "hk_macao_permit", "taiwan_permit", "residence_permit",
            "foreign_permanent_id", "uscc", "other")

_SEPARATORS = re.compile(r"[\s\-–—.()（）]")


def _compact(value: str) -> str:
    return "".join(str(value).split()).upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _birth_date_ok(digits: str, today: date | None) -> bool:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= (today or date.today())


def _eighteen(value: str, today: date | None) -> tuple[str | None, str | None]:
    """The shared checks of the 18-character GB 11643 numbers: form, birth date, check character."""
    v = _compact(value)
    if len(v) == 15 and v.isdigit():
        return None, "id_old_15"
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return None, "id_format"
    if not _birth_date_ok(v[6:14], today):
        return None, "id_birth_date"
    if id_check_char(v[:17]) != v[17]:
        return None, "id_check_digit"
    return v, None


def check_resident_id(value: str, today: date | None = None) -> tuple[str | None, str | None]:
    """居民身份证: 18 characters, a province code, a real birth date, the check character."""
    v = _compact(value)
    if re.fullmatch(r"\d{17}[\dX]", v) and int(v[:2]) not in PROVINCES:
        return None, "id_area"
    return _eighteen(v, today)


def check_residence_permit(value: str, today: date | None = None) -> tuple[str | None, str | None]:
    """港澳台居民居住证: as a resident ID with the area 810000, 820000 or 830000."""
    v = _compact(value)
    if re.fullmatch(r"\d{17}[\dX]", v) and v[:6] not in RESIDENCE_PERMIT_AREAS:
        return None, "id_area"
    return _eighteen(v, today)


def check_foreign_permanent_id(value: str, today: date | None = None) -> tuple[str | None, str | None]:
    """外国人永久居留身份证: the 2023 card (9 + 17, GB 11643 check) or the 2017 card (3 letters + 12 digits)."""
    v = _compact(value)
    if re.fullmatch(r"[A-Z]{3}\d{12}", v):
        return v, None
    if re.fullmatch(r"9\d{16}[\dX]", v):
        return _eighteen(v, today)
    return None, "foreign_id_format"


def check_passport(value: str) -> tuple[str | None, str | None]:
    v = _compact(value)
    if re.fullmatch(r"[A-Z0-9]{5,17}", v) and re.search(r"\d", v):
        return v, None
    return None, "passport_format"


def check_hk_macao_permit(value: str) -> tuple[str | None, str | None]:
    v = _compact(value)
    if re.fullmatch(r"[HM]\d{8}(\d{2})?", v):
        return v, None
    return None, "hk_macao_permit_format"


def check_taiwan_permit(value: str) -> tuple[str | None, str | None]:
    v = _compact(value)
    if re.fullmatch(r"\d{8}(\d{2})?", v):
        return v, None
    return None, "taiwan_permit_format"


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def check_uscc(value: str) -> tuple[str | None, str | None]:
    """统一社会信用代码: 18 characters of its alphabet, authority, area code, check character."""
    v = _compact(value)
    if len(v) != 18 or any(c not in USCC_CHARS for c in v) or v[0] not in USCC_AUTHORITIES \
            or not v[2:8].isdigit():
        return None, "uscc_format"
    if uscc_check_char(v[:17]) != v[17]:
        return None, "uscc_check"
    return v, None


def check_id_number(id_type: str | None, value: str, today: date | None = None) -> tuple[str | None, str | None]:
    """An ID number checked by its document type; an unknown or missing type ("other") only by length."""
    checks = {"resident_id": check_resident_id, "residence_permit": check_residence_permit,
              "foreign_permanent_id": check_foreign_permanent_id}
    if id_type in checks:
        return checks[id_type](value, today)
    simple = {"passport": check_passport, "hk_macao_permit": check_hk_macao_permit,
              "taiwan_permit": check_taiwan_permit, "uscc": check_uscc}
    if id_type in simple:
        return simple[id_type](value)
    v = str(value).strip()
    return (v, None) if 2 <= len(v) <= 64 else (None, "id_format")


def _strip_country(digits: str) -> str:
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix):]
    return digits


def check_mobile(value: str) -> tuple[str | None, str | None]:
    """A mainland mobile number, normalised to its 11 digits."""
    v = _strip_country(_SEPARATORS.sub("", str(value)))
    if len(v) == 13 and v.startswith("86"):
        v = v[2:]
    if re.fullmatch(r"1[3-9]\d{9}", v):
        return v, None
    return None, "mobile_format"


_EXTENSION = re.compile(r"^(?P<main>.*?)(?:\s*(?:转|ext\.?|x|#|-)\s*(?P<ext>\d{1,6}))?$", re.IGNORECASE)


def _landline(main: str) -> str | None:
    digits = _strip_country(_SEPARATORS.sub("", main))
    if digits.startswith("+"):
        return None
    if main.strip().startswith("+86") and digits[:1] != "0":
        digits = "0" + digits
    if re.fullmatch(r"[48]00\d{7}", digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    m = re.fullmatch(r"(010|02\d)([2-9]\d{7})", digits) or re.fullmatch(r"(0[3-9]\d\d)([2-9]\d{6,7})", digits)
    return f"{m[1]}-{m[2]}" if m else None


def check_landline(value: str) -> tuple[str | None, str | None]:
    """A fixed-line number with its area code (and an optional extension), as ``0755-83000000-123``."""
    text = str(value).strip()
    whole = _landline(text)
    if whole:
        return whole, None
    m = _EXTENSION.match(text)
    if m and m["ext"]:
        main = _landline(m["main"])
        if main:
            return f"{main}-{m['ext']}", None
    return None, "landline_format"


def check_phone(value: str) -> tuple[str | None, str | None]:
    """A mobile or a landline number."""
    mobile, _ = check_mobile(value)
    if mobile:
        return mobile, None
    landline, _ = check_landline(value)
    if landline:
        return landline, None
    return None, "phone_format"
