"""Drive day as the stations run it: check-in, screening, collection, the tally and
closing; every step twice without effect; stations racing for one person or one bag."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.utils import timezone

from hienmau.donors.history import donor_history
from hienmau.drives import drive_day, registrations
from hienmau.drives.drive_day import DriveDayError, ScreeningInput
from hienmau.drives.models import Donation, DriveResult, Outcome, RegistrationStatus
from hienmau.plans.models import Drive, DriveStatus

ACCEPT = ScreeningInput(accepted=True, weight_kg=Decimal("60"), hemoglobin_g_l=135,
                        systolic_mm_hg=120, diastolic_mm_hg=80, pulse_bpm=72)


def test_one_donor_from_check_in_to_collection(registration, coordinator, staff, hung):
    checked, new = drive_day.check_in(registration, actor=coordinator)
    assert new and checked.status == RegistrationStatus.CHECKED_IN and checked.checked_in_at
    assert checked.drive.status == "planned" or Drive.objects.get(
        pk=checked.drive_id).status == DriveStatus.IN_PROGRESS
    assert drive_day.check_in(registration, actor=coordinator)[1] is False  # again: nothing
    drive_day.screen(registration, ACCEPT, actor=staff)
    assert drive_day.volumes_for(registration) == [250, 350, 450]
    donation, new = drive_day.collect(registration, volume_ml=350, bag="B-0001", actor=staff)
    assert new and donation.outcome == Outcome.COLLECTED and donation.bag_number == "B-0001"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DONATED
    # Sent again by a station that lost its connection: the same donation.
    again, new = drive_day.collect(registration, volume_ml=350, bag="b-0001", actor=staff)
    assert again.pk == donation.pk and not new
    with pytest.raises(DriveDayError) as error:
        drive_day.collect(registration, volume_ml=350, bag="B-0002", actor=staff)
    assert error.value.code == "already_collected"
    counted = drive_day.tally(registration.drive)
    assert (counted.checked_in, counted.collected, counted.deferred) == (1, 1, 0)
    assert counted.equivalents_250 == Decimal("1.4") and counted.percent_of_expected == 50
    # The donor's history now has today's donation: not eligible again for 12 weeks.
    history = donor_history(hung, timezone.localdate())
    assert history.count == 1 and not history.assessment.eligible


def test_a_deferral_gives_the_date_and_can_be_corrected_before_collection(
        registration, coordinator, staff, hung):
    drive_day.check_in(registration, actor=coordinator)
    today = timezone.localdate()
    with pytest.raises(DriveDayError):  # a temporary deferral needs its end
        drive_day.screen(registration, ScreeningInput(accepted=False,
                                                      deferral_reason="hemoglobin"), actor=staff)
    until = today + datetime.timedelta(days=30)
    drive_day.screen(registration, ScreeningInput(
        accepted=False, hemoglobin_g_l=110, deferral_reason="hemoglobin",
        deferred_until=until), actor=staff)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DEFERRED
    deferral = Donation.objects.get(registration=registration)
    assert deferral.outcome == Outcome.DEFERRED and deferral.deferred_until == until
    assessment = donor_history(hung, today + datetime.timedelta(days=1)).assessment
    assert not assessment.eligible
    assert assessment.next_eligible_date == until + datetime.timedelta(days=1)
    with pytest.raises(DriveDayError) as error:
        drive_day.collect(registration, volume_ml=350, bag="B-1", actor=staff)
    assert error.value.code == "deferred"
    # The physician corrects it: accepted after all; the deferral record goes.
    drive_day.screen(registration, ACCEPT, actor=staff)
    assert not Donation.objects.filter(registration=registration).exists()
    drive_day.collect(registration, volume_ml=450, bag="B-1", actor=staff)
    with pytest.raises(DriveDayError) as error:
        drive_day.screen(registration, ACCEPT, actor=staff)
    assert error.value.code == "already_collected"


def test_volume_is_limited_by_weight_and_hemoglobin(registration, coordinator, staff):
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, ScreeningInput(accepted=True, weight_kg=Decimal("48"),
                                                  hemoglobin_g_l=122), actor=staff)
    with pytest.raises(DriveDayError) as error:
        drive_day.collect(registration, volume_ml=350, bag="B-9", actor=staff)
    assert error.value.code == "volume" and "250 ml" in error.value.message
    drive_day.collect(registration, volume_ml=250, bag="B-9", actor=staff)


def test_isbt128_numbers_are_checked_and_unique(drive, registration, tree, coordinator, staff,
                                                office):
    from hienmau.donors import services as donors

    tree["institute"].uses_isbt128 = True
    tree["institute"].save()
    drive.refresh_from_db()
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, ACCEPT, actor=staff)
    with pytest.raises(DriveDayError) as error:
        drive_day.collect(registration, volume_ml=350, bag="G1234 98 654321 J", actor=staff)
    assert error.value.code == "bag_invalid"
    donation, _new = drive_day.collect(registration, volume_ml=350, bag="=G12349865432100",
                                       actor=staff)
    assert donation.bag_number == "G123498654321"
    other = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1995,
                                sex="F", weight_kg=55, home=tree["district_one"])
    second = registrations.register(drive, other, source="walk_in", actor=coordinator,
                                    today=timezone.localdate())[0]
    drive_day.check_in(second, actor=coordinator)
    drive_day.screen(second, ACCEPT, actor=staff)
    with pytest.raises(DriveDayError) as error:
        drive_day.collect(second, volume_ml=350, bag="G1234 98 654321 H", actor=staff)
    assert error.value.code == "bag_taken"


def test_a_bag_number_follows_the_institutions_numbering(drive, registration, tree,
                                                        coordinator, staff):
    """“abc” is no bag number; an institution's own pattern is the rule where it has one."""
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, ACCEPT, actor=staff)
    with pytest.raises(DriveDayError) as error:
        drive_day.collect(registration, volume_ml=350, bag="abc", actor=staff)
    assert error.value.code == "bag_invalid"
    assert error.value.message == (
        "Mã túi “abc” không phải mã túi máu: chỉ gồm chữ cái, chữ số, dấu - / . và phải có "
        "số thứ tự (chữ số). Hãy quét hoặc gõ lại.")
    tree["institute"].bag_number_pattern = "HM####-######"
    tree["institute"].save()
    drive.refresh_from_db()
    for wrong in ("B-1", "HM2024-12345", "HM2024-1234567"):
        with pytest.raises(DriveDayError) as error:
            drive_day.collect(registration, volume_ml=350, bag=wrong, actor=staff)
        assert error.value.code == "bag_invalid"
    assert error.value.message == (
        "Mã túi “HM2024-1234567” không đúng quy cách mã túi của Viện Huyết học: "
        "HM####-###### (# là một chữ số, @ là một chữ cái, * là chữ hoặc số). Hãy quét hoặc "
        "gõ lại.")
    donation, _new = drive_day.collect(registration, volume_ml=350, bag="hm 2024-000123",
                                       actor=staff)
    assert donation.bag_number == "HM2024-000123"


