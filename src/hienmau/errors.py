"""The one error a business rule raises when it refuses something.

Every app's refusal (PlanError, DonorError, RegistrationError, …) is a RuleError: a
Vietnamese `message` for people, a stable `code` for programs and tests, and the `field`
of the input it is about, if any. Screens show the message (on the field's form input when
the form has it, `form_error`); the API answers it in its one error shape
`{detail, code, field}` (`hienmau/api/errors.py`). This module is the lowest layer: any
app may import it.
"""


class RuleError(Exception):
    default_code = "invalid"

    def __init__(self, message: str, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def as_dict(self) -> dict:
        return {"detail": str(self.message), "code": self.code, "field": self.field}


def form_error(form, error: RuleError) -> None:
    """Show a refusal on a Django form: on its field when the form has one by that name,
    above the form otherwise."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error.message))
