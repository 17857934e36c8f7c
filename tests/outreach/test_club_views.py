"""A club's members page: read by those who see its donors, changed by its leader."""

import pytest
from django.urls import reverse

from hienmau.donors.models import Consent, Donor
from hienmau.orgs import services
from hienmau.orgs.models import AuditEntry
from hienmau.orgs.roles import Role


@pytest.fixture
def club(tree):
    return services.create_organization(actor=None, parent=tree["district_one"],
                                        name="CLB Hiến máu huyện Một", kind="club")


@pytest.fixture
def leader(club, django_user_model):
    user = django_user_model.objects.create_user(username="leader", password="x" * 12,
                                                 full_name="Trưởng CLB")
    services.add_membership(actor=None, organization=club, user=user, role=Role.COORDINATOR)
    return user


def url(club):
    return reverse("outreach:club_members", kwargs={"code": club.code})


def member(**extra):
    data = {"full_name": "Hoàng Văn Em", "phone": "0987 654 321", "birth_year": "1995",
            "sex": "M", "blood_group": "O", "rh": "+", "email": "",
            "consents": ["sms", "zalo"], "consent_channel": "paper"}
    data.update(extra)
    return data


def test_add_a_new_member_with_consents(client_for, leader, club):
    client = client_for(leader)
    response = client.post(url(club), member(), follow=True)
    donor = Donor.objects.get(full_name="Hoàng Văn Em")
    assert donor.home == club and list(donor.clubs.all()) == [club]
    assert donor.phone == "+84987654321"
    assert set(donor.consents.values_list("purpose", "channel")) == {
        (Consent.Purpose.SMS, "paper"), (Consent.Purpose.ZALO, "paper")}
    text = response.content.decode()
    assert "Đã thêm Hoàng Văn Em vào câu lạc bộ" in text
    assert "0987654321" not in text and "***" in response.context["rows"][0][1]
    assert response.context["rows"][0][2] == ["SMS", "Zalo"]
    assert AuditEntry.objects.filter(action="hienmau.outreach.club_member_added").exists()


def test_an_existing_donor_is_added_not_duplicated(client_for, coordinator, club, make_donor):
    known = make_donor("Nguyễn Thị Phương", phone="0912 000 111", consents=())
    client = client_for(coordinator)  # district one's coordinator sees the record
    response = client.post(url(club), member(full_name="nguyễn thị phương", phone="0912000111",
                                             birth_year="1990", consents=["email"],
                                             email="p@example.vn", consent_channel="phone"),
                           follow=True)
    assert Donor.objects.filter(phone="+84912000111").count() == 1
    assert club in known.clubs.all()
    assert list(known.consents.values_list("purpose", "channel")) == [("email", "phone")]
    assert "đã có hồ sơ với cùng họ tên, năm sinh và số điện thoại này" in (
        response.content.decode())
    again = client.post(url(club), member(full_name="Nguyễn Thị Phương", birth_year="1990",
                                          phone="0912000111", consents=[]), follow=True)
    assert "đã là thành viên" in again.content.decode()


def test_the_same_phone_under_another_name_is_another_person(client_for, coordinator, club,
                                                             make_donor):
    """The registry's one rule (donors.matching): a phone is shared in families, so the
    same phone with another name is another person, at the club's door as at every other
    (it used to join the record of whoever had the phone)."""
    known = make_donor("Nguyễn Thị Phương", phone="0912 000 111", consents=())
    client_for(coordinator).post(url(club), member(full_name="Phương", phone="0912000111"))
    assert club not in known.clubs.all()
    assert Donor.objects.filter(phone="+84912000111", clubs=club).get().full_name == "Phương"


