from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hienmau.donors.models import Donor
from hienmau.orgs import geography
from hienmau.orgs.models import Kind
from hienmau.ui import StyledFormMixin

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class DonorForm(StyledFormMixin, forms.ModelForm):
    province_code = forms.TypedChoiceField(label=_("Tỉnh/thành phố"), required=False,
                                           coerce=int, empty_value=None)
    commune_code = forms.TypedChoiceField(label=_("Xã/phường"), required=False, coerce=int,
                                          empty_value=None)
    confirm_identity = forms.BooleanField(
        label=_("Tôi đã đối chiếu giấy tờ gốc: thông tin nhập là đúng."), required=False)

    class Meta:
        model = Donor
        fields = ["full_name", "birth_date", "birth_year", "sex", "id_type", "id_number",
                  "phone", "phone_other", "email", "province_code", "commune_code",
                  "address", "home", "workplace", "clubs", "blood_group", "rh",
                  "weight_kg", "notes"]
        widgets = {"birth_date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, homes, units, **kwargs):
        super().__init__(*args, **kwargs)
        # Organizations by their UUID code in forms, never the integer key.
        for name, queryset in (("home", homes),
                               ("workplace", units.exclude(kind=Kind.RECEIVING_INSTITUTION)),
                               ("clubs", units.filter(kind=Kind.CLUB))):
            self.fields[name].queryset = queryset
            self.fields[name].to_field_name = "code"
        if self.instance.pk:
            self.initial["home"] = self.instance.home.code
            self.initial["workplace"] = getattr(self.instance.workplace, "code", None)
            self.initial["clubs"] = [c.code for c in self.instance.clubs.all()]
        elif top := homes.order_by("path").first():
            self.initial.setdefault("home", top.code)  # the user's own unit, usually
        self.fields["province_code"].choices = [("", "—")] + geography.provinces()
        province = self._selected_province()
        self.fields["commune_code"].choices = [("", "—")] + (
            geography.communes(province) if province else [])
        self.fields["province_code"].widget.attrs.update({
            "hx-get": reverse("orgs:communes"), "hx-target": "#id_commune_code",
            "hx-trigger": "change"})
        self.fields["phone"].help_text = _("Ví dụ: 0912 345 678 hoặc +84 912 345 678.")

    def _selected_province(self) -> int | None:
        raw = self.data.get("province_code") if self.is_bound else self.initial.get(
            "province_code", getattr(self.instance, "province_code", None))
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        for field, message in geography.check_place(
                cleaned.get("province_code"), cleaned.get("commune_code")).items():
            self.add_error(field, message)
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm_identity")
        data["clubs"] = list(data["clubs"])
        data["id_number"] = data["id_number"] or None
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": _("Họ tên (không cần dấu), số CCCD hoặc số điện thoại"),
               "class": "form-control", "autofocus": True, "type": "search"}))
