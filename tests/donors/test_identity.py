"""Identity numbers, phones and names (hienmau.donors.identity): plain values, no database."""

import datetime

import pytest
import time_machine

from hienmau.donors import identity
from hienmau.donors.identity import (
    CCCD,
    CMND,
    FEMALE,
    MALE,
    OTHER,
    PASSPORT,
    IdentityError,
    check_cccd,
    decode_cccd,
    format_phone_local,
    mask_id_number,
    mask_phone,
    name_search_key,
    normalize_id_number,
    normalize_person_name,
    normalize_phone,
)


def error_code(func, *args, **kwargs) -> str:
    with pytest.raises(IdentityError) as excinfo:
        func(*args, **kwargs)
    assert excinfo.value.message == str(excinfo.value)
    return excinfo.value.code


# --- Province table ---------------------------------------------------------------------

def test_the_province_table_has_the_63_pre_2025_provinces():
    codes = identity.PROVINCE_CODES
    assert len(codes) == 63
    assert all(len(code) == 3 and code.isdigit() and code.startswith("0") for code in codes)
    assert min(codes) == "001" and max(codes) == "096"
    assert codes["001"] == "Hà Nội"
    assert codes["030"] == "Hải Dương"  # merged into Hải Phòng in 2025, still a valid code
    assert codes["079"] == "Hồ Chí Minh"
    assert codes["096"] == "Cà Mau"


@pytest.mark.parametrize("code", ["000", "003", "009", "013", "097", "098", "099"])
def test_codes_outside_the_table_are_not_provinces(code):
    assert code not in identity.PROVINCE_CODES


# --- CCCD: decoding ---------------------------------------------------------------------

@pytest.mark.parametrize(("number", "province", "sex", "year"), [
    ("001099012345", "001", MALE, 1999),    # last year of the 20th century: digit 0
    ("001199012345", "001", FEMALE, 1999),  # digit 1
    ("001200012345", "001", MALE, 2000),    # 2000 is already the 21st-century digit 2
    ("001300012345", "001", FEMALE, 2000),
    ("079301012345", "079", FEMALE, 2001),  # a woman born in 2001 has digit 3
    ("079000012345", "079", MALE, 1900),
    ("096085012345", "096", MALE, 1985),
])
def test_decode_cccd_reads_province_sex_and_birth_year(number, province, sex, year):
    info = decode_cccd(number)
    assert (info.province_code, info.sex, info.birth_year) == (province, sex, year)


def test_decode_cccd_names_the_province():
    assert decode_cccd("001085012345").province_name == "Hà Nội"
    assert decode_cccd("079085012345").province_name == "Hồ Chí Minh"


@time_machine.travel(datetime.datetime(2400, 6, 1, 12, 0), tick=False)
@pytest.mark.parametrize(("digit", "sex", "year"), [
    ("4", MALE, 2105), ("5", FEMALE, 2105), ("6", MALE, 2205), ("7", FEMALE, 2205),
    ("8", MALE, 2305), ("9", FEMALE, 2305),
])
def test_century_digits_of_later_centuries(digit, sex, year):
    info = decode_cccd(f"001{digit}05012345")
    assert (info.sex, info.birth_year) == (sex, year)


@time_machine.travel(datetime.datetime(2025, 12, 31, 12, 0), tick=False)
def test_a_birth_year_after_the_current_year_is_a_typo():
    assert decode_cccd("001225012345").birth_year == 2025
    assert error_code(decode_cccd, "001226012345") == "cccd_future_birth_year"
    assert error_code(decode_cccd, "001405012345") == "cccd_future_birth_year"


@pytest.mark.parametrize("number", ["099085012345", "000085012345", "003085012345",
                                    "097085012345"])
def test_unknown_province_codes_are_rejected(number):
    with pytest.raises(IdentityError) as excinfo:
        normalize_id_number(number, CCCD)
    assert excinfo.value.code == "cccd_unknown_province"
    assert excinfo.value.field == "id_number"
    assert number[:3] in excinfo.value.message


