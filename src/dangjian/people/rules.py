"""Rules about people: the resident ID number (GB 11643-1999). Pure functions, no ORM."""

import datetime as dt
import re

from dangjian.core.halfwidth import halfwidth

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")
# A mainland mobile number, as the roster and the registry forms take it.
PHONE = re.compile(r"^1\d{10}$")
PHONE_MESSAGE = "手机号应为以 1 开头的 11 位数字"
# A fictitious region code used for demo and test people (no real person has it).
FICTITIOUS_REGION = "990101"


class InvalidIdNumber(ValueError):
    pass


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    """Trimmed, upper case, full-width digits and Ｘ made plain (a Chinese input method
    types １２３ and ｘ)."""
    return halfwidth(value or "").strip().upper()


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character number, or raise with a Chinese reason."""
    number = normalize_id_number(value)
    if not _PATTERN.match(number):
        raise InvalidIdNumber("身份证号须为18位（前17位为数字，末位为数字或X）")
    try:
        birth_date_from_id(number)
    except ValueError as exc:
        raise InvalidIdNumber("身份证号中的出生日期无效") from exc
    if id_check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号校验位不正确")
    return number


EXCEL_NUMBER_MESSAGE = (
    "身份证号被 Excel 存成了数字：Excel 只保留 15 位有效数字，后几位已变成 0 或科学计数法，"
    "无法还原真实号码。请把该列设置为“文本”格式（或在号码前加英文单引号 '）后重新填写"
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def id_number_from_cell(value) -> str:
    """The ID number of a spreadsheet cell. A number cell is refused, whatever it holds:
    Excel keeps 15 significant digits, so an 18-digit number stored as a number has lost
    its last digits (even when the rounded number happens to pass the checksum); so is
    text in scientific notation, what such a cell shows when copied."""
    if isinstance(value, bool):
        raise InvalidIdNumber("身份证号须为18位（前17位为数字，末位为数字或X）")
    if isinstance(value, int | float):
        raise InvalidIdNumber(EXCEL_NUMBER_MESSAGE)
    text = normalize_id_number(str(value) if value is not None else "")
    if _SCIENTIFIC.match(text):
        raise InvalidIdNumber(EXCEL_NUMBER_MESSAGE)
    return validate_id_number(text)


def birth_date_from_id(number: str) -> dt.date:
    return dt.datetime.strptime(number[6:14], "%Y%m%d").date()


def gender_from_id(number: str) -> str:
    return "male" if int(number[16]) % 2 == 1 else "female"


def make_id_number(
    birth: dt.date, gender: str, serial: int, region: str = FICTITIOUS_REGION
) -> str:
    """A checksum-valid number for fictitious people: serial 1–999, odd digit for men."""
    sequence = serial % 100
    sex_digit = (serial // 100) % 5 * 2 + (1 if gender == "male" else 0)
    body = f"{region}{birth:%Y%m%d}{sequence:02d}{sex_digit}"
    return body + id_check_char(body)
