"""The donor registry: one record per person, found by name without diacritics, by
identity number or phone; lists mask what they do not need; scoping by unit."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from hienmau.donors import services
from hienmau.donors.models import Donor, DonorView
from hienmau.drives.models import Donation, Outcome

D = datetime.date


def make(office, tree, name, **extra):
    fields = {"birth_year": 1995, "home": tree["district_one"]} | extra
    return services.create_donor(actor=office, full_name=name, **fields)


def test_names_are_stored_as_written_in_nfc_and_searched_without_diacritics(hung, office,
                                                                            tree):
    decomposed = make(office, tree, "Tra\u0302\u0300n  Thi\u0323 Lan")  # NFD, two spaces
    assert decomposed.full_name == "Trần Thị Lan"
    visible = Donor.objects.all()
    for query in ("nguyen van hung", "NGUYEN VAN HUNG", "van hung", "nguyen hung",
                  "Nguyễn Văn Hùng", "hùng"):
        assert list(visible.search(query)) == [hung], query
    assert list(visible.search("tran lan")) == [decomposed]
    assert list(visible.search("nguyen van hai")) == []


def test_search_by_identity_number_and_by_phone_in_any_form(hung):
    donors = Donor.objects.all()
    for query in ("001090012345", "0912345678", "+84 912 345 678", "84912345678",
                  "0912.345.678"):
        assert list(donors.search(query)) == [hung], query
    # The CCCD with its leading zero lost in a spreadsheet.
    assert list(donors.search("1090012345")) == [hung]


def test_phones_are_stored_in_one_form(hung):
    assert hung.phone == "+84912345678"


def test_one_record_per_identity_document(hung, office, tree):
    with pytest.raises(services.DonorError) as error:
        make(office, tree, "Nguyễn Văn Hùng", id_type="cccd", id_number="001 090 012 345",
             birth_date=D(1990, 5, 4), sex="M")
    assert error.value.code == "duplicate_id" and error.value.donor == hung
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Donor.objects.create(full_name="X", birth_year=1990, home=tree["district_one"],
                             id_type="cccd", id_number="001090012345")


def test_a_cccd_that_disagrees_needs_a_confirmation(office, tree):
    # 0010 9…: a man born in 19xx; the record says a woman born in 1985.
    fields = {"birth_date": D(1985, 1, 1), "sex": "F", "id_type": "cccd",
              "id_number": "001090012399"}
    with pytest.raises(services.DonorError) as error:
        make(office, tree, "Lê Thị Mai", **fields)
    assert error.value.code == "identity_mismatch" and "1990" in error.value.message
    donor = make(office, tree, "Lê Thị Mai", confirmed=True, **fields)
    assert donor.pk


def test_birth_date_or_year_is_required(office, tree):
    with pytest.raises(services.DonorError) as error:
        services.create_donor(actor=office, full_name="A", home=tree["district_one"])
    assert error.value.code == "birth_missing"


def test_list_masks_identity_and_phone_the_page_shows_them_and_logs_the_view(
        client_for, hung, coordinator):
    client = client_for(coordinator)
    listing = client.get(reverse("donors:list"), {"q": "nguyen van hung"}).content.decode()
    assert "Nguyễn Văn Hùng" in listing
    assert "001090012345" not in listing and "********2345" in listing
    assert "345 678" not in listing and "0912 *** 678" in listing
    page = client.get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert "001090012345" in page and "0912 345 678" in page
    assert DonorView.objects.filter(donor=hung, viewer=coordinator).count() == 1


def test_units_see_their_donors_only(client_for, hung, outsider, viewer, office, tree):
    other = make(office, tree, "Phạm Thị Hoa", home=tree["district_two"])
    client = client_for(outsider)
    listing = client.get(reverse("donors:list")).content.decode()
    assert "Phạm Thị Hoa" in listing and "Nguyễn Văn Hùng" not in listing
    assert client.get(reverse("donors:detail", args=[hung.code])).status_code == 404
    assert client.get(reverse("donors:detail", args=[other.code])).status_code == 200
    # Viewers (leaders, press) see no person at all.
    assert client_for(viewer).get(reverse("donors:list")).status_code == 403


def test_institution_staff_sees_donors_who_gave_to_it_and_only_it_sees_reasons(
        client_for, hung, staff, coordinator, tree):
    assert client_for(staff).get(reverse("donors:detail", args=[hung.code])).status_code == 404
    Donation.objects.create(donor=hung, date=D(2024, 3, 6), outcome=Outcome.DEFERRED,
                            deferral_reason="Huyết áp cao", deferred_until=D(2024, 3, 20),
                            receiving_institution=tree["institute"])
    page = client_for(staff).get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert "Huyết áp cao" in page
    page = client_for(coordinator).get(reverse("donors:detail", args=[hung.code]))
    assert "Huyết áp cao" not in page.content.decode()
    assert "20/03/2024" in page.content.decode()


def test_history_counts_collected_donations_and_gives_the_next_date(client_for, hung,
                                                                       coordinator, tree):
    for day, outcome in ((D(2024, 1, 10), Outcome.COLLECTED), (D(2024, 5, 2), Outcome.COLLECTED),
                         (D(2024, 6, 1), Outcome.INCOMPLETE)):
        Donation.objects.create(donor=hung, date=day, outcome=outcome, volume_ml=350,
                                receiving_institution=tree["institute"])
    client = client_for(coordinator)
    url = reverse("donors:detail", args=[hung.code])
    page = client.get(url, {"ngay": "01/06/2024"}).content.decode()
    assert 'data-testid="donation-count">2<' in page
    assert "25/07/2024" in page  # 02/05/2024 + 12 weeks
    page = client.get(url, {"ngay": "25/07/2024"}).content.decode()
    assert "Đủ điều kiện" in page and "450 ml" in page


def test_coordinator_adds_a_donor_with_inline_errors(client_for, coordinator, tree):
    client = client_for(coordinator)
    form = {"full_name": "Đỗ Minh Tuấn", "birth_date": "04/05/1997", "sex": "M",
            "id_type": "cccd", "id_number": "1098012345", "phone": "912345678",
            "home": str(tree["district_one"].code)}
    # The CCCD (leading zero lost) says born in 1998: shown inline, nothing saved.
    page = client.post(reverse("donors:create"), form).content.decode()
    assert 'data-testid="error-id_number"' in page and "1998" in page
    assert "confirm_identity" in page and not Donor.objects.exists()
    form["birth_date"] = "04/05/1998"
    response = client.post(reverse("donors:create"), form)
    assert response.status_code == 302
    donor = Donor.objects.get()
    assert (donor.id_number, donor.phone) == ("001098012345", "+84912345678")
    page = client.get(reverse("donors:edit", args=[donor.code])).content.decode()
    assert f'value="{tree["district_one"].code}" selected' in page


def test_a_confirmed_disagreement_is_not_asked_again_for_other_edits(office, tree):
    donor = make(office, tree, "Lê Thị Mai", confirmed=True, birth_date=D(1985, 1, 1),
                 sex="F", id_type="cccd", id_number="001090012399")
    services.update_donor(donor, actor=office, notes="Gọi sau 17 giờ")
    with pytest.raises(services.DonorError) as error:
        services.update_donor(donor, actor=office, birth_date=D(1986, 1, 1))
    assert error.value.code == "identity_mismatch"


def test_a_duplicate_id_outside_the_users_scope_names_nobody(hung, outsider, tree):
    with pytest.raises(services.DonorError) as error:
        services.create_donor(actor=outsider, full_name="Ai đó", birth_date=D(1990, 5, 4),
                              sex="M", id_type="cccd", id_number="001090012345",
                              home=tree["district_two"])
    assert error.value.code == "duplicate_id" and error.value.donor is None
    assert "Nguyễn Văn Hùng" not in error.value.message


def test_counts_follow_the_day_assessed(client_for, hung, coordinator, tree):
    Donation.objects.create(donor=hung, date=D(2024, 5, 2), volume_ml=350)
    url = reverse("donors:detail", args=[hung.code])
    page = client_for(coordinator).get(url, {"ngay": "01/01/2024"}).content.decode()
    assert 'data-testid="donation-count">0<' in page


def test_a_deferral_reason_is_read_only_at_the_institution_that_wrote_it(
        client_for, hung, staff, tree):
    from hienmau.orgs import services as orgs
    from hienmau.orgs.models import Kind

    other = orgs.create_organization(actor=None, parent=None, name="Bệnh viện B",
                                     kind=Kind.RECEIVING_INSTITUTION)
    Donation.objects.create(donor=hung, date=D(2024, 3, 6), volume_ml=350,
                            receiving_institution=tree["institute"])
    Donation.objects.create(donor=hung, date=D(2024, 8, 6), outcome=Outcome.DEFERRED,
                            deferral_reason="Viêm họng", deferred_until=D(2024, 8, 20),
                            receiving_institution=other)
    page = client_for(staff).get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert "20/08/2024" in page and "Viêm họng" not in page


def test_consent_is_recorded_per_purpose_and_withdrawn_not_deleted(client_for, hung,
                                                                  coordinator, outsider):
    url = reverse("donors:consent", args=[hung.code])
    client = client_for(coordinator)
    client.post(url, {"purpose": "reminders", "channel": "paper"})
    client.post(url, {"purpose": "reminders", "channel": "online"})  # already standing
    consent = hung.consents.get()
    assert (consent.purpose, consent.channel, consent.recorded_by) == (
        "reminders", "paper", coordinator)
    client.post(url, {"withdraw": consent.pk})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    page = client.get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert "đã rút lại ngày" in page
    assert client_for(outsider).post(url, {"purpose": "honors", "channel": "paper"}
                                     ).status_code == 404
    assert hung.consents.count() == 1


def test_consents_given_at_the_desk_are_recorded_with_the_new_donor(client_for, coordinator,
                                                                    tree):
    client_for(coordinator).post(reverse("donors:create"), {
        "full_name": "Mai Văn Sơn", "birth_year": "1988", "home": str(tree["district_one"].code),
        "consents": ["registry", "reminders"], "consent_channel": "paper"})
    donor = Donor.objects.get()
    assert sorted(donor.consents.values_list("purpose", flat=True)) == ["registry", "reminders"]


def test_a_stored_rule_set_takes_over_from_its_date(client_for, coordinator, office, tree):
    import dataclasses

    from django.core.exceptions import ValidationError

    from hienmau.donors.models import StoredRuleSet
    from hienmau.donors.rules import DEFAULT_RULESET

    donor = make(office, tree, "Trương Văn Lực", birth_date=D(1963, 1, 10), weight_kg=70)
    new = dataclasses.replace(DEFAULT_RULESET, code="thong-tu-moi", max_age_years=65,
                              effective_from=D(2026, 1, 1))
    stored = StoredRuleSet(code=new.code, title="Thông tư mới", effective_from=new.effective_from,
                           data=new.to_dict())
    stored.full_clean()
    stored.save()
    url = reverse("donors:detail", args=[donor.code])
    client = client_for(coordinator)
    # 63 years old: too old under TT 26/2013, eligible under the new rules from 01/01/2026.
    assert "Chưa đủ điều kiện" in client.get(url, {"ngay": "31/12/2025"}).content.decode()
    assert "Đủ điều kiện" in client.get(url, {"ngay": "15/01/2026"}).content.decode()
    broken = StoredRuleSet(code="hong", title="Sai", effective_from=D(2027, 1, 1),
                           data={"code": "hong"})
    with pytest.raises(ValidationError):
        broken.full_clean()


def test_a_very_common_search_says_more_than_it_counts(client_for, coordinator, monkeypatch,
                                                       office, tree):
    from hienmau.donors import views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    for name in ("Nguyễn An", "Nguyễn Bình", "Nguyễn Chi"):
        make(office, tree, name)
    page = client_for(coordinator).get(reverse("donors:list"), {"q": "nguyen"}).content.decode()
    assert 'data-testid="capped"' in page and page.count('data-testid="donor-row"') == 3
    page = client_for(coordinator).get(reverse("donors:list"), {"q": "nguyen an"}).content.decode()
    assert 'data-testid="capped"' not in page


def test_who_sees_a_donor_follows_home_workplace_clubs_and_donations(hung, office, outsider,
                                                                        staff, tree):
    from hienmau.donors.models import DonorUnit, units_of
    from hienmau.orgs import services as orgs
    from hienmau.orgs.models import Kind

    def seen_by(user):
        return Donor.objects.visible_to(user).filter(pk=hung.pk).exists()

    def links():
        return set(DonorUnit.objects.filter(donor=hung).values_list("donor_id",
                                                                    "organization_id"))

    assert not seen_by(outsider) and not seen_by(staff)
    club = orgs.create_organization(actor=None, parent=tree["district_two"],
                                    name="CLB Giọt hồng", kind=Kind.CLUB)
    hung.clubs.add(club)
    assert seen_by(outsider)
    hung.clubs.remove(club)
    assert not seen_by(outsider)
    services.update_donor(hung, actor=office, workplace=tree["district_two"])
    assert seen_by(outsider)
    services.update_donor(hung, actor=office, workplace=None)
    assert not seen_by(outsider)
    donation = Donation.objects.create(donor=hung, date=D(2024, 3, 6),
                                       receiving_institution=tree["institute"])
    assert seen_by(staff)
    donation.delete()
    assert not seen_by(staff)
    assert links() == units_of([hung.pk]) == {(hung.pk, tree["district_one"].pk)}


def test_the_donor_page_gives_eligibility_on_the_drive_the_donor_is_registered_for(
        client_for, hung, coordinator, office, tree, time_machine):
    from hienmau.drives import registrations
    from hienmau.plans.models import Drive

    time_machine.move_to(datetime.datetime(2024, 5, 10, 9, 0))
    Donation.objects.create(donor=hung, date=D(2024, 5, 2), volume_ml=350,
                            receiving_institution=tree["institute"])
    drive = Drive.objects.create(date=D(2024, 6, 14), venue="Nhà văn hóa huyện",
                                 organizer=tree["district_one"], expected_units=100,
                                 title="Ngày hội 14/6")
    registration, _ = registrations.register(drive, hung, source="coordinator", actor=office,
                                             today=D(2024, 5, 10))
    page = client_for(coordinator).get(reverse("donors:detail", args=[hung.code]))
    section = page.content.decode().split('data-testid="registrations"')[1]
    assert registration.reference in section and "14/06/2024" in section
    # 02/05 + 12 weeks = 25/07: not yet on 14/06, and the page says from when.
    assert "Chưa đủ điều kiện" in section and "25/07/2024" in section