# --- CCCD: normalizing as typed ---------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "001085012345", " 001085012345 ", "001 085 012 345", "001.085.012.345",
    "001-085-012-345", "1085012345", 1085012345, 1085012345.0, "1085012345.0",
])
def test_cccd_typed_or_spoiled_by_excel_is_one_number(typed):
    assert normalize_id_number(typed, CCCD) == "001085012345"


def test_an_11_digit_cccd_gets_its_leading_zero_back():
    assert normalize_id_number("79085012345", CCCD) == "079085012345"
    assert normalize_id_number(79085012345, CCCD) == "079085012345"


def test_zeros_are_not_added_when_the_number_already_starts_with_zero():
    # 11 digits starting with 0: a digit is missing somewhere, not a dropped leading zero.
    assert error_code(normalize_id_number, "07908501234", CCCD) == "cccd_length"


@pytest.mark.parametrize("typed", ["12345678", "0010850123456", "1234567890123"])
def test_cccd_of_the_wrong_length_is_rejected(typed):
    assert error_code(normalize_id_number, typed, CCCD) == "cccd_length"


def test_a_restored_cccd_must_still_have_a_known_province():
    # 99085012345 → 099085012345: 099 is no province.
    assert error_code(normalize_id_number, "99085012345", CCCD) == "cccd_unknown_province"


def test_nine_digits_given_as_cccd_point_to_cmnd():
    assert error_code(normalize_id_number, "123456789", CCCD) == "cccd_looks_like_cmnd"


@pytest.mark.parametrize("typed", ["00108501234A", "001085/012345", "O01085012345"])
def test_cccd_must_be_digits(typed):
    assert error_code(normalize_id_number, typed, CCCD) == "id_number_not_digits"


@pytest.mark.parametrize("typed", ["7.91E+10", "1,08501E+11", "1.085012E11"])
def test_scientific_notation_from_excel_is_refused_with_advice(typed):
    with pytest.raises(IdentityError) as excinfo:
        normalize_id_number(typed, CCCD)
    assert excinfo.value.code == "id_number_scientific"
    assert "Văn bản" in excinfo.value.message


@pytest.mark.parametrize("doc_type", [CCCD, CMND, PASSPORT, OTHER])
@pytest.mark.parametrize("typed", ["", "   ", None, " . - "])
def test_an_empty_number_is_required(doc_type, typed):
    assert error_code(normalize_id_number, typed, doc_type) == "id_number_required"


def test_an_unknown_document_type_is_a_programming_error():
    with pytest.raises(ValueError):
        normalize_id_number("001085012345", "cmt")


# --- CMND, passport, other --------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("123456789", "123456789"),
    ("012345678", "012345678"),      # Hà Nội CMND start with 01
    ("12345678", "012345678"),       # …and lose that 0 in a spreadsheet
    ("123 456 789", "123456789"),
    ("001085012345", "001085012345"),  # 12-digit CMND of the transition years
    ("1085012345", "001085012345"),
    ("79085012345", "079085012345"),
])
def test_cmnd_of_9_and_12_digits_is_accepted(typed, stored):
    assert normalize_id_number(typed, CMND) == stored


@pytest.mark.parametrize("typed", ["1234567", "01234567", "0123456789", "1234567890123"])
def test_cmnd_of_another_length_is_rejected(typed):
    assert error_code(normalize_id_number, typed, CMND) == "cmnd_length"


@pytest.mark.parametrize(("typed", "stored"), [
    ("C1234567", "C1234567"), ("c 123 4567", "C1234567"), ("N-1234567", "N1234567"),
    ("123456", "123456"), ("AB1234567", "AB1234567"),
])
def test_passports_are_upper_cased_letters_and_digits(typed, stored):
    assert normalize_id_number(typed, PASSPORT) == stored


@pytest.mark.parametrize("typed", ["C1234", "AB12345678", "C123456/7", "Đ1234567"])
def test_malformed_passports_are_rejected(typed):
    assert error_code(normalize_id_number, typed, PASSPORT) == "passport_invalid"


def test_other_documents_are_kept_nearly_as_typed():
    assert normalize_id_number(" sv-2021/0457 ", OTHER) == "SV2021/0457"
    assert normalize_id_number("x" * 30, OTHER) == "X" * 30
    assert error_code(normalize_id_number, "x" * 31, OTHER) == "id_number_too_long"


