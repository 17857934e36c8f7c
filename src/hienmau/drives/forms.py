from django import forms
from django.utils.translation import gettext_lazy as _

from hienmau.donors.forms import PersonForm
from hienmau.drives.models import EXPECTED_STATUSES, Registration, RegistrationStatus
from hienmau.ui import StyledFormMixin


class MobilizedByMixin:
    """A `mobilized_by` field over the user's units, by their UUID code."""

    def setup_mobilized_by(self, units, initial=None):
        self.fields["mobilized_by"].queryset = units
        self.fields["mobilized_by"].to_field_name = "code"
        if initial is not None:
            self.initial["mobilized_by"] = initial.code


class NewPersonForm(MobilizedByMixin, PersonForm):
    """A coordinator registers someone who has no record yet."""

    mobilized_by = forms.ModelChoiceField(label=_("Đơn vị vận động"), queryset=None,
                                          required=False)
    confirm_identity = forms.BooleanField(
        label=_("Tôi đã đối chiếu giấy tờ gốc: thông tin nhập là đúng."), required=False)
    consent = forms.BooleanField(
        label=_("Người này đồng ý để Ban Chỉ đạo lưu hồ sơ hiến máu (theo phiếu đăng ký)."),
        required=True)

    def __init__(self, *args, units, default_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mobilized_by(units, default_unit)


class RegisterExistingForm(MobilizedByMixin, StyledFormMixin, forms.Form):
    donor = forms.UUIDField(widget=forms.HiddenInput)
    mobilized_by = forms.ModelChoiceField(label=_("Đơn vị vận động"), queryset=None,
                                          required=False)

    def __init__(self, *args, units, default_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mobilized_by(units, default_unit)


class RegistrationForm(MobilizedByMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["status", "mobilized_by", "note"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_mobilized_by(units, self.instance.mobilized_by)
        # Before drive day a registration is registered, confirmed or cancelled; the
        # other statuses come from the drive-day stations.
        allowed = [*EXPECTED_STATUSES, RegistrationStatus.CANCELLED]
        if self.instance.status not in allowed:
            allowed.append(self.instance.status)
        self.fields["status"].choices = [c for c in RegistrationStatus.choices
                                         if c[0] in allowed]


class RegistrationFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, widget=forms.TextInput(attrs={
        "placeholder": _("Họ tên, mã đăng ký, CCCD hoặc SĐT"), "class": "form-control",
        "type": "search"}))
    status = forms.ChoiceField(required=False, choices=[("", _("Mọi trạng thái")),
                                                        *RegistrationStatus.choices],
                               widget=forms.Select(attrs={"class": "form-select"}))


class PublicSignUpForm(PersonForm):
    """The public sign-up page: no login; the person states their own data and consent."""

    workplace_text = forms.CharField(label=_("Nơi làm việc, học tập"), required=False,
                                     max_length=200)
    consent = forms.BooleanField(
        label=_("Tôi đồng ý để Ban Chỉ đạo vận động hiến máu tình nguyện và đơn vị tiếp nhận "
                "máu lưu các thông tin trên để tổ chức hiến máu, kiểm tra điều kiện hiến máu "
                "và ghi nhận các lần hiến máu của tôi."), required=True)
    reminders = forms.BooleanField(
        label=_("Tôi đồng ý nhận tin nhắn, e-mail nhắc lịch và mời hiến máu (có thể từ chối "
                "bất cứ lúc nào)."), required=False)
    # Left empty by people; filled by bots that fill every field.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={
        "autocomplete": "off", "tabindex": "-1", "data_honeypot": "1"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = True
        self.fields["id_number"].label = _("Số CCCD (12 số)")
        self.fields["id_type"].widget = forms.HiddenInput()
        self.fields["id_type"].initial = "cccd"
        self.fields["id_type"].required = False
        for name in ("full_name", "phone", "email", "workplace_text"):
            self.fields[name].widget.attrs["maxlength"] = self.fields[name].max_length

    def clean_id_type(self):
        return "cccd"


class DriveFilterForm(forms.Form):
    province = forms.TypedChoiceField(label=_("Tỉnh/thành phố"), required=False, coerce=int,
                                      empty_value=None)
    commune = forms.TypedChoiceField(label=_("Xã/phường"), required=False, coerce=int,
                                     empty_value=None)
    month = forms.ChoiceField(label=_("Tháng"), required=False)

    def __init__(self, *args, months, **kwargs):
        from hienmau.orgs import geography

        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Mọi tỉnh/thành phố")),
                                           *geography.provinces()]
        province = self.data.get("province")
        communes = geography.communes(int(province)) if str(province or "").isdigit() else []
        self.fields["commune"].choices = [("", _("Mọi xã/phường")), *communes]
        self.fields["month"].choices = [("", _("Mọi tháng")), *months]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
