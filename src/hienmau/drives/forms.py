from django import forms
from django.utils.translation import gettext_lazy as _

from hienmau.donors.forms import PersonForm
from hienmau.drives.models import (
    EXPECTED_STATUSES,
    DonationType,
    Registration,
    RegistrationStatus,
)
from hienmau.drives.screening import DEFERRAL_REASONS, reason_choice
from hienmau.orgs.forms import period_label
from hienmau.orgs.models import Organization
from hienmau.ui import StyledFormMixin


class MobilizedByMixin:
    """A `mobilized_by` field over the user's units (`drives.access.mobilizing_units`:
    those of the drive's date), by their UUID code, each with its period in its name;
    `initial`, the unit a registration names, stays offered."""

    def setup_mobilized_by(self, units, initial=None):
        field = self.fields["mobilized_by"]
        if initial is not None:
            units = units | Organization.objects.filter(pk=initial.pk)
            self.initial["mobilized_by"] = initial.code
        field.queryset = units
        field.to_field_name = "code"
        field.label_from_instance = period_label


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
        label=_("Tôi đồng ý nhận lời mời và nhắc lịch hiến máu qua SMS, Zalo (số điện thoại "
                "trên) và e-mail (nếu có); có thể từ chối bất cứ lúc nào bằng liên kết trong "
                "mỗi tin."), required=False)
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


# ---- drive day ---------------------------------------------------------------------


class ScreeningForm(StyledFormMixin, forms.Form):
    weight_kg = forms.DecimalField(label=_("Cân nặng (kg)"), required=False, min_value=20,
                                   max_value=250, decimal_places=1,
                                   widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                                   "step": "0.1"}))
    hemoglobin_g_l = forms.IntegerField(label=_("Huyết sắc tố (g/l)"), required=False,
                                        min_value=30, max_value=250,
                                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    systolic_mm_hg = forms.IntegerField(label=_("Huyết áp tâm thu"), required=False,
                                        min_value=50, max_value=260)
    diastolic_mm_hg = forms.IntegerField(label=_("Huyết áp tâm trương"), required=False,
                                         min_value=30, max_value=180)
    pulse_bpm = forms.IntegerField(label=_("Mạch (lần/phút)"), required=False, min_value=20,
                                   max_value=250)
    decision = forms.ChoiceField(label=_("Kết luận"), widget=forms.RadioSelect, choices=[
        ("accept", _("Đủ điều kiện hiến")), ("defer", _("Tạm hoãn"))])
    deferral_reason = forms.ChoiceField(label=_("Lý do tạm hoãn"), required=False)
    deferred_until = forms.DateField(label=_("Tạm hoãn đến ngày"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text=_(
                                         "Để trống: tạm hoãn theo số ngày ghi bên lý do. Lý "
                                         "do ghi “ghi ngày hết tạm hoãn” thì phải ghi ngày."))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)
    # Set when the screener accepts although the values propose a deferral.
    override = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        # Each reason with the period of the rule set in force, or "a date is needed".
        self.fields["deferral_reason"].choices = [("", "—")] + [
            (reason.code, reason_choice(reason, rules)) for reason in DEFERRAL_REASONS]
        self.fields["decision"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "defer" and not data.get("deferral_reason"):
            self.add_error("deferral_reason", _("Hãy chọn lý do tạm hoãn."))
        return data


class CollectionForm(StyledFormMixin, forms.Form):
    type = forms.ChoiceField(label=_("Loại hiến"))
    volume_ml = forms.TypedChoiceField(label=_("Thể tích"), coerce=int,
                                       widget=forms.RadioSelect)
    bag = forms.CharField(label=_("Mã túi máu"), max_length=40,
                          widget=forms.TextInput(attrs={"autocomplete": "off",
                                                        "autocapitalize": "characters"}),
                          help_text=_("Quét mã vạch trên túi hoặc gõ mã."))

    def __init__(self, *args, volumes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = DonationType.choices
        choices = [(v, f"{v} ml") for v in volumes] or [
            (v, f"{v} ml") for v in (250, 350, 450)]
        self.fields["volume_ml"].choices = choices
        if volumes:
            self.initial.setdefault("volume_ml", volumes[-1])
        self.fields["volume_ml"].widget.attrs["class"] = "form-check-input"


class CloseForm(StyledFormMixin, forms.Form):
    units_collected = forms.IntegerField(label=_("Số đơn vị máu tiếp nhận (xác nhận)"),
                                         min_value=0, max_value=100_000)
    note = forms.CharField(label=_("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Bắt buộc khi số xác nhận khác số đã ghi nhận tại "
                                       "điểm hiến (ví dụ: túi bị loại sau khi lấy)."))


class TotalsCloseForm(CloseForm):
    """A drive without per-person records (past years): its totals as known."""

    people_registered = forms.IntegerField(label=_("Số người đăng ký"), required=False,
                                           min_value=0)
    people_present = forms.IntegerField(label=_("Số người có mặt"), required=False,
                                        min_value=0)
    people_deferred = forms.IntegerField(label=_("Số người tạm hoãn"), required=False,
                                         min_value=0)
    people_first_time = forms.IntegerField(label=_("Số người hiến lần đầu"), required=False,
                                           min_value=0)
    bags_250 = forms.IntegerField(label=_("Túi 250 ml"), required=False, min_value=0)
    bags_350 = forms.IntegerField(label=_("Túi 350 ml"), required=False, min_value=0)
    bags_450 = forms.IntegerField(label=_("Túi 450 ml"), required=False, min_value=0)

    def clean(self):
        data = super().clean()
        bags = sum(data.get(f"bags_{ml}") or 0 for ml in (250, 350, 450))
        if bags and data.get("units_collected") is not None and bags != data["units_collected"]:
            self.add_error("units_collected", _(
                "Tổng số túi theo thể tích (%(bags)s) khác số đơn vị máu.") % {"bags": bags})
        present, deferred = data.get("people_present"), data.get("people_deferred")
        if present is not None and deferred is not None and deferred > present:
            self.add_error("people_deferred", _("Số người tạm hoãn lớn hơn số người có mặt."))
        first_time, units = data.get("people_first_time"), data.get("units_collected")
        if first_time is not None and units is not None and first_time > units:
            self.add_error("people_first_time", _("Số người hiến lần đầu lớn hơn số đơn vị "
                                                  "máu."))
        return data

    @staticmethod
    def initial_from(result) -> dict:
        """The form filled with a closed drive's result, to correct it."""
        initial = {name: getattr(result, name) for name in (
            "units_collected", "people_registered", "people_present", "people_deferred",
            "people_first_time")}
        for ml in (250, 350, 450):
            initial[f"bags_{ml}"] = (result.units_by_volume or {}).get(str(ml))
        return initial

    def totals(self) -> dict:
        data = self.cleaned_data
        return {"people_registered": data.get("people_registered"),
                "people_present": data.get("people_present"),
                "people_deferred": data.get("people_deferred"),
                "people_first_time": data.get("people_first_time"),
                "units_by_volume": {str(ml): data[f"bags_{ml}"] for ml in (250, 350, 450)
                                    if data.get(f"bags_{ml}")}}