def test_stations_record_only_on_the_drive_day(registration, coordinator, drive):
    Drive.objects.filter(pk=drive.pk).update(date=timezone.localdate()
                                             + datetime.timedelta(days=3))
    with pytest.raises(DriveDayError) as error:
        drive_day.check_in(registration, actor=coordinator)
    assert error.value.code == "not_drive_day"


def test_closing_from_records_marks_absentees_and_keeps_the_tally(
        drive, registration, coordinator, staff, tree, office):
    from hienmau.donors import services as donors

    absent = donors.create_donor(actor=office, full_name="Lê Văn Vắng", birth_year=1990,
                                 home=tree["district_one"])
    no_show = registrations.register(drive, absent, source="coordinator", actor=coordinator,
                                     today=timezone.localdate())[0]
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, ACCEPT, actor=staff)
    drive_day.collect(registration, volume_ml=350, bag="B-1", actor=staff)
    with pytest.raises(DriveDayError) as error:  # a different count needs its reason
        drive_day.close(drive, actor=staff, units_collected=0)
    assert error.value.code == "note_required"
    result = drive_day.close(drive, actor=staff, units_collected=0,
                             note="Túi B-1 bị loại do vỡ khi vận chuyển.")
    assert (result.tally_units, result.units_collected, result.people_present,
            result.people_registered) == (1, 0, 1, 2)
    assert result.units_by_volume == {"350": 1} and result.from_records
    no_show.refresh_from_db()
    assert no_show.status == RegistrationStatus.NO_SHOW
    drive.refresh_from_db()
    assert drive.status == DriveStatus.CLOSED
    with pytest.raises(DriveDayError):
        drive_day.close(drive, actor=staff, units_collected=1)
    with pytest.raises(DriveDayError) as error:
        drive_day.check_in(registration, actor=coordinator)
    assert error.value.code == "drive_closed"


