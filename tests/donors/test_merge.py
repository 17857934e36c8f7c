"""Probable duplicates, merging two records of one person, undoing it; a person's data as
a file and erased on request."""

import datetime
import json

import pytest
from django.urls import reverse

from hienmau.donors import merge, privacy, services
from hienmau.donors.duplicates import probable_pairs
from hienmau.donors.models import Consent, Donor, Merge
from hienmau.drives.models import Donation
from hienmau.orgs.models import AuditEntry

D = datetime.date


@pytest.fixture
def pair(tree, office):
    """One person typed twice: once with a CCCD, once with only a phone and a year."""
    first = services.create_donor(
        actor=office, full_name="Nguyễn Văn Hùng", birth_date=D(1990, 5, 4), sex="M",
        id_type="cccd", id_number="001090012345", home=tree["district_one"], notes="Nhóm O")
    second = services.create_donor(
        actor=office, full_name="nguyễn văn hùng", birth_year=1990, phone="0912345678",
        home=tree["district_one"], blood_group="O", rh="+", notes="Hay đi công tác")
    Donation.objects.create(donor=first, date=D(2024, 1, 10), volume_ml=350)
    Donation.objects.create(donor=second, date=D(2024, 5, 2), volume_ml=350)
    Consent.objects.create(donor=second, purpose="reminders", channel="phone",
                           given_at=datetime.datetime(2024, 5, 2, tzinfo=datetime.UTC))
    return first, second


def test_same_name_and_birth_or_same_phone_and_given_name_are_proposed(pair, office, tree):
    other = services.create_donor(actor=office, full_name="Trần Hùng", birth_year=1970,
                                  phone="0912 345 678", home=tree["district_two"])
    services.create_donor(actor=office, full_name="Nguyễn Văn Hùng", birth_year=1985,
                          home=tree["district_one"])  # same name, another person
    found = {(p.first.pk, p.second.pk): p.reason for p in probable_pairs(Donor.objects.all())}
    assert found == {(pair[0].pk, pair[1].pk): "name_birth",
                     (pair[1].pk, other.pk): "phone_name"}


def test_merge_keeps_everything_and_undo_puts_it_back(pair, office):
    first, second = pair
    record = merge.merge_donors(first, second, actor=office)
    first.refresh_from_db()
    assert first.donations.count() == 2 and first.consents.count() == 1
    assert (first.phone, first.blood_group, first.rh) == ("+84912345678", "O", "+")
    assert first.notes == "Nhóm O\nHay đi công tác"
    assert list(Donor.objects.visible_to(office)) == [first]
    assert record.merged_by == office
    assert AuditEntry.objects.filter(action="hienmau.donor.merged").count() == 1

    merge.undo_merge(record, actor=office)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [d.date for d in first.donations.all()] == [D(2024, 1, 10)]
    assert [d.date for d in second.donations.all()] == [D(2024, 5, 2)]
    assert second.consents.count() == 1 and first.consents.count() == 0
    assert (first.phone, first.blood_group, first.notes) == ("", "", "Nhóm O")
    assert second.merged_into is None and Donor.objects.visible_to(office).count() == 2
    with pytest.raises(services.DonorError) as error:
        merge.undo_merge(record, actor=office)
    assert error.value.code == "already_undone"


def test_the_identity_document_follows_the_kept_record_and_comes_back(pair, office):
    first, second = pair
    record = merge.merge_donors(second, first, actor=office)  # keep the one without a CCCD
    second.refresh_from_db()
    assert second.id_number == "001090012345"
    merge.undo_merge(record, actor=office)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.id_number, second.id_number) == ("001090012345", None)


