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
    for text in wording.DEFAULTS.values():
        wording.check(str(text))


def test_filling_gives_the_donors_names_and_the_drives_details(make_donor, tree):
    from hienmau.plans.models import Drive

    donor = make_donor("Nguyễn Thị Thu Hà", blood_group="O", rh="+")
    drive = Drive.objects.create(date=datetime.date(2026, 4, 5), venue="Nhà văn hóa xã",
                                 start_time=datetime.time(7, 30), organizer=tree["district_one"],
                                 expected_units=2, title="Ngày hội Chủ nhật Đỏ")
    values = wording.values_for(donor, tree["district_one"], drive, link="https://x/dk")
    text = wording.fill("{ten} ({ho_ten}, {nhom_mau}): {dot}, {dia_diem}, {ngay} {gio}. "
                        "{lien_ket} — {don_vi}", values)
    assert text == ("Hà (Nguyễn Thị Thu Hà, O+): Ngày hội Chủ nhật Đỏ, Nhà văn hóa xã, "
                    "05/04/2026 07:30. https://x/dk — BCĐ huyện Một")


def test_a_donor_without_a_known_blood_group_reads_chua_ro(make_donor, tree):
    donor = make_donor("Lê Văn Nam")
    assert wording.fill("nhóm {nhom_mau}", wording.values_for(donor, tree["district_one"])) \
        == "nhóm chưa rõ"