def test_closing_counts_first_time_donors_and_deferrals_by_reason(
        drive, registration, coordinator, staff, tree, office, hung):
    """Hùng gave blood before (a new donor no more); Vắng gives for the first time;
    Hoãn is deferred for a low hemoglobin."""
    from hienmau.donors import services as donors

    Donation.objects.create(donor=hung, date=drive.date - datetime.timedelta(days=200),
                            volume_ml=350)
    people = {}
    for name in ("Lê Văn Vắng", "Trần Thị Hoãn"):
        donor = donors.create_donor(actor=office, full_name=name, birth_year=1990,
                                    home=tree["district_one"])
        people[name] = registrations.register(drive, donor, source="coordinator",
                                              actor=coordinator,
                                              today=timezone.localdate())[0]
    for bag, reg in (("B-1", registration), ("B-2", people["Lê Văn Vắng"])):
        drive_day.check_in(reg, actor=coordinator)
        drive_day.screen(reg, ACCEPT, actor=staff)
        drive_day.collect(reg, volume_ml=350, bag=bag, actor=staff)
    deferred = people["Trần Thị Hoãn"]
    drive_day.check_in(deferred, actor=coordinator)
    drive_day.screen(deferred, ScreeningInput(
        accepted=False, hemoglobin_g_l=100, deferral_reason="hemoglobin",
        deferred_until=drive.date + datetime.timedelta(days=30)), actor=staff)
    result = drive_day.close(drive, actor=staff, units_collected=2)
    assert result.people_first_time == 1
    assert result.deferrals_by_reason == {"hemoglobin": 1}


def test_a_past_drive_is_closed_with_its_totals(tree, office):
    past = Drive.objects.create(date=datetime.date(2023, 6, 14), venue="Quảng trường",
                                organizer=tree["district_one"], expected_units=1500)
    result = drive_day.close(past, actor=office, units_collected=1736, totals={
        "people_present": 2100, "people_deferred": 364,
        "units_by_volume": {"250": 500, "350": 1236}})
    assert not result.from_records and result.units_collected == 1736
    assert result.people_deferred == 364 and result.people_registered is None
    future = Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=5),
                                  venue="X", organizer=tree["district_one"], expected_units=1)
    with pytest.raises(DriveDayError) as error:
        drive_day.close(future, actor=office, units_collected=0)
    assert error.value.code == "not_yet"


@pytest.mark.django_db(transaction=True)
def test_racing_stations_never_count_a_person_or_a_bag_twice(django_user_model):
    """Eight stations at once: four send the same person's collection (a retry storm),
    four send one bag number for four different people. One donation each way."""
    from hienmau.donors import services as donors
    from hienmau.orgs import services as orgs
    from hienmau.orgs.models import Kind
    from hienmau.orgs.roles import Role

    unit = orgs.create_organization(actor=None, parent=None, name="BCĐ tỉnh B",
                                    kind=Kind.PROVINCIAL_COMMITTEE, province_code=31)
    institute = orgs.create_organization(actor=None, parent=None, name="Bệnh viện",
                                         kind=Kind.RECEIVING_INSTITUTION)
    staff = django_user_model.objects.create_user(username="s", password="x" * 12)
    orgs.add_membership(actor=None, organization=institute, user=staff,
                        role=Role.INSTITUTION_STAFF)
    drive = Drive.objects.create(date=timezone.localdate(), venue="Hội trường",
                                 organizer=unit, expected_units=10,
                                 receiving_institution=institute)
    people = []
    for n in range(5):
        donor = donors.create_donor(actor=None, full_name=f"Người {'ABCDE'[n]}", birth_year=1990,
                                    sex="M", weight_kg=60, home=unit)
        registration = registrations.register(drive, donor, source="walk_in", actor=staff,
                                              today=timezone.localdate())[0]
        drive_day.check_in(registration, actor=staff)
        drive_day.screen(registration, ACCEPT, actor=staff)
        people.append(registration)
    outcomes, barrier = [], threading.Barrier(8)

    def station(registration, bag):
        barrier.wait()
        try:
            outcomes.append(drive_day.collect(registration, volume_ml=350, bag=bag,
                                              actor=staff)[1])
        except DriveDayError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=station, args=(people[0], "SAME-PERSON-1"))
               for _ in range(4)]
    threads += [threading.Thread(target=station, args=(people[n], "SAME-BAG-2"))
                for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Donation.objects.filter(registration=people[0]).count() == 1
    assert Donation.objects.filter(bag_number="SAME-BAG-2").count() == 1
    assert sorted(map(str, outcomes)).count("True") == 2  # one new of each kind
    assert outcomes.count("bag_taken") == 3 and outcomes.count(False) == 3
    assert drive_day.tally(drive).collected == 2
    assert DriveResult.objects.count() == 0


def test_a_permanent_exclusion_marks_the_donor_until_corrected(registration, coordinator,
                                                               staff, hung):
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, ScreeningInput(accepted=False, deferral_reason="permanent"),
                     actor=staff)
    hung.refresh_from_db()
    assert hung.permanently_excluded
    later = timezone.localdate() + datetime.timedelta(days=400)
    assert not donor_history(hung, later).assessment.eligible
    drive_day.screen(registration, ACCEPT, actor=staff)  # entered by mistake: corrected
    hung.refresh_from_db()
    assert not hung.permanently_excluded
