import datetime

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hienmau.orgs import geography
from hienmau.orgs.duplicates import names_look_alike
from hienmau.orgs.models import Organization
from hienmau.orgs.periods import short_date
from hienmau.orgs.roles import Role
from hienmau.ui import StyledFormMixin

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class PlaceFieldsMixin(forms.Form):
    """Province and commune from the current official list; the commune list follows the
    chosen province (htmx), and a commune must lie in its province."""

    province_code = forms.TypedChoiceField(
        label=_("Tỉnh/thành phố"), required=False, coerce=int, empty_value=None,
    )
    commune_code = forms.TypedChoiceField(
        label=_("Xã/phường"), required=False, coerce=int, empty_value=None,
    )

    def setup_place_fields(self) -> None:
        self.fields["province_code"].choices = [("", "—")] + geography.provinces()
        province = self._selected_province()
        self.fields["commune_code"].choices = [("", "—")] + (
            geography.communes(province) if province else []
        )
        self.fields["province_code"].widget.attrs.update({
            "hx-get": reverse("orgs:communes"), "hx-target": "#id_commune_code",
            "hx-trigger": "change",
        })

    def _selected_province(self) -> int | None:
        raw = self.data.get("province_code") if self.is_bound else self.initial.get(
            "province_code", getattr(self.instance, "province_code", None))
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def clean_place(self, cleaned: dict) -> None:
        for field, message in geography.check_place(
            cleaned.get("province_code"), cleaned.get("commune_code")
        ).items():
            self.add_error(field, message)


class OrganizationForm(StyledFormMixin, PlaceFieldsMixin, forms.ModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây là một đơn vị khác, không phải đơn vị đã có."),
        required=False,
    )

    class Meta:
        model = Organization
        fields = [
            "name", "short_name", "kind", "province_code", "commune_code", "address",
            "population", "headcount", "shows_250ml_equivalents", "contact_name",
            "contact_phone", "contact_email", "valid_from", "valid_to", "notes",
        ]
        widgets = {
            "valid_from": DATE_WIDGET,
            "valid_to": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, parent: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.similar: list[Organization] = []
        self.setup_place_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        name = cleaned.get("name")
        if name and self.parent is not None:
            siblings = self.parent.children().exclude(pk=self.instance.pk)
            self.similar = [o for o in siblings if names_look_alike(o.name, name)]
            if self.similar and not cleaned.get("confirm_not_duplicate"):
                self.add_error("name", _(
                    "Tên này gần giống tên một đơn vị đã có cùng cấp (xem phía trên). "
                    "Nếu đúng là đơn vị khác, hãy đánh dấu ô xác nhận rồi lưu lại."
                ))
        return cleaned

    def service_fields(self) -> dict:
        """Arguments for create/update_organization, with the look-alikes the user checked."""
        fields = {k: v for k, v in self.cleaned_data.items() if k != "confirm_not_duplicate"}
        return {**fields, "reviewed_similar": self.similar}


class MoveForm(StyledFormMixin, forms.Form):
    parent = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                    label=_("Chuyển về trực thuộc"), to_field_name="code")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = targets
        self.fields["parent"].label_from_instance = indented_label


class MergeForm(StyledFormMixin, forms.Form):
    successor = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                       label=_("Đơn vị kế thừa"), to_field_name="code")
    last_day = forms.DateField(
        label=_("Ngày hoạt động cuối cùng"), widget=DATE_WIDGET,
        help_text=_("Ví dụ: 30/06/2025 cho các huyện giải thể từ 01/07/2025."),
    )
    move_children = forms.BooleanField(
        label=_("Chuyển các đơn vị trực thuộc còn hoạt động sang đơn vị kế thừa"),
        required=False, initial=True,
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = targets
        self.fields["successor"].label_from_instance = indented_label


def indented_label(org: Organization) -> str:
    return "\u2003" * (org.depth - 1) + org.name


def period_label(org: Organization) -> str:
    """The indented name, with the period of a unit that has one: “(đến 30/06/2025)”."""
    if org.valid_to:
        return _("%(name)s (đến %(day)s)") % {"name": indented_label(org),
                                              "day": short_date(org.valid_to)}
    if org.valid_from:
        return _("%(name)s (từ %(day)s)") % {"name": indented_label(org),
                                             "day": short_date(org.valid_from)}
    return indented_label(org)


class _OfferedChoices(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if getattr(field, "offered", None) is not None:
            self.queryset = field.offered


class DatedChoicesMixin:
    """An organization choice of a dated record (a drive, a quota, a plan).

    Offers the units in activity on the record's date, and those the record already
    names, so an old drive shows and keeps its ended district while a new one offers
    today's units. It accepts any unit of the wider `queryset`: a unit chosen outside
    its date is refused by the service with the reason (`orgs.periods`), not with a
    bare “not a valid choice”.
    """

    iterator = _OfferedChoices
    offered = None

    def label_from_instance(self, obj):
        return period_label(obj)

    def offer(self, units, day, until=None, keep=None) -> None:
        """`units`: what the user may name; `day` (to `until`): the record's date;
        `keep`: the organizations the record names now."""
        kept = Q(pk__in=keep.values("pk")) if keep is not None else Q(pk__in=[])
        self.queryset = Organization.objects.filter(Q(pk__in=units.values("pk")) | kept)
        self.offered = Organization.objects.filter(
            Q(pk__in=units.valid_on(day, until).values("pk")) | kept)
        self.widget.choices = self.choices


class DatedOrgChoiceField(DatedChoicesMixin, forms.ModelChoiceField):
    pass


def form_date(form, name: str) -> datetime.date | None:
    """The date in a form's field: as typed when it reads as a date, else the initial
    (or the instance's) value; None when there is none."""
    field = form.fields[name]
    for value in ((form[name].data,) if form.is_bound else ()) + (
            form.get_initial_for_field(field, name),):
        try:
            day = field.clean(value)
        except forms.ValidationError:
            continue
        if day:
            return day
    return None


class DatedOrgMultipleChoiceField(DatedChoicesMixin, forms.ModelMultipleChoiceField):
    pass


class AddMemberForm(StyledFormMixin, forms.Form):
    user = forms.CharField(label=_("Tên đăng nhập hoặc e-mail của người dùng"))
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        field = "email__iexact" if "@" in value else "username__iexact"
        user = get_user_model().objects.filter(**{field: value}, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_(
                "Không có tài khoản nào tên “%(value)s”. Hãy kiểm tra lại, "
                "hoặc tạo tài khoản mới ở mục bên dưới."), params={"value": value})
        return user


class NewUserMemberForm(StyledFormMixin, forms.ModelForm):
    """Create an account for a new colleague and give them a role in one step."""

    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput,
                               help_text=_("Ít nhất 10 ký tự, không quá đơn giản."))

    class Meta:
        model = get_user_model()
        fields = ["full_name", "username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["email"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("E-mail này đã được dùng cho một tài khoản khác."))
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            candidate = get_user_model()(username=cleaned.get("username", ""),
                                         email=cleaned.get("email", ""),
                                         full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class RoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