def test_a_record_the_leader_cannot_see_is_not_revealed(client_for, leader, club, make_donor):
    """A donor kept by district one alone is not visible to the club's leader: adding the
    same phone makes the club's own record rather than naming someone out of scope."""
    known = make_donor("Nguyễn Thị Phương", phone="0912 000 111", consents=())
    response = client_for(leader).post(url(club), member(phone="0912000111"), follow=True)
    assert "Nguyễn Thị Phương" not in response.content.decode()
    assert Donor.objects.filter(phone="+84912000111", home=club).count() == 1
    # The same person by the registry's rule (name, birth year, phone): not joined to the
    # club (that would show the record), not named, not copied; the office is named.
    response = client_for(leader).post(url(club), member(
        full_name="Nguyễn Thị Phương", birth_year="1990", phone="0912000111"))
    html = response.content.decode()
    assert "do một đơn vị khác quản lý" in html and "Nguyễn Thị Phương" in html  # as typed
    assert club not in known.clubs.all()
    assert Donor.objects.filter(name_key=known.name_key).count() == 1


def test_errors_are_shown_and_input_kept(client_for, leader, club):
    client = client_for(leader)
    page = client.post(url(club), member(phone="12345", full_name="Tên Giữ Lại"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tên Giữ Lại" in text and 'class="invalid-feedback' in text
    assert page.context["form"].errors["phone"]
    page = client.post(url(club), member(consents=["email"], email=""))
    assert "Hãy ghi e-mail" in page.content.decode()
    assert not Donor.objects.exists()


def test_list_search_and_remove(client_for, leader, club, make_donor):
    a = make_donor("Trần Văn Giang", clubs=[club], consents=("sms",))
    make_donor("Lê Thị Hoa", clubs=[club], consents=())
    make_donor("Không Trong CLB")
    client = client_for(leader)
    page = client.get(url(club))
    assert {row[0].full_name for row in page.context["rows"]} == {"Trần Văn Giang",
                                                                 "Lê Thị Hoa"}
    assert "Nhắn tin cho câu lạc bộ" in page.content.decode()
    found = client.get(url(club), {"q": "giang"})
    assert [row[0] for row in found.context["rows"]] == [a]
    remove = reverse("outreach:club_member_remove", kwargs={"code": club.code, "donor": a.code})
    assert client.get(remove).status_code == 405
    response = client.post(remove, follow=True)
    assert "Đã đưa Trần Văn Giang ra khỏi câu lạc bộ" in response.content.decode()
    assert not a.clubs.exists() and Donor.objects.filter(pk=a.pk).exists()
    assert AuditEntry.objects.filter(action="hienmau.outreach.club_member_removed").exists()
    assert client.post(remove).status_code == 404  # no longer a member


def test_scoping(client, client_for, club, leader, outsider, viewer, tree, make_donor):
    a = make_donor("Trần Văn Giang", clubs=[club])
    remove = reverse("outreach:club_member_remove", kwargs={"code": club.code, "donor": a.code})
    assert client.get(url(club)).status_code == 302
    client_for(outsider)
    assert client.get(url(club)).status_code == 404
    assert client.post(url(club), member()).status_code == 404
    assert client.post(remove).status_code == 404
    client_for(viewer)
    assert client.get(url(club)).status_code == 403
    assert client.post(remove).status_code == 403
    client_for(leader)
    not_a_club = reverse("outreach:club_members", kwargs={"code": tree["district_one"].code})
    assert client.get(not_a_club).status_code == 404
    assert a.clubs.exists()


def test_the_office_above_may_change_too(client_for, club, office):
    page = client_for(office).get(url(club))
    assert page.status_code == 200 and page.context["can_change"]


def test_institution_staff_without_the_club_gets_404(client_for, club, staff):
    assert client_for(staff).get(url(club)).status_code == 404


def test_org_page_links_to_members(client_for, club, office):
    page = client_for(office).get(reverse("orgs:detail", kwargs={"code": club.code}))
    assert url(club) in page.content.decode()


def test_the_leaders_home_page_opens_the_members(client_for, club, leader, coordinator):
    page = client_for(leader).get(reverse("home")).content.decode()
    assert 'data-testid="club-members"' in page and url(club) in page
    # A coordinator of a district (not a club) gets no such button.
    page = client_for(coordinator).get(reverse("home")).content.decode()
    assert 'data-testid="club-members"' not in page
