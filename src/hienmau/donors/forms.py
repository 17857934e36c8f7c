from django import forms
from django.utils.translation import gettext_lazy as _

from hienmau.donors.models import Consent, Donor
from hienmau.orgs.forms import PlaceFieldsMixin
from hienmau.orgs.models import Kind
from hienmau.ui import StyledFormMixin

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class DonorForm(StyledFormMixin, PlaceFieldsMixin, forms.ModelForm):
    consents = forms.MultipleChoiceField(
        label=_("Người hiến máu đồng ý cho"), choices=Consent.Purpose.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ đánh dấu điều người hiến máu đã đồng ý (trên phiếu hoặc trực tuyến)."))
    consent_channel = forms.ChoiceField(label=_("Hình thức đồng ý"),
                                        choices=Consent.Channel.choices, required=False)
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
        if self.instance.pk:  # consents are managed on the donor's page afterwards
            del self.fields["consents"], self.fields["consent_channel"]
            self.initial["home"] = self.instance.home.code
            self.initial["workplace"] = getattr(self.instance.workplace, "code", None)
            self.initial["clubs"] = [c.code for c in self.instance.clubs.all()]
        else:
            self.fields["consents"].widget.attrs["class"] = "form-check-input"
            if top := homes.order_by("path").first():
                self.initial.setdefault("home", top.code)  # the user's own unit, usually
        self.setup_place_fields()
        self.fields["phone"].help_text = _("Ví dụ: 0912 345 678 hoặc +84 912 345 678.")

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm_identity")
        data.pop("consents", None)
        data.pop("consent_channel", None)
        data["clubs"] = list(data["clubs"])
        data["id_number"] = data["id_number"] or None
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": _("Họ tên (không cần dấu), số CCCD hoặc số điện thoại"),
               "class": "form-control", "autofocus": True, "type": "search"}))


class ConsentForm(StyledFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(label=_("Hình thức"), choices=Consent.Channel.choices)


class PersonForm(StyledFormMixin, forms.ModelForm):
    """The few fields that identify a person and reach them: what a registration desk,
    a coordinator adding one person, and the public sign-up page ask for."""

    class Meta:
        model = Donor
        fields = ["full_name", "birth_date", "sex", "id_type", "id_number", "phone", "email",
                  "blood_group", "rh"]
        widgets = {"birth_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "birth_date", "sex", "phone"):
            self.fields[name].required = True
        self.fields["phone"].help_text = _("Ví dụ: 0912 345 678.")
        self.fields["id_type"].initial = "cccd"

    def _get_validation_exclusions(self):
        # Duplicates are the callers' business: they match a returning person to their
        # record, and word the message so that it names nobody the user may not see. The
        # model's constraint check would refuse a returning person outright.
        return super()._get_validation_exclusions() | {"id_type", "id_number"}

    def person_fields(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["id_number"] = data["id_number"] or None
        if not data["id_number"]:
            data["id_type"] = ""
        return data


class PriorDonationsForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(label=_("Số lần hiến trước khi có HienMau"), min_value=0,
                               max_value=500)
    source = forms.CharField(label=_("Nguồn"), max_length=255, required=False,
                             help_text=_("Ví dụ: sổ theo dõi của Hội Chữ thập đỏ huyện, giấy "
                                         "chứng nhận đã cấp."))