# --- CCCD against the record ------------------------------------------------------------

def test_check_cccd_returns_nothing_when_everything_agrees():
    assert check_cccd("001085012345") == []
    assert check_cccd("001185012345", birth_date=datetime.date(1985, 12, 31),
                      birth_year=1985, sex=FEMALE) == []
    assert check_cccd("079301012345", birth_date=datetime.date(2001, 1, 1), sex=FEMALE) == []
    assert check_cccd("001200012345", birth_year=2000, sex=MALE) == []
    assert check_cccd("001085012345", sex="") == []  # sex not recorded


def test_check_cccd_names_a_birth_date_in_another_year():
    assert check_cccd("001085012345", birth_date=datetime.date(1986, 1, 1)) == [
        "Số CCCD cho biết năm sinh 1985, nhưng ngày sinh ghi năm 1986."]


def test_check_cccd_names_a_birth_year_that_disagrees():
    assert check_cccd("001085012345", birth_year=1984) == [
        "Số CCCD cho biết năm sinh 1985, nhưng hồ sơ ghi năm sinh 1984."]


def test_century_digit_decides_the_year_not_the_last_two_digits():
    # 99 with digit 2 is 2099, not 1999; 00 with digit 0 is 1900, not 2000.
    with time_machine.travel(datetime.datetime(2100, 1, 1, 12, 0), tick=False):
        assert check_cccd("001299012345", birth_year=1999) == [
            "Số CCCD cho biết năm sinh 2099, nhưng hồ sơ ghi năm sinh 1999."]
    assert check_cccd("001000012345", birth_year=2000) == [
        "Số CCCD cho biết năm sinh 1900, nhưng hồ sơ ghi năm sinh 2000."]


def test_birth_year_repeating_the_birth_date_is_reported_once():
    assert check_cccd("001085012345", birth_date=datetime.date(1986, 5, 5),
                      birth_year=1986) == [
        "Số CCCD cho biết năm sinh 1985, nhưng ngày sinh ghi năm 1986."]


def test_birth_date_and_birth_year_are_each_checked_when_they_differ():
    assert check_cccd("001085012345", birth_date=datetime.date(1985, 5, 5),
                      birth_year=1986) == [
        "Số CCCD cho biết năm sinh 1985, nhưng hồ sơ ghi năm sinh 1986."]


@pytest.mark.parametrize(("number", "sex", "message"), [
    ("001185012345", MALE, "Số CCCD cho biết giới tính nữ, nhưng hồ sơ ghi nam."),
    ("079301012345", MALE, "Số CCCD cho biết giới tính nữ, nhưng hồ sơ ghi nam."),
    ("001085012345", FEMALE, "Số CCCD cho biết giới tính nam, nhưng hồ sơ ghi nữ."),
    ("001200012345", FEMALE, "Số CCCD cho biết giới tính nam, nhưng hồ sơ ghi nữ."),
])
def test_check_cccd_names_a_sex_that_disagrees(number, sex, message):
    assert check_cccd(number, sex=sex) == [message]


def test_check_cccd_lists_every_disagreement():
    assert check_cccd("001185012345", birth_date=datetime.date(1986, 1, 1), sex=MALE) == [
        "Số CCCD cho biết năm sinh 1985, nhưng ngày sinh ghi năm 1986.",
        "Số CCCD cho biết giới tính nữ, nhưng hồ sơ ghi nam.",
    ]


def test_check_cccd_accepts_the_number_as_typed():
    assert check_cccd("1 185 012 345", birth_year=1985, sex=FEMALE) == []


def test_check_cccd_refuses_an_invalid_number():
    assert error_code(check_cccd, "099085012345", birth_year=1985) == "cccd_unknown_province"


def test_check_cccd_refuses_an_unknown_sex_value():
    with pytest.raises(ValueError):
        check_cccd("001085012345", sex="nam")


