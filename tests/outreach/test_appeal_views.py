"""The emergency appeal pages: the list, a new appeal (preview, then the first wave),
the appeal's page and its live answers, the next wave now, closing; who may do what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.drives.models import Donation
from hienmau.outreach import appeals, consent, wording
from hienmau.outreach.models import Appeal, AppealStatus, Message, MessageStatus

PROVINCE = 33


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0


@pytest.fixture
def donors(make_donor, tree):
    """Three O+ donors who may be asked, and four who may not."""
    def o(name, **fields):
        fields.setdefault("blood_group", "O")
        fields.setdefault("rh", "+")
        return make_donor(name, province_code=PROVINCE, **fields)
    recent = o("Mới Hiến Xong")
    Donation.objects.create(donor=recent, receiving_institution=tree["institute"],
                            date=timezone.localdate() - datetime.timedelta(days=20))
    return {
        "yes": [o("Nguyễn Văn An"), o("Trần Thị Bình"), o("Lê Văn Cường", consents=("email",),
                                                           email="cuong@example.vn")],
        "no": [o("Nhóm A Một", blood_group="A"), o("Không Đồng Ý", consents=()), recent,
               o("Huyện Hai", home=tree["district_two"])],
    }


def form_data(tree, **overrides):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"requester": str(tree["district_one"].code), "blood_group": "O", "rh": "+",
            "needed": "1", "venue": "Bệnh viện Đa khoa tỉnh, khoa Huyết học",
            "needed_by_date": tomorrow.strftime("%d/%m/%Y"), "needed_by_time": "17:30",
            "province_code": "", "commune_code": "", "channel_1": "zalo", "channel_2": "sms",
            "channel_3": "email", "wave_size": "", "wave_minutes": "30",
            "body": str(wording.DEFAULTS["appeal"])}
    data.update(overrides)
    return data


@pytest.fixture
def appeal(tree, office, donors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = appeals.create(
            actor=office, requester=tree["district_one"], blood_group="O", rh="+", needed=1,
            place="Bệnh viện huyện Một", channels=["sms", "email"],
            needed_by=timezone.now() + datetime.timedelta(hours=6),
            body=str(wording.DEFAULTS["appeal"]))
    return made


def answer_link(message):
    return reverse("outreach:answer", args=[consent.token(message)])


def test_the_list_shows_appeals_and_the_button_for_those_who_may_send(
        client_for, office, coordinator, appeal):
    page = client_for(coordinator).get(reverse("outreach:appeals")).content.decode()
    assert "O+" in page and "BCĐ huyện Một" in page and "0</span> / 1" in page
    assert "Đang kêu gọi" in page
    assert reverse("outreach:appeal_create") not in page  # a coordinator may not send
    page = client_for(office).get(reverse("outreach:appeals")).content.decode()
    assert reverse("outreach:appeal_create") in page


def test_the_list_says_when_there_is_none(client_for, office):
    response = client_for(office).get(reverse("outreach:appeals"))
    assert "Chưa có lời kêu gọi khẩn cấp nào" in response.content.decode()


def test_the_menu_and_the_tabs_lead_each_role_to_its_half(client_for, office, staff):
    """Hospital staff may only ask for blood: their menu opens the appeals; the office's
    opens the mailings, with a tab to the appeals."""
    page = client_for(staff).get(reverse("home")).content.decode()
    assert f'href="{reverse("outreach:appeals")}"' in page
    assert f'href="{reverse("outreach:mailings")}"' not in page
    page = client_for(office).get(reverse("outreach:mailings")).content.decode()
    assert 'data-testid="outreach-tabs"' in page
    assert f'href="{reverse("outreach:appeals")}"' in page


def test_the_form_starts_from_the_unit_and_the_default_message(client_for, office, tree):
    url = reverse("outreach:appeal_create") + f"?don-vi={tree['district_one'].code}"
    page = client_for(office).get(url).content.decode()
    assert f'value="{tree["district_one"].code}" selected' in page
    assert "KHẨN: {don_vi} cần người hiến máu nhóm {nhom_mau}" in page
    assert "{lien_ket}" in page and 'value="30"' in page


def test_preview_then_send_queues_the_first_wave_for_matching_consenting_eligible_donors(
        client_for, office, tree, donors, django_capture_on_commit_callbacks):
    client = client_for(office)
    url = reverse("outreach:appeal_create")
    preview = client.post(url, form_data(tree, step="preview"))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert Appeal.objects.count() == 0  # the preview writes nothing
    assert 'data-testid="matching">4<' in page  # 3 + the one without consent
    assert 'data-testid="reachable">3<' in page
    assert 'data-testid="first-wave">3<' in page  # 3 × 1 needed
    assert "chưa đồng ý nhận tin" in page
    assert "cần người hiến máu nhóm O+" in page and "BCĐ huyện Một" in page
    assert "Gửi đợt đầu" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(tree, step="send"))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:appeal", args=[appeal.code])
    assert appeal.needed_by == timezone.make_aware(datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time(17, 30)))
    assert appeal.channels == ["zalo", "sms", "email"] and appeal.created_by == office
    messages = Message.objects.filter(mailing__appeal=appeal)
    assert {m.donor for m in messages} == set(donors["yes"])
    assert {m.donor.full_name: m.channel for m in messages}["Lê Văn Cường"] == "email"
    assert all("/tra-loi/" in m.body for m in messages)
    page = client.get(response["Location"]).content.decode()
    assert "Đã tạo lời kêu gọi" in page and 'data-testid="waves">1 đợt' in page


def test_a_past_deadline_is_refused_with_the_input_kept(client_for, office, tree, donors):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = form_data(tree, step="send", needed_by_date=yesterday.strftime("%d/%m/%Y"),
                     venue="Khoa Cấp cứu, tầng 3")
    response = client_for(office).post(reverse("outreach:appeal_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thời hạn đã qua: hãy chọn một thời điểm sắp tới." in page
    assert 'value="Khoa Cấp cứu, tầng 3"' in page
    assert yesterday.strftime("%d/%m/%Y") in page
    assert Appeal.objects.count() == 0
    # The preview says so too.
    data["step"] = "preview"
    page = client_for(office).post(reverse("outreach:appeal_create"), data).content.decode()
    assert "Thời hạn đã qua" in page and 'data-testid="send"' not in page


@pytest.mark.parametrize(("field", "value", "error"), [
    ("blood_group", "", "This field is required"),
    ("needed_by_date", "31/02/2026", "dd/mm/yyyy"),
    ("needed_by_time", "5 giờ", "hh:mm"),
    ("channel_2", "zalo", "Mỗi kênh chỉ chọn một lần."),
    ("body", "Cần máu {nhom} {lien_ket}", "chỗ điền không có: {nhom}"),
    ("body", "Cần máu cho {dot}: {lien_ket}", "Tin sẽ bị bỏ trống ở chỗ điền {dot} (tên đợt "
     "hiến máu). Lời kêu gọi khẩn cấp không gắn với đợt hiến máu nào: hãy bỏ {dot} khỏi nội "
     "dung."),
])
def test_bad_input_is_explained_and_kept(client_for, office, tree, field, value, error,
                                         settings):
    settings.LANGUAGE_CODE = "vi"
    data = form_data(tree, step="send", **{field: value})
    page = client_for(office).post(reverse("outreach:appeal_create"), data).content.decode()
    assert Appeal.objects.count() == 0
    if field == "body":  # the preview refuses it too
        data["step"] = "preview"
        preview = client_for(office).post(reverse("outreach:appeal_create"), data)
        assert error in preview.content.decode() and preview.context["preview"] is None
    assert "Chưa tạo được lời kêu gọi" in page
    assert 'value="Bệnh viện Đa khoa tỉnh, khoa Huyết học"' in page
    if error != "This field is required":
        assert error in page


def test_who_may_create(client_for, viewer, coordinator, outsider, staff, tree):
    url = reverse("outreach:appeal_create")
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(coordinator).post(url, form_data(tree, step="send")).status_code == 403
    assert client_for(outsider).get(url).status_code == 403
    # Staff send for their institution; another unit is out of their reach.
    assert client_for(staff).get(url).status_code == 200
    assert client_for(staff).get(f"{url}?don-vi={tree['district_one'].code}").status_code == 404
    page = client_for(staff).post(url, form_data(tree, step="preview")).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page or "valid choice" in page
    assert Appeal.objects.count() == 0


def test_the_page_and_the_partial_show_the_answers(client, client_for, office, coordinator,
                                                   appeal, donors):
    message = Message.objects.filter(mailing__appeal=appeal).order_by("pk").first()
    other = Message.objects.filter(mailing__appeal=appeal).exclude(pk=message.pk).first()
    client.post(answer_link(other), {"answer": "no"})
    partial = reverse("outreach:appeal_responses", args=[appeal.code])
    page = client_for(office).get(reverse("outreach:appeal", args=[appeal.code])).content.decode()
    assert 'hx-trigger="every 5s"' in page and partial in page
    assert "Chưa có ai nhận lời" in page
    assert "1 người không đến được" in page
    client.logout()

    response = client.post(answer_link(message), {"answer": "yes"})
    assert response.status_code == 200
    part = client_for(office).get(partial, HTTP_HX_REQUEST="true")
    text = part.content.decode()
    assert message.donor.full_name in text and 'data-testid="yes-count">1 / 1' in text
    # The office calls them: the full number; the appeal filled, the page reloads once.
    assert message.donor.phone_local in text
    assert part["HX-Refresh"] == "true"
    text = client_for(coordinator).get(partial).content.decode()
    assert message.donor.full_name in text and message.donor.phone_local not in text
    assert "***" in text
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILLED
    page = client_for(office).get(reverse("outreach:appeal", args=[appeal.code])).content.decode()
    assert "Đã đủ người" in page and 'hx-trigger="every 5s"' not in page
    assert "Gửi đợt tiếp ngay" not in page


def test_the_next_wave_now_and_closing(client_for, office, tree, make_donor, appeal,
                                       django_capture_on_commit_callbacks):
    client = client_for(office)
    page = client.get(reverse("outreach:appeal", args=[appeal.code])).content.decode()
    assert "Gửi đợt tiếp ngay" in page and "Kết thúc kêu gọi" in page
    wave = reverse("outreach:appeal_wave", args=[appeal.code])
    response = client.post(wave, follow=True)
    assert "Không còn người phù hợp" in response.content.decode()
    make_donor("Người Mới", blood_group="O", rh="+")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(wave, follow=True)
    assert "Đã gửi thêm 1 tin" in response.content.decode()
    assert Message.objects.filter(mailing__appeal=appeal).count() == 4
    appeal.refresh_from_db()
    assert appeal.waves_sent == 3
    # A message of the last wave still queued: closing cancels it.
    Message.objects.filter(mailing__appeal=appeal).update(status=MessageStatus.QUEUED)
    response = client.post(reverse("outreach:appeal_close", args=[appeal.code]), follow=True)
    page = response.content.decode()
    assert "Đã kết thúc kêu gọi" in page and "Gửi đợt tiếp ngay" not in page
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED
    assert not Message.objects.filter(mailing__appeal=appeal,
                                      status=MessageStatus.QUEUED).exists()
    response = client.post(wave, follow=True)
    assert "Lời kêu gọi đã kết thúc, không gửi thêm." in response.content.decode()
    assert Message.objects.filter(mailing__appeal=appeal).count() == 4


def test_scoping(client_for, outsider, viewer, coordinator, staff, appeal):
    detail = reverse("outreach:appeal", args=[appeal.code])
    partial = reverse("outreach:appeal_responses", args=[appeal.code])
    wave = reverse("outreach:appeal_wave", args=[appeal.code])
    close = reverse("outreach:appeal_close", args=[appeal.code])
    for url in (detail, partial):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(viewer).get(url).status_code == 403
        assert client_for(staff).get(url).status_code == 404
    for url in (wave, close):
        assert client_for(outsider).post(url).status_code == 404
        assert client_for(viewer).post(url).status_code == 403
        assert client_for(coordinator).post(url).status_code == 403
        assert client_for(coordinator).get(url).status_code == 405
    # The coordinator sees the page, without the buttons.
    page = client_for(coordinator).get(detail).content.decode()
    assert "Gửi đợt tiếp ngay" not in page and "Kết thúc kêu gọi" not in page
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN
    assert client_for(outsider).get(reverse("outreach:appeals")).content.decode().count(
        "appeal-row") == 0
