"""Database constraints as a person meets them: in Vietnamese, beside the field.

Every constraint of a model carries a Vietnamese `violation_error_message`: a form or
the admin that breaks one shows that sentence, never Django's “Constraint … is
violated.” (tests/test_constraints.py checks every model). A model that lists a
constraint in `CONSTRAINT_FIELDS` ({constraint name: field}) has the message shown on
that field instead of above the form: “the end of the plan year” is wrong, not the form.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ConstraintsOnFields:
    """Model mixin: violations of the constraints named in `CONSTRAINT_FIELDS` are
    reported on their field. The constraint's `violation_error_code` is its name."""

    CONSTRAINT_FIELDS: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            placed: dict[str, list] = {}
            for field, errors in error.error_dict.items():
                for one in errors:
                    target = (self.CONSTRAINT_FIELDS.get(one.code, field)
                              if field == NON_FIELD_ERRORS else field)
                    placed.setdefault(target, []).append(one)
            raise ValidationError(placed) from None
