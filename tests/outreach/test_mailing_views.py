"""Mailing pages: list, compose → preview → send, detail, cancel, and their scoping."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hienmau.orgs.models import AuditEntry
from hienmau.outreach import outbox
from hienmau.outreach.models import Mailing, Message, MessageStatus

COMPOSE = reverse("outreach:mailing_create")


def form_data(sender, **extra):
    data = {"sender": str(sender.code), "title": "Mời hiến máu tháng 6",
            "channels": ["zalo", "sms"], "subject": "",
            "body": "{don_vi} kính gửi {ho_ten}: mời bạn.",
            "province_code": "", "commune_code": "", "workplace": "", "club": "",
            "blood_group": "", "rh": "", "eligible_on": "", "last_donation_before": "",
            "min_donations": ""}
    data.update(extra)
    return data


@pytest.fixture
def donors(make_donor):
    return {"zalo": make_donor("Nguyễn Văn An", consents=("zalo",)),
            "sms": make_donor("Trần Thị Bình", consents=("sms",)),
            "none": make_donor("Lê Văn Cường", consents=()),
            "email": make_donor("Phạm Thị Dung", consents=("email",),
                                email="dung@example.vn")}


def test_compose_preview_send_queues_what_consent_allows(client_for, coordinator, tree, donors):
    client = client_for(coordinator)
    page = client.get(COMPOSE + f"?don-vi={tree['district_one'].code}")
    assert page.status_code == 200
    assert "kính gửi {ho_ten}" in page.content.decode()
    assert "{ngay_du_dieu_kien}" in page.content.decode()  # the placeholders are listed

    preview = client.post(COMPOSE, form_data(tree["district_one"], step="preview"))
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "4 người hiến máu khớp điều kiện" in text
    assert "2 người sẽ nhận tin" in text
    assert "chưa đồng ý nhận tin qua kênh đã chọn" in text
    assert "BCĐ huyện Một kính gửi Nguyễn Văn An: mời bạn." in text
    assert len(preview.context["sample"]) == 2
    assert Mailing.objects.count() == 0  # a preview writes nothing

    data = {"step": "send"}
    for name, value in preview.context["hidden"]:
        data.setdefault(name, []).append(value)
    sent = client.post(COMPOSE, data)
    mailing = Mailing.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "outreach:mailing", kwargs={"code": mailing.code})
    assert mailing.kind == "message" and mailing.created_by == coordinator
    assert mailing.channels == ["zalo", "sms"]
    assert mailing.skipped == {"no_consent": 2}
    assert dict(Message.objects.values_list("donor__full_name", "channel")) == {
        "Nguyễn Văn An": "zalo", "Trần Thị Bình": "sms"}
    detail = client.get(sent["Location"])
    assert "Đã xếp 2 tin vào hàng đợi gửi" in detail.content.decode()
    assert detail.context["total"] == 2
    assert len(detail.context["rows"]) == 2


def test_the_preview_says_when_quiet_hours_hold_the_messages(client_for, coordinator, tree,
                                                             donors, settings):
    settings.OUTREACH_QUIET_FROM_HOUR, settings.OUTREACH_QUIET_UNTIL_HOUR = 21, 7
    late = timezone.make_aware(datetime.datetime(2026, 6, 1, 22, 30))
    with time_machine.travel(late, tick=False):
        text = client_for(coordinator).post(
            COMPOSE, form_data(tree["district_one"], step="preview")).content.decode()
    assert 'data-testid="quiet-hours"' in text and "07:00, 02/06" in text
    with time_machine.travel(late.replace(hour=10), tick=False):
        text = client_for(coordinator).post(
            COMPOSE, form_data(tree["district_one"], step="preview")).content.decode()
    assert 'data-testid="quiet-hours"' not in text


def test_edit_keeps_everything(client_for, coordinator, tree, donors):
    client = client_for(coordinator)
    page = client.post(COMPOSE, form_data(tree["district_one"], step="edit", blood_group="O",
                                          title="Giữ nguyên"))
    assert page.status_code == 200
    assert "outreach/mailing_form.html" in [t.name for t in page.templates]
    assert page.context["form"]["title"].value() == "Giữ nguyên"
    assert page.context["form"]["blood_group"].value() == "O"


def test_bad_placeholder_is_refused_and_input_kept(client_for, coordinator, tree, donors):
    client = client_for(coordinator)
    page = client.post(COMPOSE, form_data(tree["district_one"], step="preview",
                                          body="Chào {ten_sai}", title="Tin của tôi"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "chỗ điền không có: {ten_sai}" in text
    assert "Chào {ten_sai}" in text and "Tin của tôi" in text
    assert not Mailing.objects.exists()


def test_no_channel_is_refused(client_for, coordinator, tree, donors):
    page = client_for(coordinator).post(COMPOSE, form_data(tree["district_one"], channels=[],
                                                           step="preview"))
    assert "Hãy chọn ít nhất một kênh gửi." in page.content.decode()


def test_empty_audience_sends_nothing(client_for, coordinator, tree, donors):
    client = client_for(coordinator)
    for step in ("preview", "send"):
        page = client.post(COMPOSE, form_data(tree["district_one"], blood_group="AB",
                                              step=step))
        assert page.status_code == 200
        assert "Không có người hiến máu nào khớp" in page.content.decode()
    assert not Mailing.objects.exists() and not Message.objects.exists()


def test_nobody_reachable_sends_nothing(client_for, coordinator, tree, make_donor):
    make_donor("Không Đồng Ý", consents=())
    page = client_for(coordinator).post(COMPOSE, form_data(tree["district_one"], step="send"))
    assert "chưa gửi tin nào" in page.content.decode()
    assert not Mailing.objects.exists()


def test_weekly_cap_is_shown(client_for, coordinator, tree, donors, settings):
    settings.OUTREACH_MAX_PER_WEEK = 1
    client = client_for(coordinator)
    client.post(COMPOSE, form_data(tree["district_one"], step="send"))
    preview = client.post(COMPOSE, form_data(tree["district_one"], step="preview"))
    assert "đã nhận đủ 1 tin trong 7 ngày" in preview.content.decode()


def test_club_filter_preset_and_club_kind(client_for, tree, office, make_donor,
                                          django_user_model):
    from hienmau.orgs import services
    from hienmau.orgs.roles import Role

    club = services.create_organization(actor=None, parent=tree["district_one"],
                                        name="CLB Một", kind="club")
    leader = django_user_model.objects.create_user(username="leader", password="x" * 12)
    services.add_membership(actor=None, organization=club, user=leader, role=Role.COORDINATOR)
    member = make_donor("Thành Viên", consents=("sms",), clubs=[club])
    make_donor("Người Ngoài", consents=("sms",))
    client = client_for(leader)
    page = client.get(COMPOSE + f"?don-vi={club.code}&cau-lac-bo={club.code}")
    assert page.context["form"]["club"].value() == str(club.code)
    assert "CLB {don_vi} thông báo" in page.content.decode()
    data = form_data(club, club=str(club.code), body="CLB {don_vi} thông báo tới bạn {ten}: họp.",
                     step="send")
    client.post(COMPOSE, data)
    mailing = Mailing.objects.get()
    assert mailing.kind == "club" and mailing.filters == {"club": str(club.code)}
    assert list(Message.objects.values_list("donor", flat=True)) == [member.pk]


def test_compose_needs_message_donors(client_for, viewer, outsider, tree):
    assert client_for(viewer).get(COMPOSE + f"?don-vi={tree['province'].code}").status_code == 403
    assert client_for(viewer).get(COMPOSE).status_code == 403
    assert client_for(outsider).get(
        COMPOSE + f"?don-vi={tree['district_one'].code}").status_code == 404


def test_sender_outside_scope_is_refused(client_for, outsider, tree, donors):
    page = client_for(outsider).post(COMPOSE, form_data(tree["district_one"], step="send"))
    assert page.status_code == 200 and "sender" in page.context["form"].errors
    assert not Mailing.objects.exists()


def test_list_scoping_and_counts(client_for, coordinator, outsider, office, tree, mailing,
                                 queue_one, donors, django_assert_max_num_queries):
    mailing(sender=tree["district_two"], title="Tin huyện Hai")
    for n in range(30):
        mailing(title=f"Tin cũ {n}")
    queue_one(donors["sms"], donors["zalo"], channels=("sms", "zalo"), title="Tin huyện Một")
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("outreach:mailings"))
    text = page.content.decode()
    assert "Tin huyện Hai" not in text and "Soạn tin mới" in text
    assert len(page.context["rows"]) == 25
    first = page.context["rows"][0]
    assert first["mailing"].title == "Tin huyện Một" and first["queued"] == 2
    assert "Tin huyện Một" not in client_for(outsider).get(reverse("outreach:mailings")) \
        .content.decode()


def test_empty_list(client_for, staff):
    page = client_for(staff).get(reverse("outreach:mailings"))
    assert "Chưa có đợt gửi tin nào" in page.content.decode()
    assert "Soạn tin mới" not in page.content.decode()


def test_detail_scoping(client_for, outsider, viewer, office, queue_one, donors):
    message = queue_one(donors["sms"])
    url = reverse("outreach:mailing", kwargs={"code": message.mailing.code})
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    page = client_for(office).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trần Thị Bình" in text and donors["sms"].phone not in text  # masked
    assert reverse("donors:detail", kwargs={"code": donors["sms"].code}) in text


def test_cancel(client_for, coordinator, outsider, queue_one, donors):
    message = queue_one(donors["sms"], donors["zalo"], channels=("sms", "zalo"))
    mailing = message.mailing
    Message.objects.filter(donor=donors["zalo"]).update(status=MessageStatus.SENT)
    url = reverse("outreach:mailing_cancel", kwargs={"code": mailing.code})
    assert client_for(outsider).post(url).status_code == 404
    client = client_for(coordinator)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Đã hủy 1 tin chưa gửi" in response.content.decode()
    assert dict(Message.objects.values_list("donor", "status")) == {
        donors["sms"].pk: "cancelled", donors["zalo"].pk: "sent"}
    entry = AuditEntry.objects.get(action="hienmau.outreach.mailing_cancelled")
    assert entry.data["cancelled"] == 1
    assert "Không còn tin nào chờ gửi" in client.post(url, follow=True).content.decode()


# The drive a mailing is about, and no placeholder left empty -----------------------------

EVERY_PLACEHOLDER = ("{don_vi} mời {ho_ten} ({ten}, nhóm {nhom_mau}) đến {dot} tại {dia_diem} "
                     "ngày {ngay} lúc {gio}; bạn đủ điều kiện hiến từ {ngay_du_dieu_kien}. "
                     "Đăng ký: {lien_ket}")


def upcoming_drive(tree, days=10, organizer="district_one", **fields):
    from hienmau.plans.models import Drive

    fields = {"date": timezone.localdate() + datetime.timedelta(days=days),
              "venue": "Nhà văn hóa thôn Đông", "start_time": datetime.time(7, 30),
              "organizer": tree[organizer], "expected_units": 50,
              "title": "Ngày hội Chủ nhật Đỏ", **fields}
    return Drive.objects.create(**fields)


def hidden_fields(preview, step="send"):
    data = {"step": step}
    for name, value in preview.context["hidden"]:
        data.setdefault(name, []).append(value)
    return data


def test_a_mailing_about_a_drive_reaches_the_outbox_with_every_placeholder_filled(
        client_for, coordinator, tree, make_donor, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    drive = upcoming_drive(tree)
    make_donor("Nguyễn Văn An", consents=("zalo",), blood_group="O", rh="+")
    make_donor("Trần Thị Bình", consents=("sms",))  # blood group not known
    client = client_for(coordinator)
    page = client.get(COMPOSE)
    option = page.context["form"]["drive"]
    assert (str(drive.code), f"{drive.date:%d/%m/%Y} 07:30 · Ngày hội Chủ nhật Đỏ · "
            "Nhà văn hóa thôn Đông") in [c for _g, group in option.field.choices[1:]
                                         for c in group]
    day = f"{drive.date:%d/%m/%Y}"
    expected = (f"BCĐ huyện Một mời Nguyễn Văn An (An, nhóm O+) đến Ngày hội Chủ nhật Đỏ tại "
                f"Nhà văn hóa thôn Đông ngày {day} lúc 07:30; bạn đủ điều kiện hiến từ {day}. "
                f"Đăng ký: https://hienmau.example.vn/hien-mau/{drive.code}/")

    preview = client.post(COMPOSE, form_data(tree["district_one"], step="preview",
                                             drive=str(drive.code), body=EVERY_PLACEHOLDER,
                                             eligible_on=day))
    text = preview.content.decode()
    assert preview.context["rendered"] == expected and expected in text
    assert "về đợt Ngày hội Chủ nhật Đỏ" in text
    assert "1 người sẽ nhận tin" in text
    # Bình would get "nhóm ": left out, and said so.
    assert '<li data-reason="blank_nhom_mau">1 người: chưa rõ nhóm máu để điền vào ' \
           '{nhom_mau}</li>' in text

    sent = client.post(COMPOSE, hidden_fields(preview))
    mailing = Mailing.objects.get()
    assert mailing.drive == drive and mailing.skipped == {"blank_nhom_mau": 1}
    message = Message.objects.get()
    assert message.body.split("\n")[0] == expected
    detail = client.get(sent["Location"]).content.decode()
    assert f"Ngày hội Chủ nhật Đỏ, {day}" in detail

    assert outbox.send_due() == {"sent": 1}
    written = (tmp_path / "outbox" / "zalo.log").read_text(encoding="utf-8")
    assert expected in written and "{" not in written and "}" not in written


@pytest.mark.parametrize("body", ["Ngày hội sắp tới! Xem lịch: {lien_ket}",
                                  "Mời {ho_ten} đến {dot} ngày {ngay}"])
def test_drive_placeholders_without_a_drive_are_refused_at_preview_and_at_send(
        client_for, coordinator, tree, donors, body):
    client = client_for(coordinator)
    for step in ("preview", "send"):
        page = client.post(COMPOSE, form_data(tree["district_one"], step=step, body=body))
        assert page.status_code == 200
        assert "outreach/mailing_form.html" in [t.name for t in page.templates]
        error = page.context["form"].errors["body"][0]
        assert error.startswith("Tin sẽ bị bỏ trống ở chỗ điền {")
        assert error.endswith("Chưa chọn đợt hiến máu: hãy chọn đợt ở ô “Đợt hiến máu”, hoặc "
                              "bỏ chỗ điền này khỏi nội dung.")
        assert "{lien_ket} (liên kết đăng ký hoặc trả lời)" in error or \
            "{dot} (tên đợt hiến máu), {ngay} (ngày hiến máu)" in error
    assert not Mailing.objects.exists() and not Message.objects.exists()


def test_a_drive_without_a_start_time_cannot_fill_gio(client_for, coordinator, tree, donors):
    drive = upcoming_drive(tree, start_time=None)
    client = client_for(coordinator)
    page = client.post(COMPOSE, form_data(tree["district_one"], step="send",
                                          drive=str(drive.code), body="{dot} lúc {gio}"))
    assert page.context["form"].errors["body"] == [
        "Tin sẽ bị bỏ trống ở chỗ điền {gio} (giờ bắt đầu). Đợt hiến máu đã chọn chưa ghi giờ "
        "bắt đầu: hãy ghi giờ trên trang của đợt, hoặc bỏ {gio} khỏi nội dung."]
    assert not Mailing.objects.exists()
    # Without {gio}, the same drive's mailing goes.
    client.post(COMPOSE, form_data(tree["district_one"], step="send", drive=str(drive.code),
                                   body="{dot} ngày {ngay}"))
    assert Message.objects.count() == 2


def test_the_eligible_again_day_needs_the_eligible_on_condition(client_for, coordinator, tree,
                                                                donors):
    page = client_for(coordinator).post(COMPOSE, form_data(
        tree["district_one"], step="preview", body="Từ {ngay_du_dieu_kien} bạn hiến lại được."))
    assert "Ngày này lấy từ điều kiện “Đủ điều kiện hiến máu vào ngày”" in \
        page.context["form"].errors["body"][0]


def test_a_recipient_without_a_name_is_left_out_not_the_mailing(client_for, coordinator, tree,
                                                                make_donor):
    from hienmau.donors.models import Donor

    make_donor("Nguyễn Văn An", consents=("sms",))
    nameless = make_donor("Tạm", consents=("sms",))
    Donor.objects.filter(pk=nameless.pk).update(full_name="")
    client = client_for(coordinator)
    preview = client.post(COMPOSE, form_data(tree["district_one"], step="preview",
                                             body="Chào {ten}!"))
    text = preview.content.decode()
    assert "1 người sẽ nhận tin" in text and "không có họ tên để điền vào {ten}" in text
    client.post(COMPOSE, hidden_fields(preview))
    assert [m.body.split("\n")[0] for m in Message.objects.all()] == ["Chào An!"]


def test_only_open_drives_the_user_sees_are_offered(client_for, coordinator, tree, donors):
    from hienmau.plans.models import DriveStatus

    mine = upcoming_drive(tree, title="Đợt của huyện Một")
    upcoming_drive(tree, organizer="district_two", title="Đợt của huyện Hai")
    upcoming_drive(tree, days=-1, title="Đợt hôm qua")
    upcoming_drive(tree, status=DriveStatus.CANCELLED, title="Đợt đã hủy")
    closed = upcoming_drive(tree, status=DriveStatus.CLOSED, title="Đợt đã kết thúc")
    client = client_for(coordinator)
    page = client.get(COMPOSE)
    labels = [label for _g, group in page.context["form"]["drive"].field.choices[1:]
              for _code, label in group]
    assert len(labels) == 1 and "Đợt của huyện Một" in labels[0]
    assert page.context["form"]["drive"].field.choices[1][0] == \
        f"Tháng {mine.date:%m/%Y}"
    page = client.post(COMPOSE, form_data(tree["district_one"], step="send",
                                          drive=str(closed.code), body="{dot}"))
    assert page.context["form"].errors["drive"] == [
        "Đợt hiến máu này không còn nhận đăng ký (đã diễn ra, đã kết thúc hoặc đã hủy), "
        "hoặc bạn không được xem: hãy chọn đợt khác."]
    assert not Mailing.objects.exists()


def test_from_a_drive_the_form_starts_with_the_drive_and_its_invitation(client_for,
                                                                         coordinator, tree):
    drive = upcoming_drive(tree)
    page = client_for(coordinator).get(COMPOSE + f"?dot={drive.code}")
    form = page.context["form"]
    assert form["drive"].value() == str(drive.code)
    assert "{dot}" in form["body"].value() and "{lien_ket}" in form["body"].value()


def test_a_placeholder_in_the_e_mail_subject_is_refused(client_for, coordinator, tree, donors):
    page = client_for(coordinator).post(COMPOSE, form_data(
        tree["district_one"], step="preview", subject="Thư mời {ho_ten}"))
    assert page.context["form"].errors["subject"] == [
        "Tiêu đề e-mail không dùng được chỗ điền { }: hãy ghi một tiêu đề chung cho mọi người "
        "nhận."]