def test_office_reviews_merges_and_undoes_on_screen(client_for, pair, office, coordinator):
    first, second = pair
    client = client_for(office)
    page = client.get(reverse("donors:duplicates")).content.decode()
    assert reverse("donors:merge", args=[first.code]) in page
    url = reverse("donors:merge", args=[first.code]) + f"?voi={second.code}"
    assert client.get(url).status_code == 200
    response = client.post(reverse("donors:merge", args=[first.code]),
                           {"voi": str(second.code), "giu": str(first.code)})
    assert response.status_code == 302 and Donor.objects.get(pk=second.pk).merged_into == first
    record = Merge.objects.get()
    page = client.get(reverse("donors:detail", args=[first.code])).content.decode()
    assert reverse("donors:undo_merge", args=[record.code]) in page
    # A coordinator may not merge or undo.
    assert client_for(coordinator).post(reverse("donors:undo_merge", args=[record.code])
                                        ).status_code == 403
    client = client_for(office)
    assert client.post(reverse("donors:undo_merge", args=[record.code])).status_code == 302
    assert Donor.objects.get(pk=second.pk).merged_into is None


def test_marking_two_different_people_removes_the_pair(client_for, pair, office):
    client = client_for(office)
    client.post(reverse("donors:duplicates"), {"first": pair[1].code, "second": pair[0].code})
    assert probable_pairs(Donor.objects.all()) == []


def test_merge_screens_refuse_coordinators_and_outsiders(client_for, pair, coordinator,
                                                        outsider):
    url = reverse("donors:merge", args=[pair[0].code]) + f"?voi={pair[1].code}"
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).get(reverse("donors:duplicates")).status_code == 403


def test_export_holds_everything_about_the_person(client_for, pair, coordinator):
    first, _second = pair
    response = client_for(coordinator).get(reverse("donors:export", args=[first.code]))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["donor"]["full_name"] == "Nguyễn Văn Hùng"
    assert data["donor"]["id_number"] == "001090012345"
    assert [d["date"] for d in data["donations"]] == ["2024-01-10"]
    assert AuditEntry.objects.filter(action="hienmau.donor.exported").exists()


def test_erasure_removes_identity_keeps_counts_and_scrubs_the_audit_trail(pair, office):
    first, _second = pair
    with pytest.raises(services.DonorError) as error:
        privacy.erase(first, actor=office, reason=" ")
    assert error.value.code == "reason_required"
    privacy.erase(first, actor=office, reason="Theo đơn đề nghị ngày 20/11/2026")
    first.refresh_from_db()
    assert first.full_name == privacy.ERASED_NAME and first.id_number is None
    assert (first.birth_year, first.sex, first.birth_date) == (1990, "M", None)
    assert first.donations.count() == 1
    created = AuditEntry.objects.get(action="hienmau.donor.created", object_code=first.code)
    assert "001090012345" not in json.dumps(created.data, ensure_ascii=False)
    assert created.object_repr == privacy.ERASED_NAME


def test_erasure_is_for_the_office_only(client_for, pair, office, coordinator):
    url = reverse("donors:erase", args=[pair[0].code])
    assert client_for(coordinator).post(url, {"reason": "x"}).status_code == 403
    page = client_for(office).post(url, {"reason": ""}).content.decode()
    assert "Hãy ghi lý do" in page
    assert client_for(office).post(url, {"reason": "Theo yêu cầu"}).status_code == 302
    assert Donor.objects.get(pk=pair[0].pk).erased_at is not None


def test_registrations_move_with_the_merge_and_come_back(pair, office, tree):
    import datetime

    from django.utils import timezone

    from hienmau.drives import registrations
    from hienmau.plans.models import Drive

    first, second = pair
    today = timezone.localdate()
    drives = [Drive.objects.create(date=today + datetime.timedelta(days=n), venue="Hội trường",
                                   organizer=tree["district_one"], expected_units=10)
              for n in (10, 20)]
    both = registrations.register(drives[0], first, source="coordinator", actor=office,
                                  today=today)[0]
    twice = registrations.register(drives[0], second, source="online", actor=office,
                                   today=today)[0]
    only = registrations.register(drives[1], second, source="online", actor=office,
                                  today=today)[0]
    record = merge.merge_donors(first, second, actor=office)
    # The drive both were registered for keeps the kept record's registration; the
    # other one stays with the absorbed record (one registration per person and drive).
    assert set(first.registrations.all()) == {both, only}
    assert list(second.registrations.all()) == [twice]
    merge.undo_merge(record, actor=office)
    assert set(second.registrations.all()) == {twice, only}
    assert list(first.registrations.all()) == [both]