# --- Phones -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "0912345678", "+84912345678", "+84 912 345 678", "84912345678", "0912.345.678",
    "0912 345 678", "0912-345-678", "(+84) 912 345 678", "+84 (0) 912 345 678",
    "0084 912 345 678", "912345678", 912345678, 912345678.0, " 0912345678\t",
])
def test_phone_forms_are_one_number(typed):
    assert normalize_phone(typed) == "+84912345678"


def test_a_9_digit_number_starting_with_84_is_a_084_mobile_without_its_zero():
    assert normalize_phone("843456789") == "+84843456789"
    assert normalize_phone("84843456789") == "+84843456789"


@pytest.mark.parametrize(("old", "new"), [
    ("0120", "070"), ("0121", "079"), ("0122", "077"), ("0126", "076"), ("0128", "078"),
    ("0123", "083"), ("0124", "084"), ("0125", "085"), ("0127", "081"), ("0129", "082"),
    ("0162", "032"), ("0163", "033"), ("0164", "034"), ("0165", "035"), ("0166", "036"),
    ("0167", "037"), ("0168", "038"), ("0169", "039"),
    ("0186", "056"), ("0188", "058"), ("0199", "059"),
])
def test_every_old_11_digit_prefix_is_converted(old, new):
    expected = "+84" + new[1:] + "2345678"
    assert normalize_phone(old + "2345678") == expected
    assert normalize_phone(f"{old[:4]}.234.5678") == expected
    assert normalize_phone("+84" + old[1:] + "2345678") == expected
    assert normalize_phone("84" + old[1:] + "2345678") == expected
    assert normalize_phone(old[1:] + "2345678") == expected  # leading 0 lost in Excel


def test_the_conversion_table_is_exactly_the_21_published_prefixes():
    assert len(identity.OLD_MOBILE_PREFIXES) == 21
    assert set(identity.OLD_MOBILE_PREFIXES) == {
        "0120", "0121", "0122", "0123", "0124", "0125", "0126", "0127", "0128", "0129",
        "0162", "0163", "0164", "0165", "0166", "0167", "0168", "0169", "0186", "0188", "0199"}


@pytest.mark.parametrize("typed", ["01612345678", "01872345678", "01302345678"])
def test_unconverted_11_digit_prefixes_are_not_numbers(typed):
    assert error_code(normalize_phone, typed) == "phone_invalid"


def test_landlines_are_accepted_unless_a_mobile_is_required():
    assert normalize_phone("024 3826 1234") == "+842438261234"
    assert normalize_phone("2438261234") == "+842438261234"  # leading 0 lost
    assert normalize_phone("+84 24 3826 1234") == "+842438261234"
    assert error_code(normalize_phone, "024 3826 1234", mobile_only=True) == "phone_not_mobile"
    assert normalize_phone("0912345678", mobile_only=True) == "+84912345678"


@pytest.mark.parametrize("typed", [
    "091234567", "09123456789", "0112345678", "12345", "0", "1800 1234", "1900 1234",
    "84912345", "8491234567890", "0912 345 678 / 0987 654 321",
])
def test_things_that_are_not_vietnamese_phone_numbers_are_refused(typed):
    with pytest.raises(IdentityError) as excinfo:
        normalize_phone(typed)
    assert excinfo.value.code == "phone_invalid"
    assert excinfo.value.field == "phone"


def test_the_invalid_phone_message_quotes_the_input_and_shows_the_expected_form():
    with pytest.raises(IdentityError) as excinfo:
        normalize_phone("091234567")
    assert "091234567" in excinfo.value.message
    assert "0912 345 678" in excinfo.value.message


def test_letters_in_a_phone_are_refused():
    assert error_code(normalize_phone, "0912 abc 678") == "phone_invalid"
    assert error_code(normalize_phone, "09+12345678") == "phone_invalid"


def test_foreign_numbers_are_refused():
    assert error_code(normalize_phone, "+1 202 555 0100") == "phone_not_vietnamese"
    assert error_code(normalize_phone, "+856 20 5555 1234") == "phone_not_vietnamese"


@pytest.mark.parametrize("typed", ["", "  ", None, "..."])
def test_a_phone_is_required(typed):
    assert error_code(normalize_phone, typed) == "phone_required"


