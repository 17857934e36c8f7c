"""Drive-day screens per role: the check-in desk (a coordinator), screening and
collection (the receiving institution's staff), the live tally (anyone who sees the
drive; a public version without people) and closing. Health data stays with the
institution; another unit's user is refused everywhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.drives import drive_day, registrations
from hienmau.drives.models import Registration, RegistrationStatus, Source
from hienmau.plans.models import Drive, DriveStatus


def urls(drive, registration):
    return {"station": reverse("drives:station", args=[drive.code]),
            "person": reverse("drives:station_person", args=[drive.code,
                                                             registration.reference]),
            "tally": reverse("drives:tally", args=[drive.code]),
            "close": reverse("drives:close", args=[drive.code])}


def test_another_units_user_is_refused_and_roles_get_their_stations(
        client, drive, registration, outsider, viewer, coordinator, staff, office):
    pages = urls(drive, registration)
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(outsider)
    for url in pages.values():
        assert client.get(url).status_code == 404
    client.force_login(viewer)  # leaders see counts, not people, and close nothing
    assert client.get(pages["station"]).status_code == 403
    assert client.get(pages["person"]).status_code == 403
    assert client.get(pages["tally"]).status_code == 200
    assert client.get(pages["close"]).status_code == 403
    client.force_login(coordinator)
    assert client.get(pages["station"]).status_code == 200
    assert client.get(pages["close"]).status_code == 403
    for user in (staff, office):
        client.force_login(user)
        assert client.get(pages["close"]).status_code == 200


def test_one_donor_from_a_scanned_code_to_collection(client, drive, registration, coordinator,
                                                     staff):
    pages = urls(drive, registration)
    client.force_login(coordinator)
    # A USB scanner types the QR code's text and Enter: straight to the person.
    scanned = client.get(pages["station"], {"q": registration.reference.lower()})
    assert scanned.status_code == 302 and scanned["Location"] == pages["person"]
    page = client.get(pages["person"]).content.decode()
    assert 'data-testid="check-in"' in page and 'data-testid="eligible"' in page
    assert "001090012345" not in page and "0912 *** 678" in page
    assert 'name="hemoglobin_g_l"' not in page  # screening is the institution's
    assert client.post(pages["person"], {"action": "check_in"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN
    assert client.post(pages["person"], {"action": "screen", "decision": "accept"}
                       ).status_code == 404  # not the coordinator's to record
    client.force_login(staff)
    screen = {"action": "screen", "decision": "accept", "weight_kg": "60",
              "hemoglobin_g_l": "115", "systolic_mm_hg": "120", "diastolic_mm_hg": "80",
              "pulse_bpm": "70", "deferral_reason": "", "deferred_until": "", "note": ""}
    proposed = client.post(pages["person"], screen)
    html = proposed.content.decode()
    assert proposed.status_code == 200 and 'data-testid="proposals"' in html
    assert "115 g/l" in html and 'value="hemoglobin" selected' in html
    # The physician accepts anyway, deliberately (the second click carries the override).
    response = client.post(pages["person"], {**screen, "override": "True"})
    assert response.status_code == 302
    page = client.get(pages["person"]).content.decode()
    assert 'data-testid="collect"' in page and 'value="250"' in page and 'value="350"' not in page
    wrong = client.post(pages["person"], {"action": "collect", "type": "whole_blood",
                                          "volume_ml": "350", "bag": "T-1"})
    assert wrong.status_code == 200  # 350 is not offered: the form says so
    not_a_bag = client.post(pages["person"], {"action": "collect", "type": "whole_blood",
                                              "volume_ml": "250", "bag": "abc"})
    assert not_a_bag.status_code == 200 and "Mã túi “abc” không phải mã túi máu" in (
        not_a_bag.content.decode())
    assert client.post(pages["person"], {"action": "collect", "type": "whole_blood",
                                         "volume_ml": "250", "bag": "T-1"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DONATED
    tally = client.get(pages["tally"], {"format": "json"}).json()
    assert (tally["checked_in"], tally["collected"], tally["equivalents_250"]) == (1, 1, "1,0")


def test_a_deferral_reason_is_seen_by_the_institution_only(client, drive, registration,
                                                           coordinator, staff):
    pages = urls(drive, registration)
    drive_day.check_in(registration, actor=coordinator)
    client.force_login(staff)
    until = timezone.localdate() + datetime.timedelta(days=7)
    client.post(pages["person"], {"action": "screen", "decision": "defer",
                                  "deferral_reason": "medication", "deferred_until": ""})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DEFERRED
    assert registration.screening.deferred_until == until  # the reason's own period
    staff_page = client.get(pages["person"]).content.decode()
    assert "Đang dùng thuốc" in staff_page
    client.force_login(coordinator)
    page = client.get(pages["person"]).content.decode()
    day = (until + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert "Đang dùng thuốc" not in page and "thuốc" not in page
    assert f"có thể hiến lại từ {day}" in page


def _store_rules(**changes):
    import dataclasses

    from hienmau.donors.models import StoredRuleSet
    from hienmau.donors.rules import DEFAULT_RULESET

    rules = dataclasses.replace(DEFAULT_RULESET, code="quy-dinh-vien",
                                effective_from=timezone.localdate(), **changes)
    StoredRuleSet.objects.create(code=rules.code, title="Quy định của viện",
                                 effective_from=rules.effective_from, data=rules.to_dict())


def test_a_reason_without_a_period_asks_for_the_date_on_the_field(client, drive, registration,
                                                                  coordinator, staff):
    """Hb, blood pressure, weight, pulse… have no set period: leaving the date empty
    says so on the date field, and what was typed stays."""
    pages = urls(drive, registration)
    drive_day.check_in(registration, actor=coordinator)
    client.force_login(staff)
    form = client.get(pages["person"]).content.decode()
    assert "Đang cảm, sốt, ho, đau họng · 14 ngày" in form
    assert "Huyết sắc tố (Hb) thấp · ghi ngày hết tạm hoãn" in form
    for reason, label in (("hemoglobin", "Huyết sắc tố (Hb) thấp"),
                          ("blood_pressure", "Huyết áp không đạt"),
                          ("under_weight", "Cân nặng chưa đạt"), ("pulse", "Mạch không đạt"),
                          ("other", "Lý do sức khỏe khác")):
        response = client.post(pages["person"], {
            "action": "screen", "decision": "defer", "weight_kg": "55",
            "hemoglobin_g_l": "105", "systolic_mm_hg": "170", "diastolic_mm_hg": "100",
            "pulse_bpm": "110", "deferral_reason": reason, "deferred_until": ""})
        html = response.content.decode()
        assert response.status_code == 200
        assert (f"Lý do “{label}” không có thời hạn tạm hoãn định sẵn: hãy ghi ngày hết "
                "tạm hoãn.") in html
        assert 'data-testid="until-error"' in html and 'value="105"' in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN
    until = timezone.localdate() + datetime.timedelta(days=30)
    assert client.post(pages["person"], {
        "action": "screen", "decision": "defer", "deferral_reason": "hemoglobin",
        "deferred_until": until.strftime("%d/%m/%Y")}).status_code == 302
    registration.refresh_from_db()
    assert registration.screening.deferred_until == until


def test_a_period_the_rule_set_gives_is_used_for_any_reason(client, drive, registration,
                                                            coordinator, staff):
    """An institution's rule set that sets a period for a low hemoglobin: empty date →
    that period, on the page as on the choice."""
    _store_rules(deferral_days={"hemoglobin": 84, "acute_illness": 14})
    pages = urls(drive, registration)
    drive_day.check_in(registration, actor=coordinator)
    client.force_login(staff)
    assert "Huyết sắc tố (Hb) thấp · 84 ngày" in client.get(pages["person"]).content.decode()
    assert client.post(pages["person"], {
        "action": "screen", "decision": "defer", "hemoglobin_g_l": "105",
        "deferral_reason": "hemoglobin", "deferred_until": ""}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DEFERRED
    assert registration.screening.deferred_until == (timezone.localdate()
                                                     + datetime.timedelta(days=84))
    assert registration.donation.deferred_until == registration.screening.deferred_until


def test_walk_ins_are_added_and_checked_in_at_once(client, drive, coordinator, tree):
    client.force_login(coordinator)
    url = reverse("drives:registration_add", args=[drive.code]) + "?tai_cho=1"
    assert "Người đến hiến không đăng ký trước" in client.get(url).content.decode()
    response = client.post(url, {"action": "new", "tai_cho": "1", "full_name": "Phạm Thị Mai",
                                 "birth_date": "12/03/1998", "sex": "F",
                                 "phone": "0987 654 321", "consent": "on",
                                 "mobilized_by": tree["district_one"].code})
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get(donor__full_name="Phạm Thị Mai")
    assert registration.source == Source.WALK_IN
    assert registration.status == RegistrationStatus.CHECKED_IN
    assert response["Location"].endswith(f"/{registration.reference}/")


def test_the_public_tally_shows_counts_and_no_person(client, drive, registration,
                                                     coordinator):
    drive_day.check_in(registration, actor=coordinator)
    url = reverse("drives:public_tally", args=[drive.code])
    html = client.get(url).content.decode()
    assert 'data-testid="tally-checked-in">1<' in html
    assert "Nguyễn Văn Hùng" not in html and registration.reference not in html
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="tally-numbers"' in partial
    assert "<html" not in partial
    Drive.objects.filter(pk=drive.pk).update(status=DriveStatus.CANCELLED)
    assert client.get(url).status_code == 404


def test_the_institution_closes_the_drive_with_its_count(client, drive, registration,
                                                         coordinator, staff):
    drive_day.check_in(registration, actor=coordinator)
    client.force_login(staff)
    url = reverse("drives:close", args=[drive.code])
    refused = client.post(url, {"units_collected": "3", "note": ""})
    assert refused.status_code == 200 and "hãy ghi lý do" in refused.content.decode()
    response = client.post(url, {"units_collected": "3", "note": "Nhập bù 3 túi ghi tay."})
    assert response.status_code == 302
    drive.refresh_from_db()
    assert drive.status == DriveStatus.CLOSED and drive.result.units_collected == 3
    page = client.get(reverse("plans:drive", args=[drive.code])).content.decode()
    assert 'data-testid="drive-result"' in page and "Nhập bù 3 túi ghi tay." in page


def test_a_past_drive_is_closed_by_typing_its_totals(client, tree, office):
    past = Drive.objects.create(date=datetime.date(2023, 6, 14), venue="Quảng trường",
                                organizer=tree["district_one"], expected_units=1200)
    client.force_login(office)
    url = reverse("drives:close", args=[past.code])
    form = client.get(url).content.decode()
    assert 'name="people_present"' in form
    bad = client.post(url, {"units_collected": "1736", "bags_350": "1000"})
    assert "khác số đơn vị máu" in bad.content.decode()
    assert client.post(url, {"units_collected": "1736", "bags_250": "736",
                             "bags_350": "1000", "people_present": "2000"}).status_code == 302
    past.refresh_from_db()
    assert past.result.units_by_volume == {"250": 736, "350": 1000}


def test_a_closed_result_is_corrected_with_its_reason_and_reports_follow(
        client, tree, office, outsider):
    from hienmau.orgs.models import AuditEntry
    from hienmau.reports import dashboard, queries
    from hienmau.reports.queries import Scope

    past = Drive.objects.create(date=datetime.date(2023, 6, 14), venue="Quảng trường",
                                organizer=tree["district_one"], expected_units=1200)
    drive_day.close(past, actor=office, units_collected=1763, totals={
        "people_present": 2000, "units_by_volume": {"350": 1763}})
    province_2023 = Scope(tree["province"], *queries.plan_year(2023))
    assert dashboard.build(province_2023, timezone.localdate()).now.units == 1763

    client.force_login(outsider)
    url = reverse("drives:close", args=[past.code])
    assert client.get(url).status_code == 404
    client.force_login(office)
    form = client.get(url).content.decode()
    assert 'value="1763"' in form and 'data-testid="correct-result"' in form
    typo = {"units_collected": "1736", "bags_350": "1736", "people_present": "2000"}
    refused = client.post(url, typo)  # no reason given
    assert "Hãy ghi lý do sửa kết quả." in refused.content.decode()
    assert client.post(url, {**typo, "note": "Nhầm số khi nhập: 1763 → 1736."}
                       ).status_code == 302
    past.result.refresh_from_db()
    assert past.result.units_collected == 1736
    assert past.result.units_by_volume == {"350": 1736}
    assert dashboard.build(province_2023, timezone.localdate()).now.units == 1736
    entry = AuditEntry.objects.get(action="hienmau.drive.result_corrected")
    assert entry.data["before"]["units_collected"] == 1763


@pytest.mark.parametrize("typed", ["001090012345", "0912 345 678", "+84912345678",
                                   "nguyen van hung", "Nguyễn Văn Hùng"])
def test_the_desk_finds_a_person_by_cccd_phone_or_name(client, drive, registration,
                                                       coordinator, typed):
    client.force_login(coordinator)
    response = client.get(reverse("drives:station", args=[drive.code]), {"q": typed})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{registration.reference}/")


def test_the_desk_lists_several_matches_and_says_when_none(client, drive, registration,
                                                          coordinator, office, tree):
    from hienmau.donors import services as donors

    other = donors.create_donor(actor=office, full_name="Nguyễn Văn Hưng", birth_year=1991,
                                home=tree["district_one"])
    registrations.register(drive, other, source="coordinator", actor=coordinator,
                           today=timezone.localdate())
    client.force_login(coordinator)
    url = reverse("drives:station", args=[drive.code])
    page = client.get(url, {"q": "nguyen van"}).content.decode()
    assert 'data-testid="station-found"' in page and page.count("Nguyễn Văn H") == 2
    assert 'data-testid="station-none"' in client.get(url, {"q": "tran thi"}).content.decode()
