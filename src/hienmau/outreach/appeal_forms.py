"""The emergency appeal form: who asks, for whom, where and until when, through which
channels in which order, and the message. The rules (a deadline to come, a known
placeholder) are `appeals.create`'s; the form checks what people type."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hienmau.donors.models import BloodGroup, Rh
from hienmau.orgs.forms import DATE_WIDGET, PlaceFieldsMixin, indented_label
from hienmau.orgs.models import Organization
from hienmau.outreach.models import Channel
from hienmau.ui import StyledFormMixin

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"})
CHANNEL_FIELDS = ("channel_1", "channel_2", "channel_3")
# What each placeholder holds in an appeal's message (`appeals.run_wave` fills them);
# the drive's name and the eligible-again day stay empty there, so they are not offered.
PLACEHOLDERS = {
    "ten": _("tên gọi của người nhận"),
    "ho_ten": _("họ và tên người nhận"),
    "nhom_mau": _("nhóm máu cần"),
    "don_vi": _("đơn vị kêu gọi"),
    "dia_diem": _("nơi đến hiến"),
    "ngay": _("ngày cần trước"),
    "gio": _("giờ cần trước"),
    "lien_ket": _("liên kết trả lời"),
}


class RequesterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return indented_label(obj)


class AppealForm(StyledFormMixin, PlaceFieldsMixin, forms.Form):
    instance = None  # PlaceFieldsMixin reads the initial province from a model form's
    requester = RequesterField(queryset=Organization.objects.none(), to_field_name="code",
                               label=_("Đơn vị kêu gọi"), empty_label=None)
    blood_group = forms.ChoiceField(label=_("Nhóm máu ABO"),
                                    choices=[("", "—")] + BloodGroup.choices)
    rh = forms.ChoiceField(label=_("Rh"), required=False,
                           choices=[("", _("Cả hai (+ và −)"))] + Rh.choices)
    needed = forms.IntegerField(label=_("Số người cần"), min_value=1, max_value=1000,
                                error_messages={"min_value": _("Số người cần phải từ 1 trở "
                                                               "lên.")})
    # Not "place": the mixin's clean_place(cleaned) would be taken for its field hook.
    venue = forms.CharField(label=_("Nơi đến hiến"), max_length=300,
                            widget=forms.TextInput(attrs={
                                "placeholder": _("Ví dụ: Bệnh viện Đa khoa tỉnh, khoa Huyết học "
                                                 "(tầng 2)")}))
    needed_by_date = forms.DateField(label=_("Cần trước ngày"), widget=DATE_WIDGET,
                                     input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                     error_messages={"invalid": _("Hãy ghi ngày theo dạng "
                                                                  "dd/mm/yyyy.")})
    needed_by_time = forms.TimeField(label=_("Giờ"), widget=TIME_WIDGET,
                                     input_formats=["%H:%M", "%H:%M:%S"],
                                     error_messages={"invalid": _("Hãy ghi giờ theo dạng "
                                                                  "hh:mm, ví dụ 17:30.")})
    channel_1 = forms.ChoiceField(label=_("Kênh ưu tiên 1"), choices=Channel.choices)
    channel_2 = forms.ChoiceField(label=_("Kênh ưu tiên 2"), required=False,
                                  choices=[("", "—")] + Channel.choices)
    channel_3 = forms.ChoiceField(label=_("Kênh ưu tiên 3"), required=False,
                                  choices=[("", "—")] + Channel.choices)
    wave_size = forms.IntegerField(
        label=_("Số người mỗi đợt gửi"), required=False, min_value=1, max_value=10000,
        help_text=_("Để trống: mỗi đợt gửi gấp 3 lần số người còn thiếu."))
    wave_minutes = forms.IntegerField(label=_("Phút giữa hai đợt gửi"), min_value=5,
                                      max_value=24 * 60, initial=30)
    body = forms.CharField(label=_("Nội dung tin"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=1000)

    def __init__(self, *args, requesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = requesters
        self.fields["body"].help_text = _("Chỗ điền: %(names)s. Mỗi tin tự thêm cách ngừng "
                                          "nhận tin ở cuối.") % {
            "names": ", ".join(f"{{{name}}} ({label})" for name, label in PLACEHOLDERS.items())}
        self.setup_place_fields()
        # The place fields come from the mixin first: put them after the deadline.
        order = ["requester", "blood_group", "rh", "needed", "venue", "needed_by_date",
                 "needed_by_time", "province_code", "commune_code", *CHANNEL_FIELDS,
                 "wave_size", "wave_minutes", "body"]
        self.order_fields(order)
        self.fields["province_code"].help_text = _(
            "Người hiến ở xã/phường, rồi tỉnh này được hỏi trước; sau đó đến những người "
            "khác của đơn vị.")

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        chosen = [cleaned.get(name) for name in CHANNEL_FIELDS if cleaned.get(name)]
        if len(set(chosen)) != len(chosen):
            self.add_error("channel_2", _("Mỗi kênh chỉ chọn một lần."))
        cleaned["channels"] = list(dict.fromkeys(chosen))
        day, time = cleaned.get("needed_by_date"), cleaned.get("needed_by_time")
        if day and time:
            cleaned["needed_by"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return cleaned

    def appeal_fields(self) -> dict:
        """The keyword arguments of `appeals.create` (actor aside)."""
        data = self.cleaned_data
        return {"requester": data["requester"], "blood_group": data["blood_group"],
                "rh": data["rh"] or "", "needed": data["needed"], "place": data["venue"],
                "needed_by": data["needed_by"], "channels": data["channels"],
                "body": data["body"], "province_code": data.get("province_code"),
                "commune_code": data.get("commune_code"), "wave_size": data.get("wave_size"),
                "wave_minutes": data["wave_minutes"]}
