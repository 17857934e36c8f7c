"""What every form shares, set once here: Bootstrap classes on widgets, and the text
rules (`hienmau.text`): no control character or bidi override in any text field, and a
length limit on those whose model sets none."""

from django import forms
from django.core.validators import MaxLengthValidator

from hienmau.text import LONG_TEXT_MAX, validate_text


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if (isinstance(field, forms.CharField)
                    and not isinstance(field, forms.UUIDField | forms.JSONField)
                    and not isinstance(widget, forms.PasswordInput)):
                field.validators.append(validate_text)
                if field.max_length is None:
                    field.max_length = LONG_TEXT_MAX
                    field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
                    widget.attrs.setdefault("maxlength", str(LONG_TEXT_MAX))
