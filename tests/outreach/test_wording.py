"""Message templates: placeholders checked when written, filled per donor."""

import datetime

import pytest

from hienmau.outreach import wording


def test_a_template_with_known_placeholders_passes():
    wording.check(wording.DEFAULTS["invitation"])
    wording.check("{don_vi} kính gửi {ho_ten}, nhóm máu {nhom_mau}.")


def test_an_unknown_placeholder_is_named_in_the_error():
    with pytest.raises(wording.WordingError) as error:
        wording.check("Chào {ten}, hẹn gặp {ngay_mai} tại {dia_chi}")
    assert error.value.code == "unknown_placeholder"
    assert "{dia_chi}, {ngay_mai}" in error.value.message
    assert "{ho_ten}" in error.value.message  # the ones that may be used are listed


@pytest.mark.parametrize("text", ["Chào {ten", "Chào ten}", "Chào {}"])
def test_unbalanced_or_empty_braces_are_refused(text):
    with pytest.raises(wording.WordingError):
        wording.check(text)


def test_every_default_template_is_valid():
    for text in [*wording.DEFAULTS.values(), *wording.WITHOUT_TIME.values()]:
        wording.check(str(text))


def drive_of(tree, **fields):
    from hienmau.plans.models import Drive

    fields = {"date": datetime.date(2026, 4, 5), "venue": "Nhà văn hóa xã",
              "start_time": datetime.time(7, 30), "organizer": tree["district_one"],
              "expected_units": 2, "title": "Ngày hội Chủ nhật Đỏ", **fields}
    return Drive.objects.create(**fields)


def test_filling_gives_the_donors_names_and_the_drives_details(make_donor, tree):
    donor = make_donor("Nguyễn Thị Thu Hà", blood_group="O", rh="+")
    values = wording.values_for(donor, tree["district_one"], drive_of(tree), link="https://x/dk")
    text = wording.render("{ten} ({ho_ten}, {nhom_mau}): {dot}, {dia_diem}, {ngay} {gio}. "
                          "{lien_ket} — {don_vi}", values)
    assert text == ("Hà (Nguyễn Thị Thu Hà, O+): Ngày hội Chủ nhật Đỏ, Nhà văn hóa xã, "
                    "05/04/2026 07:30. https://x/dk — BCĐ huyện Một")


def test_the_link_of_a_drive_is_its_public_sign_up_page(tree, settings):
    settings.SITE_URL = "https://hienmau.example.vn"
    drive = drive_of(tree)
    values = wording.mailing_values(tree["district_one"], drive)
    assert wording.render("Đăng ký: {lien_ket}", values) == \
        f"Đăng ký: https://hienmau.example.vn/hien-mau/{drive.code}/"


# The rule: no message leaves with an empty placeholder -------------------------------

def test_drive_placeholders_without_a_drive_stop_the_mailing_and_are_named(tree):
    values = wording.mailing_values(tree["district_one"])
    with pytest.raises(wording.Blank) as error:
        wording.render("Mời {ho_ten} hiến máu ngày {ngay}. Xem lịch: {lien_ket}", values,
                       why={"ngay": "Chưa chọn đợt.", "lien_ket": "Chưa chọn đợt."})
    blank = error.value
    assert blank.names == ("ngay", "lien_ket") and not blank.per_recipient
    assert blank.code == "empty_placeholder"
    assert blank.message == ("Tin sẽ bị bỏ trống ở chỗ điền {ngay} (ngày hiến máu), "
                             "{lien_ket} (liên kết đăng ký hoặc trả lời). Chưa chọn đợt.")


def test_without_a_reason_the_message_says_to_take_the_placeholder_out(tree):
    with pytest.raises(wording.Blank) as error:
        wording.render("Từ {ngay_du_dieu_kien}", wording.mailing_values(tree["district_one"]))
    assert error.value.message == (
        "Tin sẽ bị bỏ trống ở chỗ điền {ngay_du_dieu_kien} (ngày đủ điều kiện hiến lại). "
        "Không có thông tin để điền vào đó: hãy bỏ chỗ điền này khỏi nội dung.")


def test_a_drive_without_a_start_time_cannot_fill_gio_but_fills_the_rest(tree):
    values = wording.mailing_values(tree["district_one"], drive_of(tree, start_time=None))
    with pytest.raises(wording.Blank) as error:
        wording.render("Ngày {ngay} lúc {gio}", values)
    assert error.value.names == ("gio",) and not error.value.per_recipient
    assert wording.render("Ngày {ngay} tại {dia_diem}", values) == \
        "Ngày 05/04/2026 tại Nhà văn hóa xã"


def test_the_mailing_is_checked_before_its_recipients_are_known(tree):
    """Recipient placeholders absent from the values are left to each recipient."""
    values = wording.mailing_values(tree["district_one"], drive_of(tree))
    wording.render("{ho_ten} ơi, {dot} cần bạn nhóm {nhom_mau}", values)  # no error
    with pytest.raises(wording.Blank):
        wording.render("{ho_ten} ơi, {dot}", {**values, "ho_ten": ""})


@pytest.mark.parametrize(("name", "fields", "reason"), [
    ("nhom_mau", {}, "blank_nhom_mau"),
    ("ho_ten", {"full_name": "  "}, "blank_ho_ten"),
    ("ten", {"full_name": ""}, "blank_ten"),
])
def test_a_recipients_empty_value_leaves_that_recipient_out(tree, name, fields, reason):
    from hienmau.donors.models import Donor

    donor = Donor(**{"full_name": "Lê Văn Nam", **fields})
    values = wording.values_for(donor, tree["district_one"])
    with pytest.raises(wording.Blank) as error:
        wording.render(f"Chào {{{name}}}", values)
    assert error.value.per_recipient and error.value.skip_reason == reason


def test_a_blank_of_the_mailing_and_of_the_recipient_together_stop_the_mailing(tree):
    from hienmau.donors.models import Donor

    values = wording.values_for(Donor(full_name="Lê Văn Nam"), tree["district_one"])
    with pytest.raises(wording.Blank) as error:
        wording.render("Nhóm {nhom_mau}, đợt {dot}", values)
    assert error.value.names == ("nhom_mau", "dot") and not error.value.per_recipient


def test_render_also_refuses_unknown_placeholders(tree):
    with pytest.raises(wording.WordingError) as error:
        wording.render("Chào {ban}", wording.mailing_values(tree["district_one"]))
    assert error.value.code == "unknown_placeholder"


def test_the_daily_jobs_text_for_a_drive_without_a_start_time_has_no_gio(make_donor, tree):
    timed, untimed = drive_of(tree), drive_of(tree, start_time=None)
    donor = make_donor("Nguyễn Văn An")
    for kind in ("invitation", "reminder"):
        assert "{gio}" in wording.default_text(kind, timed)
        text = wording.default_text(kind, untimed)
        assert "{gio}" not in text and "lúc" not in text
        wording.render(text, wording.values_for(donor, tree["district_one"], untimed))
    assert wording.default_text("appeal", untimed) == str(wording.DEFAULTS["appeal"])
