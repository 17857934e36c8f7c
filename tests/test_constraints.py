"""Database constraints as a person meets them (`hienmau.constraints`): a form or the
admin that breaks one says what is wrong in Vietnamese, never Django's “Constraint …
is violated.”, and on the field it is about where the model says which."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint

from hienmau.plans.models import Plan


def test_every_constraint_says_what_is_wrong_in_vietnamese():
    default = BaseConstraint.default_violation_error_message
    missing = [f"{model.__name__}.{constraint.name}"
               for model in apps.get_models() if model.__module__.startswith("hienmau.")
               for constraint in model._meta.constraints
               if constraint.violation_error_message in (None, default)
               or constraint.violation_error_code != constraint.name]
    assert missing == []


def test_a_field_named_for_a_constraint_is_one_it_checks():
    for model in apps.get_models():
        names = {c.name for c in model._meta.constraints}
        for name, field in getattr(model, "CONSTRAINT_FIELDS", {}).items():
            assert name in names, (model, name)
            model._meta.get_field(field)


def test_a_violation_is_reported_on_its_field(tree):
    plan = Plan(committee=tree["province"], title="KH", starts_on=datetime.date(2024, 12, 1),
                ends_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        plan.validate_constraints()
    assert error.value.message_dict == {
        "ends_on": ["Ngày kết thúc năm kế hoạch phải sau ngày bắt đầu."]}
