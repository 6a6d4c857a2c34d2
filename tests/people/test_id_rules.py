import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.masking import mask_id_number, mask_phone
from dangjian.people.rules import (
    InvalidIdNumber,
    birth_date_from_id,
    gender_from_id,
    make_id_number,
    validate_id_number,
)


@pytest.mark.parametrize(
    "number, expected",
    [
        ("11010519491231002X", "11010519491231002X"),  # GB 11643 standard's own example
        ("11010519491231002x", "11010519491231002X"),  # lower-case x is normalised
        (" 440524188001010014 ", "440524188001010014"),  # surrounding spaces dropped
        # Typed with a Chinese input method: full-width digits, Ｘ or ｘ, an ideographic space.
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("　１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
    ],
)
def test_valid_numbers(number, expected):
    assert validate_id_number(number) == expected


@pytest.mark.parametrize(
    "number, reason",
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "须为18位"),
        ("1101051949123100211", "须为18位"),
        ("11010519491331002X", "出生日期无效"),  # month 13
        ("11010519490230002X", "出生日期无效"),  # 30 February
        ("A1010519491231002X", "须为18位"),
        ("", "须为18位"),
    ],
)
def test_invalid_numbers_say_why(number, reason):
    with pytest.raises(InvalidIdNumber, match=reason):
        validate_id_number(number)


def test_birth_date_and_gender_come_from_the_number():
    assert birth_date_from_id("11010519491231002X") == dt.date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "female"  # 17th digit 2 is even
    assert gender_from_id("440524188001010014") == "male"


@given(
    birth=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2008, 12, 31)),
    gender=st.sampled_from(["male", "female"]),
    serial=st.integers(min_value=0, max_value=999),
)
def test_generated_numbers_are_valid_and_carry_birth_and_gender(birth, gender, serial):
    number = make_id_number(birth, gender, serial)
    assert validate_id_number(number) == number
    assert birth_date_from_id(number) == birth
    assert gender_from_id(number) == gender


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_exactly_one_check_character_is_accepted(first17, check):
    number = first17 + check
    try:
        birth_date_from_id(number)
    except ValueError:
        return
    from dangjian.people.rules import id_check_char

    accepted = True
    try:
        validate_id_number(number)
    except InvalidIdNumber:
        accepted = False
    assert accepted == (id_check_char(first17) == check)


def test_masking_hides_birth_date_and_middle_digits():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_id_number("") == "" and mask_phone(None) == ""
