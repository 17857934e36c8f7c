"""Forms of the mailing pages (compose, with the audience's filters) and of a club's
members page (add a member with the channels they agreed to)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from hienmau.donors.models import BloodGroup, Consent, Rh, Sex
from hienmau.orgs.forms import PlaceFieldsMixin
from hienmau.outreach import wording
from hienmau.outreach.audience import Filters
from hienmau.outreach.models import Channel
from hienmau.ui import StyledFormMixin

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_ERROR = _("Hãy nhập ngày theo dạng dd/mm/yyyy, ví dụ 14/06/2025.")


def _org_choice(label, queryset):
    field = forms.ModelChoiceField(label=label, queryset=queryset, required=False,
                                   to_field_name="code", empty_label="—")
    field.label_from_instance = lambda org: org.name
    return field


class MailingForm(StyledFormMixin, PlaceFieldsMixin, forms.Form):
    instance = None  # PlaceFieldsMixin reads a model form's instance
    sender = forms.ModelChoiceField(label=_("Đơn vị gửi"), queryset=None, to_field_name="code",
                                    empty_label=None)
    # Choices: the drives `access.drives_to_announce` gives, grouped by month.
    drive = forms.ChoiceField(
        label=_("Đợt hiến máu"), required=False,
        error_messages={"invalid_choice": _(
            "Đợt hiến máu này không còn nhận đăng ký (đã diễn ra, đã kết thúc hoặc đã hủy), "
            "hoặc bạn không được xem: hãy chọn đợt khác.")},
        help_text=_("Tin nói về đợt nào thì chọn đợt đó: các chỗ điền {dot}, {ngay}, {gio}, "
                    "{dia_diem} và {lien_ket} (trang đăng ký của đợt) lấy từ đây. Danh sách "
                    "gồm các đợt sắp tới còn nhận đăng ký mà bạn được xem."))
    title = forms.CharField(label=_("Tên đợt gửi"), max_length=200, help_text=_(
        "Chỉ người quản lý thấy, ví dụ “Mời hiến máu đợt tháng 6”."))
    channels = forms.MultipleChoiceField(
        label=_("Kênh gửi"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một kênh gửi.")},
        help_text=_("Theo thứ tự ưu tiên Zalo, SMS, E-mail: mỗi người nhận một tin, qua kênh "
                    "đầu tiên họ đã đồng ý và có địa chỉ."))
    subject = forms.CharField(label=_("Tiêu đề e-mail"), max_length=200, required=False,
                              help_text=_("Để trống: dùng tên đợt gửi."))
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=2000)
    # The audience (audience.Filters); province and commune come from PlaceFieldsMixin.
    workplace = _org_choice(_("Nơi làm việc, học tập"), None)
    club = _org_choice(_("Câu lạc bộ"), None)
    blood_group = forms.ChoiceField(label=_("Nhóm máu ABO"), required=False,
                                    choices=[("", "—"), *BloodGroup.choices])
    rh = forms.ChoiceField(label=_("Rh"), required=False, choices=[("", "—"), *Rh.choices])
    eligible_on = forms.DateField(
        label=_("Đủ điều kiện hiến máu vào ngày"), required=False, widget=DATE_WIDGET,
        error_messages={"invalid": DATE_ERROR},
        help_text=_("Theo quy định về thời gian giữa hai lần hiến (TT 26/2013)."))
    last_donation_before = forms.DateField(
        label=_("Lần hiến gần nhất trước ngày"), required=False, widget=DATE_WIDGET,
        error_messages={"invalid": DATE_ERROR})
    min_donations = forms.IntegerField(
        label=_("Đã hiến ít nhất (lần)"), required=False, min_value=1, max_value=500,
        help_text=_("Tính cả số lần hiến trước khi có HienMau."))

    def __init__(self, *args, senders, units, clubs, drives=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = senders
        self.drives = {str(drive.code): drive for drive in drives}
        self.fields["drive"].choices = [("", _("— Không chọn đợt —")),
                                        *drive_choices(drives)]
        self.fields["sender"].label_from_instance = lambda org: org.name
        self.fields["workplace"].queryset = units
        self.fields["club"].queryset = clubs
        self.fields["channels"].widget.attrs["class"] = "form-check-input"
        self.tiers = sorted({tier.donations for tier in tiers})
        if self.tiers:
            self.fields["min_donations"].widget.attrs["list"] = "milestone-tiers"
        self.setup_place_fields()

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            wording.check(body)
        except wording.WordingError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return body

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "{" in subject or "}" in subject:
            raise forms.ValidationError(_(
                "Tiêu đề e-mail không dùng được chỗ điền { }: hãy ghi một tiêu đề chung cho "
                "mọi người nhận."), code="placeholder_in_subject")
        return subject

    def clean_drive(self):
        return self.drives.get(self.cleaned_data["drive"])

    def clean_channels(self):
        chosen = set(self.cleaned_data["channels"])
        return [value for value, _label in Channel.choices if value in chosen]

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        if cleaned.get("body") and cleaned.get("sender") and not self.has_error("drive"):
            # The mailing's own values, before any recipient: a placeholder they leave
            # empty would be empty in every message.
            drive, eligible_on = cleaned.get("drive"), cleaned.get("eligible_on")
            try:
                wording.render(cleaned["body"], self.mailing_values(), why=blank_reasons(
                    drive, eligible_on))
            except wording.Blank as error:
                self.add_error("body", forms.ValidationError(error.message, code=error.code))
        return cleaned

    def mailing_values(self) -> dict:
        data = self.cleaned_data
        return wording.mailing_values(data["sender"], data.get("drive"),
                                      eligible_on=data.get("eligible_on"))

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            province_code=data.get("province_code"), commune_code=data.get("commune_code"),
            workplace=str(data["workplace"].code) if data.get("workplace") else "",
            club=str(data["club"].code) if data.get("club") else "",
            blood_group=data.get("blood_group") or "", rh=data.get("rh") or "",
            eligible_on=data.get("eligible_on"),
            last_donation_before=data.get("last_donation_before"),
            min_donations=data.get("min_donations"))


def drive_label(drive) -> str:
    when = drive.date.strftime("%d/%m/%Y")
    if drive.start_time:
        when += drive.start_time.strftime(" %H:%M")
    return f"{when} · {drive} · {drive.venue}"


def drive_choices(drives) -> list:
    """The drives as <optgroup>s by month ("Tháng 06/2026"), in the order given."""
    groups: dict[str, list] = {}
    for drive in drives:
        month = _("Tháng %(month)s") % {"month": drive.date.strftime("%m/%Y")}
        groups.setdefault(month, []).append((str(drive.code), drive_label(drive)))
    return list(groups.items())


def blank_reasons(drive, eligible_on) -> dict:
    """Why a placeholder of a typed mailing would be empty, and what to do (`Blank`)."""
    no_drive = _("Chưa chọn đợt hiến máu: hãy chọn đợt ở ô “Đợt hiến máu”, hoặc bỏ chỗ điền "
                 "này khỏi nội dung.")
    why = dict.fromkeys(wording.DRIVE, no_drive) if drive is None else {
        "gio": _("Đợt hiến máu đã chọn chưa ghi giờ bắt đầu: hãy ghi giờ trên trang của đợt, "
                 "hoặc bỏ {gio} khỏi nội dung."),
        "dia_diem": _("Đợt hiến máu đã chọn chưa ghi địa điểm: hãy ghi địa điểm trên trang "
                      "của đợt, hoặc bỏ {dia_diem} khỏi nội dung.")}
    if eligible_on is None:
        why["ngay_du_dieu_kien"] = _(
            "Ngày này lấy từ điều kiện “Đủ điều kiện hiến máu vào ngày” ở phần Người nhận: "
            "hãy chọn ngày đó, hoặc bỏ chỗ điền này khỏi nội dung.")
    return why


CONSENT_CHOICES = [("sms", _("Đồng ý nhận tin qua SMS")),
                   ("zalo", _("Đồng ý nhận tin qua Zalo")),
                   ("email", _("Đồng ý nhận tin qua E-mail"))]


class MemberForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, help_text=_(
        "Ví dụ: 0912 345 678. Người đã có hồ sơ với số này được thêm vào câu lạc bộ, không "
        "tạo hồ sơ mới."))
    birth_year = forms.IntegerField(label=_("Năm sinh"), min_value=1900,
                                    max_value=datetime.date.today().year)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices],
                            required=False)
    blood_group = forms.ChoiceField(label=_("Nhóm máu ABO"), required=False,
                                    choices=[("", "—"), *BloodGroup.choices])
    rh = forms.ChoiceField(label=_("Rh"), required=False, choices=[("", "—"), *Rh.choices])
    email = forms.EmailField(label=_("E-mail"), required=False,
                             error_messages={"invalid": _("Địa chỉ e-mail không hợp lệ.")})
    consents = forms.MultipleChoiceField(label=_("Đồng ý nhận tin"), choices=CONSENT_CHOICES,
                                         required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text=_("Chỉ đánh dấu kênh người này đã đồng ý."))
    consent_channel = forms.ChoiceField(
        label=_("Hình thức đồng ý"), initial=Consent.Channel.PAPER,
        choices=[(Consent.Channel.PAPER, Consent.Channel.PAPER.label),
                 (Consent.Channel.PHONE, Consent.Channel.PHONE.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consents"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        if "email" in (cleaned.get("consents") or []) and not cleaned.get("email"):
            self.add_error("email", _("Hãy ghi e-mail nếu người này đồng ý nhận e-mail."))
        return cleaned


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": _("Họ tên (không cần dấu) hoặc số điện thoại"),
               "class": "form-control", "type": "search"}))
