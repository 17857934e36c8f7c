"""Donor eligibility (TT 26/2013/TT-BYT Điều 4, 6): every rule at its boundaries.

Plain values only: no database, no clock. Dates are written as in the messages (dd/mm/yyyy).
"""

import dataclasses
import datetime
import json
import pickle
from decimal import Decimal

import pytest
from django.utils import translation

from hienmau.donors.eligibility import (
    Deferral,
    DonationType,
    Outcome,
    PastDonation,
    Person,
    age_on,
    age_window,
    assess,
    birthday,
)
from hienmau.donors.rules import DEFAULT_RULESET, RuleSet, RuleSetError

WB = DonationType.WHOLE_BLOOD
RBC = DonationType.RED_CELLS_APHERESIS
PLT = DonationType.PLATELETS_APHERESIS
PLASMA = DonationType.PLASMA_APHERESIS
GRAN = DonationType.GRANULOCYTES_APHERESIS
EXCLUDED_MESSAGE = "Không đủ điều kiện hiến máu; liên hệ đơn vị tiếp nhận máu."


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def d(text: str) -> datetime.date:
    """'15/06/2025' → date: the tests read like the messages."""
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def plus(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


ADULT = Person(birth_date=d("01/01/1990"), sex="M", weight_kg=Decimal("65"))
WOMAN = Person(birth_date=d("01/01/1990"), sex="F", weight_kg=Decimal("55"))
TODAY = d("01/06/2025")


def check(person=ADULT, history=(), deferrals=(), on=TODAY, kind=WB, **kwargs):
    return assess(person, history, deferrals, on, kind, **kwargs)


# --- Intervals (Điều 6) ---------------------------------------------------------------


@pytest.mark.parametrize(("last_type", "days"), [(WB, 84), (RBC, 84), (PLT, 14), (PLASMA, 14)])
def test_the_interval_ends_exactly_on_the_next_eligible_date(last_type, days):
    last = d("01/03/2025")
    history = [PastDonation(last, last_type)]
    day_before = check(history=history, on=plus(last, days - 1))
    assert not day_before.eligible
    assert day_before.codes == ["interval"]
    assert day_before.next_eligible_date == plus(last, days)
    assert check(history=history, on=plus(last, days)).eligible


def test_whole_blood_interval_message_names_dates_days_and_type():
    result = check(history=[PastDonation(d("01/03/2025"), WB)], on=d("01/04/2025"))
    assert result.reasons[0].message == (
        "Lần hiến gần nhất ngày 01/03/2025 (máu toàn phần) chưa đủ 84 ngày; "
        "có thể hiến lại từ ngày 24/05/2025.")
    assert result.reasons[0].lifts_on == d("24/05/2025")


def test_the_type_of_the_last_donation_decides_the_interval():
    # Whole blood, then platelets 90 days later: 14 days after the platelets, whole blood
    # is allowed again (Điều 6 khoản 4), even though the platelets came first in time.
    history = [PastDonation(d("01/01/2025"), WB), PastDonation(d("01/04/2025"), PLT)]
    assert not check(history=history, on=d("14/04/2025"), kind=WB).eligible
    assert check(history=history, on=d("15/04/2025"), kind=WB).eligible
    # Platelets, then whole blood: platelets now wait the 84 days of whole blood.
    history = [PastDonation(d("01/01/2025"), PLT), PastDonation(d("01/02/2025"), WB)]
    result = check(history=history, on=d("01/04/2025"), kind=PLT)
    assert result.codes == ["interval"]
    assert result.next_eligible_date == plus(d("01/02/2025"), 84)


def test_deferred_and_incomplete_donations_do_not_start_an_interval():
    history = [PastDonation(d("01/01/2025"), WB),
               PastDonation(d("20/05/2025"), WB, Outcome.DEFERRED),
               PastDonation(d("25/05/2025"), WB, "incomplete")]
    result = check(history=history, on=d("01/06/2025"))
    assert result.eligible
    assert result.next_eligible_date == d("01/06/2025")


def test_donations_after_the_assessed_day_are_ignored():
    history = [PastDonation(d("10/06/2025"), WB)]
    assert check(history=history, on=d("01/06/2025")).eligible


def test_plain_strings_are_accepted_for_types_and_outcomes():
    history = [PastDonation(d("01/05/2025"), "platelets_apheresis", "collected")]
    assert check(history=history, on=d("10/05/2025"), kind="whole_blood").codes == ["interval"]


def test_granulocytes_at_most_three_times_in_seven_days():
    first = d("01/05/2025")
    history = [PastDonation(plus(first, n), GRAN) for n in (0, 2, 4)]
    full = check(history=history, on=plus(first, 6), kind=GRAN)
    assert full.codes == ["apheresis_frequency"]
    assert full.next_eligible_date == plus(first, 7)  # the first one has left the window
    assert "3 lần trong 7 ngày" in full.reasons[0].message
    assert check(history=history, on=plus(first, 7), kind=GRAN).eligible
    assert check(history=history[:2], on=plus(first, 4), kind=GRAN).eligible


def test_granulocytes_set_no_interval_for_the_next_donation():
    # Our reading of Điều 6 khoản 3–4: after granulocytes only the frequency rule applies.
    history = [PastDonation(d("01/05/2025"), GRAN)]
    assert check(history=history, on=d("02/05/2025"), kind=WB).eligible


# --- Weight and volume (Điều 4 khoản 2) -----------------------------------------------


@pytest.mark.parametrize(("sex", "kg", "eligible", "ml"), [
    ("F", "41.9", False, None),
    ("F", "42", True, 250),
    ("F", "44.9", True, 250),
    ("F", "45", True, 350),  # 9 × 45 = 405 ml: 350, not 450
    ("M", "44", False, None),
    ("M", "44.9", False, None),
    ("M", "45", True, 350),
    ("M", "49.9", True, 350),  # 449 ml
    ("M", "50", True, 450),  # 450 ml
    ("M", "55.9", True, 450),
    ("M", "56", True, 450),  # 504 ml, capped at 500
    ("F", "60", True, 450),
])
def test_whole_blood_weight_and_largest_bag(sex, kg, eligible, ml):
    person = Person(birth_date=d("01/01/1990"), sex=sex, weight_kg=Decimal(kg))
    result = check(person=person)
    assert result.eligible is eligible
    assert result.codes == ([] if eligible else ["under_weight"])
    assert result.max_whole_blood_ml == ml


def test_under_weight_message_uses_the_decimal_comma_and_the_minimum_for_the_sex():
    result = check(person=dataclasses.replace(WOMAN, weight_kg=41.9))  # a float is fine
    assert result.reasons[0].message == (
        "Cân nặng 41,9 kg chưa đạt mức tối thiểu 42 kg đối với nữ để hiến máu toàn phần.")


@pytest.mark.parametrize(("kg", "eligible", "ml"), [
    ("49.9", False, None), ("50", True, 500), ("59.9", True, 500), ("60", True, 650)])
def test_apheresis_needs_fifty_kilograms_and_allows_more_from_sixty(kg, eligible, ml):
    for kind in (RBC, PLT, PLASMA, GRAN):
        result = check(person=dataclasses.replace(ADULT, weight_kg=Decimal(kg)), kind=kind)
        assert result.codes == ([] if eligible else ["apheresis_weight"])
        assert result.max_apheresis_ml == ml


def test_unknown_weight_is_a_warning_not_a_reason():
    result = check(person=dataclasses.replace(ADULT, weight_kg=None))
    assert result.eligible
    assert result.max_whole_blood_ml is None
    assert [w.code for w in result.warnings] == ["weight_unknown"]


def test_unknown_sex_applies_the_higher_minimum_weight():
    result = check(person=Person(birth_date=d("01/01/1990"), weight_kg=Decimal("43")))
    assert result.codes == ["under_weight"]
    assert result.max_whole_blood_ml is None
    assert [w.code for w in result.warnings] == ["sex_unknown"]


# --- Age (Điều 4 khoản 1) --------------------------------------------------------------


def test_eighteenth_birthday_is_the_first_eligible_day():
    person = dataclasses.replace(ADULT, birth_date=d("15/06/2007"))
    day_before = check(person=person, on=d("14/06/2025"))
    assert day_before.codes == ["too_young"]
    assert day_before.next_eligible_date == d("15/06/2025")
    assert "15/06/2025" in day_before.reasons[0].message
    assert check(person=person, on=d("15/06/2025")).eligible


def test_born_on_29_february_turns_older_on_1_march_in_common_years():
    born = d("29/02/2008")
    assert birthday(born, 2026) == d("01/03/2026")
    assert age_on(born, d("28/02/2026")) == 17
    assert age_on(born, d("01/03/2026")) == 18
    person = dataclasses.replace(ADULT, birth_date=born)
    assert check(person=person, on=d("28/02/2026")).next_eligible_date == d("01/03/2026")
    assert check(person=person, on=d("01/03/2026")).eligible


def test_eligible_up_to_sixty_years_and_364_days_by_default():
    person = dataclasses.replace(ADULT, birth_date=d("15/06/1965"))
    assert check(person=person, on=d("14/06/2026")).eligible  # 60 years 364 days
    too_old = check(person=person, on=d("15/06/2026"))  # 61st birthday
    assert too_old.codes == ["too_old"]
    assert too_old.next_eligible_date is None


def test_a_rule_set_with_max_age_65_accepts_a_61_year_old():
    rules = dataclasses.replace(DEFAULT_RULESET, code="local-65", max_age_years=65)
    person = dataclasses.replace(ADULT, birth_date=d("15/06/1965"))
    result = check(person=person, on=d("15/06/2026"), rules=rules)
    assert result.eligible
    assert result.ruleset_code == "local-65"
    assert check(person=person, on=d("15/06/2031"), rules=rules).codes == ["too_old"]


def test_birth_year_only_is_read_conservatively_with_a_warning():
    young = Person(birth_year=2007, sex="M", weight_kg=Decimal("60"))
    result = check(person=young, on=d("30/12/2025"))  # assumed born 31/12/2007
    assert result.codes == ["too_young"]
    assert result.next_eligible_date == d("31/12/2025")
    assert [w.code for w in result.warnings] == ["birth_year_only"]
    old = dataclasses.replace(young, birth_year=1965)  # assumed born 01/01/1965
    assert check(person=old, on=d("31/12/2025")).eligible
    assert check(person=old, on=d("01/01/2026")).codes == ["too_old"]


def test_age_window_is_the_days_the_age_allows():
    assert age_window(d("29/02/2008"), None, DEFAULT_RULESET) == (d("01/03/2026"),
                                                                  d("01/03/2069"))
    # Year only: adult from 31/12 of year + 18, too old from 01/01 of year + 61.
    assert age_window(None, 2007, DEFAULT_RULESET) == (d("31/12/2025"), d("01/01/2068"))
    assert age_window(None, None, DEFAULT_RULESET) is None


def test_unknown_birth_date_is_a_warning_to_check_the_id():
    result = check(person=dataclasses.replace(ADULT, birth_date=None))
    assert result.eligible
    assert [w.code for w in result.warnings] == ["birth_date_unknown"]


# --- Deferrals and exclusions ----------------------------------------------------------


def test_temporary_deferral_ends_on_its_until_date_and_hides_its_reason():
    tattoo = Deferral(start=d("01/01/2025"), until=d("01/07/2025"), reason_code="tattoo")
    day_before = check(deferrals=[tattoo], on=d("30/06/2025"))
    assert day_before.codes == ["deferred"]
    assert day_before.next_eligible_date == d("01/07/2025")
    assert day_before.reasons[0].message == (
        "Đang tạm hoãn hiến máu; có thể hiến lại từ ngày 01/07/2025.")
    assert check(deferrals=[tattoo], on=d("01/07/2025")).eligible
    assert check(deferrals=[tattoo], on=d("31/12/2024")).eligible  # not started yet


def test_deferrals_that_follow_each_other_are_crossed_together():
    first = Deferral(start=d("01/01/2025"), until=d("01/03/2025"))
    second = Deferral(start=d("15/02/2025"), until=d("01/06/2025"))
    result = check(deferrals=[first, second], on=d("01/02/2025"))
    assert result.next_eligible_date == d("01/06/2025")


def test_open_ended_deferral_has_no_next_date():
    result = check(deferrals=[Deferral(start=d("01/05/2025"))], on=d("01/06/2025"))
    assert result.codes == ["deferred"]
    assert result.next_eligible_date is None
    assert "01/05/2025" in result.reasons[0].message


@pytest.mark.parametrize(("person", "deferrals"), [
    (dataclasses.replace(ADULT, permanently_excluded=True), []),
    (ADULT, [Deferral(start=d("01/01/2030"), permanent=True, reason_code="hiv")]),
    (dataclasses.replace(ADULT, permanently_excluded=True),
     [Deferral(start=d("01/01/2020"), permanent=True, reason_code="hbv")]),
])
def test_permanent_exclusion_never_reveals_its_reason(person, deferrals):
    result = check(person=person, deferrals=deferrals)
    assert not result.eligible
    assert result.codes == ["excluded"]
    assert result.reasons[0].message == EXCLUDED_MESSAGE
    assert result.next_eligible_date is None
    text = repr([(r.code, r.message) for r in result.reasons + result.warnings])
    assert "hiv" not in text and "hbv" not in text


# --- next_eligible_date combines every time-based reason --------------------------------


def test_next_eligible_date_is_the_latest_of_all_time_based_reasons():
    person = dataclasses.replace(ADULT, birth_date=d("15/06/2007"))  # 18 on 15/06/2025
    history = [PastDonation(d("01/04/2025"), WB)]  # interval ends 24/06/2025
    deferral = Deferral(start=d("01/05/2025"), until=d("10/07/2025"))
    result = check(person=person, history=history, deferrals=[deferral], on=d("01/06/2025"))
    assert result.codes == ["too_young", "deferred", "interval"]
    assert result.next_eligible_date == d("10/07/2025")


def test_a_deferral_that_starts_later_pushes_the_next_date():
    history = [PastDonation(d("01/04/2025"), WB)]  # interval ends 24/06/2025
    surgery = Deferral(start=d("20/06/2025"), until=d("20/09/2025"))
    result = check(history=history, deferrals=[surgery], on=d("01/06/2025"))
    assert result.codes == ["interval"]
    assert result.next_eligible_date == d("20/09/2025")


def test_no_next_date_when_the_interval_ends_after_the_age_limit():
    person = dataclasses.replace(ADULT, birth_date=d("15/06/1965"))  # 61 on 15/06/2026
    history = [PastDonation(d("01/05/2026"), WB)]
    result = check(person=person, history=history, on=d("01/06/2026"))
    assert result.codes == ["interval"]
    assert result.next_eligible_date is None


def test_weight_does_not_move_the_next_date():
    result = check(person=dataclasses.replace(WOMAN, weight_kg=Decimal("40")))
    assert result.codes == ["under_weight"]
    assert result.next_eligible_date == d("01/06/2025")


# --- Optional yearly warning ------------------------------------------------------------


def test_yearly_warning_is_off_by_default_and_soft_when_set():
    start = d("01/01/2025")
    history = [PastDonation(plus(start, 84 * n), WB) for n in range(4)]
    fifth = plus(start, 84 * 4)
    assert check(history=history, on=fifth).warnings == []
    rules = dataclasses.replace(DEFAULT_RULESET, whole_blood_yearly_warning_above=4)
    result = check(history=history, on=fifth, rules=rules)
    assert result.eligible
    assert [w.code for w in result.warnings] == ["many_donations"]
    assert "thứ 5" in result.warnings[0].message


# --- The rule set as data ----------------------------------------------------------------


def test_default_rule_set_holds_the_tt26_numbers():
    r = DEFAULT_RULESET
    assert (r.code, r.effective_from) == ("tt26-2013", d("15/11/2013"))
    assert (r.min_age_years, r.max_age_years) == (18, 60)
    assert (r.min_weight_female_kg, r.min_weight_male_kg) == (42, 45)
    assert (r.reduced_volume_max_ml, r.ml_per_kg, r.max_whole_blood_ml) == (250, 9, 500)
    assert r.bag_sizes_ml == (250, 350, 450)
    assert (r.apheresis_min_weight_kg, r.apheresis_max_ml, r.apheresis_high_max_ml) == (
        50, 500, 650)
    assert dict(r.interval_days) == {"whole_blood": 84, "red_cells_apheresis": 84,
                                     "platelets_apheresis": 14, "plasma_apheresis": 14,
                                     "granulocytes_apheresis": 0}
    assert (r.granulocyte_max_donations, r.granulocyte_window_days) == (3, 7)
    assert r.whole_blood_yearly_warning_above is None


@pytest.mark.parametrize("rules", [
    DEFAULT_RULESET,
    dataclasses.replace(DEFAULT_RULESET, code="local", max_age_years=65,
                        min_weight_female_kg=Decimal("45.5"),
                        whole_blood_yearly_warning_above=4),
])
def test_rule_set_round_trips_through_json_and_pickle(rules):
    stored = json.loads(json.dumps(rules.to_dict()))
    assert RuleSet.from_dict(stored) == rules
    assert pickle.loads(pickle.dumps(rules)) == rules


def test_the_yearly_warning_may_be_left_out_of_a_stored_dict():
    stored = DEFAULT_RULESET.to_dict()
    del stored["whole_blood_yearly_warning_above"]
    assert RuleSet.from_dict(stored) == DEFAULT_RULESET


def test_deferral_periods_are_part_of_the_rule_set():
    """TT 26 Điều 5 and the questionnaire give some reasons a period; a stored rule set
    may give others one (an institution's practice); one stored before they existed
    gets TT 26's."""
    assert DEFAULT_RULESET.deferral_period_days("surgery_transfusion_birth") == 365
    assert DEFAULT_RULESET.deferral_period_days("acute_illness") == 14
    assert DEFAULT_RULESET.deferral_period_days("hemoglobin") is None
    stored = DEFAULT_RULESET.to_dict()
    assert stored["deferral_days"]["tattoo_piercing"] == 182
    del stored["deferral_days"]
    assert RuleSet.from_dict(stored) == DEFAULT_RULESET
    own = RuleSet.from_dict({**stored, "deferral_days": {"hemoglobin": 84}})
    assert own.deferral_period_days("hemoglobin") == 84
    assert json.loads(json.dumps(own.to_dict()))["deferral_days"] == {"hemoglobin": 84}


@pytest.mark.parametrize(("change", "key"), [
    ({"min_age_years": "18"}, "min_age_years"),
    ({"max_age_years": True}, "max_age_years"),
    ({"max_age_years": 17}, "max_age_years"),
    ({"min_weight_female_kg": -1}, "min_weight_female_kg"),
    ({"min_weight_male_kg": "nặng"}, "min_weight_male_kg"),
    ({"effective_from": "15/11/2013"}, "effective_from"),
    ({"bag_sizes_ml": [450, 350]}, "bag_sizes_ml"),
    ({"interval_days": {"whole_blood": 84}}, "interval_days.granulocytes_apheresis"),
    ({"interval_days": {**DEFAULT_RULESET.interval_days, "whole_blood": -1}},
     "interval_days.whole_blood"),
    ({"title": ""}, "title"),
    ({"deferral_days": {"hemoglobin": 0}}, "deferral_days.hemoglobin"),
    ({"deferral_days": [84]}, "deferral_days"),
    ({"max_age": 65}, "max_age"),
    ({"ml_per_kg": None}, "ml_per_kg"),
])
def test_a_bad_rule_set_is_rejected_naming_its_key(change, key):
    stored = {**DEFAULT_RULESET.to_dict(), **change}
    with pytest.raises(RuleSetError) as excinfo:
        RuleSet.from_dict(stored)
    assert excinfo.value.key == key
    assert excinfo.value.code == "invalid_ruleset"
    assert f"“{key}”" in str(excinfo.value)
    assert str(excinfo.value).startswith("Bộ quy tắc")


def test_a_missing_key_is_named():
    stored = DEFAULT_RULESET.to_dict()
    del stored["ml_per_kg"]
    with pytest.raises(RuleSetError, match="thiếu trường “ml_per_kg”"):
        RuleSet.from_dict(stored)