@pytest.mark.parametrize(("e164", "local"), [
    ("+84912345678", "0912 345 678"),
    ("+84389123456", "0389 123 456"),
    ("+842438261234", "024 3826 1234"),
])
def test_format_phone_local(e164, local):
    assert format_phone_local(e164) == local


def test_format_phone_local_refuses_garbage():
    assert error_code(format_phone_local, "not a phone") == "phone_invalid"


# --- Masks ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "masked"), [
    ("+84912345678", "0912 *** 678"),
    ("0912.345.678", "0912 *** 678"),
    ("+842438261234", "024 **** 1234"),
    ("garbage 12345", "***345"),
    ("12", "**"),
    ("", ""),
    (None, ""),
])
def test_mask_phone_hides_the_middle(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(("value", "masked"), [
    ("001085012345", "********2345"),
    ("001 085 012 345", "********2345"),
    ("123456789", "*****6789"),
    ("C1234567", "****4567"),
    ("12345", "*2345"),
    ("1234", "****"),  # showing all of it would show the whole number
    ("", ""),
    (None, ""),
])
def test_mask_id_number_keeps_only_the_last_four(value, masked):
    assert mask_id_number(value) == masked


def test_a_masked_cccd_reveals_neither_province_nor_sex_nor_year():
    masked = mask_id_number("079301012345")
    assert "079" not in masked and "3010" not in masked
    assert masked.endswith("2345") and masked.count("*") == 8


# --- Names ------------------------------------------------------------------------------

NFD_NAME = "Nguye\u0302\u0303n Va\u0306n Hu\u0300ng"  # as some phones and spreadsheets send it


def test_person_names_are_kept_as_written_in_nfc_with_single_spaces():
    assert normalize_person_name(NFD_NAME) == "Nguyễn Văn Hùng"
    assert normalize_person_name("  Nguyễn   Văn\tHùng ") == "Nguyễn Văn Hùng"


@pytest.mark.parametrize("name", ["NGUYỄN VĂN HÙNG", "nguyễn văn hùng", "H'Hen Niê",
                                  "Ksor H'Luy", "John McCain"])
def test_the_case_of_a_name_is_not_changed(name):
    assert normalize_person_name(name) == name


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_a_name_is_required(typed):
    assert error_code(normalize_person_name, typed) == "name_required"


@pytest.mark.parametrize("typed", ["0912345678", "Nguyễn Văn 2"])
def test_a_name_with_digits_is_a_shifted_column(typed):
    assert error_code(normalize_person_name, typed) == "name_has_digits"


def test_name_search_key_ignores_case_diacritics_and_punctuation():
    key = name_search_key("Nguyễn Văn Hùng")
    assert key == "nguyen van hung"
    assert name_search_key("NGUYỄN  VĂN HÙNG") == key
    assert name_search_key(NFD_NAME) == key
    assert name_search_key("Đặng Thị Mỹ") == "dang thi my"
    assert name_search_key("H'Hen Niê") == "h hen nie"


def test_phone_validity_agrees_with_libphonenumber():
    """`normalize_phone` matches libphonenumber's VN patterns directly (for speed): it
    must accept exactly the numbers libphonenumber calls valid mobile or fixed lines."""
    import random

    import phonenumbers

    from hienmau.donors import identity

    kinds = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
             phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    rng = random.Random(7)
    for _ in range(20000):
        national = "0" + str(rng.randint(10**7, 10**10 - 1))
        parsed = phonenumbers.parse(national, "VN")
        expected = (phonenumbers.is_valid_number_for_region(parsed, "VN")
                    and phonenumbers.number_type(parsed) in kinds)
        try:
            result = identity.normalize_phone(national)
        except identity.IdentityError:
            result = None
        if len(national) == 11 and national[:4] in identity.OLD_MOBILE_PREFIXES:
            continue  # old 11-digit mobiles are mapped to today's numbers first
        assert (result is not None) == expected, national
        if expected:
            assert result == phonenumbers.format_number(parsed,
                                                        phonenumbers.PhoneNumberFormat.E164)
