from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hienmau.orgs.forms import (
    DATE_WIDGET,
    DatedOrgChoiceField,
    DatedOrgMultipleChoiceField,
    form_date,
    indented_label,
)
from hienmau.orgs.models import Kind, Organization
from hienmau.plans.models import Drive, DriveStatus, Plan, Section
from hienmau.ui import StyledFormMixin

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"})


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return indented_label(obj)


class PlanForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "starts_on", "ends_on", "document_number", "document_date",
                  "national_quota", "provincial_quota", "population_target_percent", "status"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET,
                   "document_date": DATE_WIDGET}


ON_DATE_HELP = _("Các đơn vị hoạt động vào ngày tổ chức đợt (đổi ngày thì lưu để chọn lại).")
IN_YEAR_HELP = _("Các Ban Chỉ đạo hoạt động trong năm kế hoạch (đổi năm thì lưu để chọn lại).")


class NewPlanForm(PlanForm):
    committee = DatedOrgChoiceField(queryset=Organization.objects.none(), to_field_name="code",
                                    label=_("Ban Chỉ đạo lập kế hoạch"), help_text=IN_YEAR_HELP)

    class Meta(PlanForm.Meta):
        fields = ["committee", *PlanForm.Meta.fields]

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        # The committees in activity during the plan year typed (today's until then).
        start = form_date(self, "starts_on") or timezone.localdate()
        end = form_date(self, "ends_on")
        self.fields["committee"].offer(committees, start, end if end and end > start else None)


class CampaignForm(StyledFormMixin, forms.Form):
    owner = OrgChoiceField(queryset=Organization.objects.none(), to_field_name="code",
                           label=_("Ban Chỉ đạo phát động"))
    name = forms.CharField(label=_("Tên chiến dịch"), max_length=200)
    usual_month = forms.TypedChoiceField(
        label=_("Tháng thường tổ chức"), required=False, coerce=int, empty_value=None,
        choices=[("", "—")] + [(m, m) for m in range(1, 13)])
    description = forms.CharField(label=_("Mô tả"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class SectionForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Số mục"), max_length=10, help_text=_("Ví dụ: I, II, III."))
    title = forms.CharField(label=_("Tên mục"), max_length=300)
    position = forms.IntegerField(label=_("Thứ tự"), min_value=0, required=False)


class QuotaForm(StyledFormMixin, forms.Form):
    organization = DatedOrgChoiceField(queryset=Organization.objects.none(),
                                       to_field_name="code", label=_("Đơn vị"))
    section = forms.ModelChoiceField(queryset=Section.objects.none(), required=False,
                                     label=_("Mục"))
    units = forms.IntegerField(label=_("Chỉ tiêu (đơn vị máu)"), min_value=0)
    registration_target = forms.IntegerField(label=_("Số người cần vận động đăng ký"),
                                             min_value=0, required=False)
    staff_share_percent = forms.IntegerField(label=_("Tỷ lệ cán bộ tham gia (%)"), min_value=0,
                                             max_value=100, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The units in activity during the plan year, and those the plan gives quotas.
        self.fields["organization"].offer(
            Organization.objects.filter(path__startswith=plan.committee.path)
            .exclude(pk=plan.committee.pk).exclude(kind=Kind.RECEIVING_INSTITUTION),
            plan.starts_on, plan.ends_on,
            keep=Organization.objects.filter(quotas__plan=plan))
        self.fields["section"].queryset = plan.sections.all()


class DriveForm(StyledFormMixin, forms.ModelForm):
    """Its unit lists offer the units in activity on the drive's date, and those it names:
    a 2024 drive keeps its district ended on 30/06/2025."""

    organizer = DatedOrgChoiceField(queryset=Organization.objects.none(), to_field_name="code",
                                    label=_("Đơn vị tổ chức"), help_text=ON_DATE_HELP)
    receiving_institution = DatedOrgChoiceField(
        queryset=Organization.objects.none(), to_field_name="code", required=False,
        label=_("Đơn vị tiếp nhận máu"))
    coordinating_units = DatedOrgMultipleChoiceField(
        queryset=Organization.objects.none(), to_field_name="code", required=False,
        label=_("Đơn vị phối hợp chỉ đạo"), widget=forms.SelectMultiple(attrs={"size": 6}))
    executing_units = DatedOrgMultipleChoiceField(
        queryset=Organization.objects.none(), to_field_name="code", required=False,
        label=_("Đơn vị thực hiện"), widget=forms.SelectMultiple(attrs={"size": 6}))

    class Meta:
        model = Drive
        fields = ["plan", "title", "campaign", "date", "weekday_text", "start_time", "end_time",
                  "venue", "organizer", "receiving_institution", "coordinating_units",
                  "executing_units", "target_group", "expected_units", "registration_target",
                  "announcement_number", "status", "notes"]
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET, "end_time": TIME_WIDGET,
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organizers, plans, campaigns, units, **kwargs):
        super().__init__(*args, **kwargs)
        drive = self.instance if self.instance.pk else None
        # The drive's date as typed, else as stored (or given by the calendar), else today.
        self.record_day = form_date(self, "date") or timezone.localdate()
        institutions = Organization.objects.filter(kind=Kind.RECEIVING_INSTITUTION)
        named = {
            "organizer": (organizers, drive and Organization.objects.filter(
                pk=drive.organizer_id)),
            "receiving_institution": (institutions, drive and Organization.objects.filter(
                pk=drive.receiving_institution_id)),
            "coordinating_units": (units, drive and drive.coordinating_units.all()),
            "executing_units": (units | institutions, drive and drive.executing_units.all()),
        }
        for name, (choices, keep) in named.items():
            self.fields[name].offer(choices, self.record_day, keep=keep)
        self.fields["plan"].queryset = plans
        self.fields["campaign"].queryset = campaigns
        # Cancelling has its own screen, which asks for the reason.
        self.fields["status"].choices = [
            c for c in DriveStatus.choices if c[0] != DriveStatus.CANCELLED
            or (self.instance.pk and self.instance.status == DriveStatus.CANCELLED)]
        if self.instance.pk:
            self.initial["organizer"] = self.instance.organizer.code
            if self.instance.receiving_institution_id:
                self.initial["receiving_institution"] = self.instance.receiving_institution.code
            self.initial["coordinating_units"] = [o.code for o in
                                                  self.instance.coordinating_units.all()]
            self.initial["executing_units"] = [o.code for o in
                                               self.instance.executing_units.all()]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {"coordinating": list(data.pop("coordinating_units")),
                "executing": list(data.pop("executing_units")), **data}


class ShareForm(StyledFormMixin, forms.Form):
    organization = DatedOrgChoiceField(queryset=Organization.objects.none(),
                                       to_field_name="code", required=False,
                                       label=_("Đơn vị góp"))
    expected_units = forms.IntegerField(min_value=1, required=False,
                                        label=_("Số đơn vị máu"))

    def __init__(self, *args, units=None, day=None, keep=None, **kwargs):
        """`units` in activity on `day` (the drive's), and those the drive has shares of."""
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["organization"].offer(units, day or timezone.localdate(), keep=keep)


ShareFormSet = formset_factory(ShareForm, extra=3)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3}))


class DriveFilterForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Organization.objects.none(), to_field_name="code",
                                  required=False, label=_("Đơn vị"))
    month = forms.CharField(required=False, label=_("Tháng"),
                            widget=forms.TextInput(attrs={"type": "month"}))
    status = forms.ChoiceField(choices=[("", "—"), *DriveStatus.choices], required=False,
                               label=_("Trạng thái"))
    institution = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind=Kind.RECEIVING_INSTITUTION),
        to_field_name="code", required=False, label=_("Đơn vị tiếp nhận"))
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), to_field_name="code",
                                  required=False, label=_("Kế hoạch"))
    # Every list opens on today's and the coming drives, then the past ones.
    when = forms.ChoiceField(choices=[("", _("Tất cả")),
                                      ("upcoming", _("Hôm nay và sắp tới")),
                                      ("past", _("Đã diễn ra"))],
                             required=False, label=_("Thời gian"))

    def __init__(self, *args, units, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["plan"].queryset = plans


class InstitutionSettingsForm(StyledFormMixin, forms.Form):
    """What the committee office keeps about a receiving institution: how much it can
    collect in a day (the plan's booking check) and how it numbers its bags."""

    units_per_day = forms.IntegerField(
        label=_("Số đơn vị máu tối đa mỗi ngày"), required=False, min_value=1,
        max_value=100_000, help_text=_("Để trống: không kiểm tra số đơn vị máu trong ngày."))
    drives_per_day = forms.IntegerField(
        label=_("Số đợt tối đa mỗi ngày"), required=False, min_value=1, max_value=100,
        help_text=_("Để trống: không kiểm tra số đợt trong ngày."))
    uses_isbt128 = forms.BooleanField(
        label=_("Dùng mã túi máu ISBT 128"), required=False,
        help_text=_("Mã quét được kiểm tra cấu trúc và ký tự kiểm tra."))
    bag_number_pattern = forms.CharField(
        label=_("Quy cách mã túi máu (khi không dùng ISBT 128)"), required=False,
        max_length=100, help_text=_(
            "# là một chữ số, @ là một chữ cái, * là chữ hoặc số, ký tự khác giữ nguyên; "
            "nhiều quy cách cách nhau bằng dấu phẩy. Ví dụ: HM####-######. Để trống: mã "
            "túi chỉ cần có chữ số."))
