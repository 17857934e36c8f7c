"""Every rule's refusal is one kind of error, RuleError (message, code, field), shown on a
form's field by one helper and answered by the API in one shape."""

import pytest
from django import forms

from hienmau.donors.identity import IdentityError
from hienmau.donors.rules import RuleSetError
from hienmau.donors.services import DonorError
from hienmau.drives.drive_day import DriveDayError
from hienmau.drives.isbt128 import DinError
from hienmau.drives.registrations import RegistrationError
from hienmau.errors import RuleError, form_error
from hienmau.honors.services import HonorError
from hienmau.imports.registration_import import ImportRefused
from hienmau.orgs.numbering import PatternError
from hienmau.orgs.services import OrganizationError
from hienmau.outreach.appeals import AppealError
from hienmau.outreach.wording import WordingError
from hienmau.plans.services import PlanError
from hienmau.spreadsheets import ImportFileError

RULE_ERRORS = [PlanError, OrganizationError, AppealError, RegistrationError, DriveDayError,
               HonorError, DonorError, IdentityError, WordingError, PatternError, DinError,
               RuleSetError, ImportFileError, ImportRefused]


@pytest.mark.parametrize("error_class", RULE_ERRORS)
def test_every_rule_error_is_a_rule_error_with_message_code_and_field(error_class):
    assert issubclass(error_class, RuleError)
    if error_class is RuleSetError:
        error = error_class("Thiếu khóa.", "min_age_years")
    elif error_class in (PatternError, DinError, ImportFileError, ImportRefused):
        error = error_class("Không đọc được.")  # the one-argument form they are raised with
    else:
        error = error_class("Không được.", "some_code")
    assert error.message == str(error) in ("Thiếu khóa.", "Không đọc được.", "Không được.")
    assert error.code and isinstance(error.code, str)
    assert set(error.as_dict()) == {"detail", "code", "field"}


def test_errors_that_were_value_errors_still_are():
    for error_class in (WordingError, PatternError, DinError, RuleSetError):
        assert issubclass(error_class, ValueError)


class _Form(forms.Form):
    venue = forms.CharField()


def test_form_error_puts_the_message_on_its_field_or_above_the_form():
    form = _Form({"venue": "Hội trường"})
    assert form.is_valid()
    form_error(form, PlanError("Địa điểm trùng.", "venue_taken", field="venue"))
    form_error(form, PlanError("Kế hoạch đã kết thúc.", "plan_closed", field="plan"))
    assert form.errors["venue"] == ["Địa điểm trùng."]
    assert form.non_field_errors() == ["Kế hoạch đã kết thúc."]
