from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from hienmau.donors.models import MilestoneTier
from hienmau.honors.models import EmulationWeights, HonorRound, Kind
from hienmau.orgs.forms import DATE_WIDGET, DatedOrgChoiceField, form_date
from hienmau.orgs.models import Organization
from hienmau.ui import StyledFormMixin

IN_PERIOD_HELP = _("Ban Chỉ đạo hoạt động trong kỳ xét; đơn vị đã kết thúc hoạt động có ghi "
                   "ngày kết thúc bên cạnh tên.")


class RoundForm(StyledFormMixin, forms.ModelForm):
    """Its committee: one in activity during the round's period (an office that inherited
    an ended committee holds the rounds of its years), offered once the period is typed;
    before, every committee the office manages, each with its period in its name."""

    committee = DatedOrgChoiceField(queryset=Organization.objects.none(), to_field_name="code",
                                    label=_("Ban Chỉ đạo tổ chức tôn vinh"),
                                    help_text=IN_PERIOD_HELP)

    class Meta:
        model = HonorRound
        fields = ["committee", "title", "period_start", "period_end", "ceremony_date",
                  "individual_from", "family_from", "collective_percent",
                  "collective_growth", "collective_award"]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET,
                   "ceremony_date": DATE_WIDGET}

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["committee"]
        start, end = form_date(self, "period_start"), form_date(self, "period_end")
        if start:
            field.offer(committees, start, end if end and end > start else None)
        else:
            field.queryset = committees
        field.initial = committees.first()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc kỳ xét phải sau ngày bắt đầu."))
        return data


class AddForm(StyledFormMixin, forms.Form):
    """A nomination the office adds: a person or a family (by a member's phone or
    identity number), or a unit."""

    kind = forms.ChoiceField(label=_("Đối tượng"), choices=Kind.choices)
    person = forms.CharField(label=_("Số điện thoại hoặc số giấy tờ (cá nhân, gia đình)"),
                             required=False)
    unit = DatedOrgChoiceField(queryset=Organization.objects.none(), to_field_name="code",
                               required=False, label=_("Tập thể"))
    award = forms.CharField(label=_("Hình thức tôn vinh, khen thưởng"), max_length=255)
    reason = forms.CharField(label=_("Lý do đề nghị thêm"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, honor_round: HonorRound, **kwargs):
        """`units`: those the round's committee may name; offered, those in activity
        during its period and those on its lists already."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].offer(units, honor_round.period_start, honor_round.period_end,
                                  keep=Organization.objects.filter(
                                      nominations__round=honor_round))


class AwardsForm(StyledFormMixin, forms.Form):
    """The decision that gave the awards of an approved round."""

    issuer = forms.CharField(label=_("Cơ quan, người ký quyết định"), max_length=255,
                             initial="Chủ tịch UBND tỉnh")
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET)


class AwardForm(StyledFormMixin, forms.Form):
    """An award a person, family or unit received, as its decision says."""

    title = forms.CharField(label=_("Hình thức khen thưởng"), max_length=255,
                            help_text=_("Ví dụ: Bằng khen của Chủ tịch UBND tỉnh; Giải thưởng "
                                        "Giọt hồng; Kỷ niệm chương Vì sự nghiệp nhân đạo."))
    issuer = forms.CharField(label=_("Cơ quan, người ký"), max_length=255)
    number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET)


class WeightsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EmulationWeights
        fields = ["quota", "growth", "large_bags", "repeat", "mobilization", "growth_full_at"]

    def clean_growth_full_at(self):
        value = self.cleaned_data["growth_full_at"]
        if not value:
            raise forms.ValidationError(_("Mức tăng được điểm tối đa phải lớn hơn 0."))
        return value


class TierForm(StyledFormMixin, forms.Form):
    # The blank choice: a new row left empty is not a change (and not an error).
    kind = forms.ChoiceField(label=_("Áp dụng cho"),
                             choices=[("", "—"), *MilestoneTier.Kind.choices])
    donations = forms.IntegerField(label=_("Số lần hiến"), min_value=1, max_value=500)
    award = forms.CharField(label=_("Hình thức tôn vinh, khen thưởng đề xuất"),
                            max_length=255)
    confirmed = forms.BooleanField(label=_("Theo văn bản quy định"), required=False)


TierFormSet = formset_factory(TierForm, extra=2, can_delete=True)
