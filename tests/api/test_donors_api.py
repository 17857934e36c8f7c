"""The donor endpoints: same scoping as the screens, masked lists, logged reads, health
data for institution staff only, writes through the services."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hienmau.donors import services
from hienmau.donors.models import Donor, DonorView
from hienmau.drives.models import Donation, Outcome
from hienmau.orgs import services as org_services
from hienmau.orgs.models import Kind

D = datetime.date


def make(office, tree, name, **extra):
    fields = {"birth_year": 1995, "home": tree["district_one"]} | extra
    return services.create_donor(actor=office, full_name=name, **fields)


def donor_body(tree, **extra):
    body = {"full_name": "Đỗ Minh Tuấn", "birth_date": "1998-05-04", "sex": "M",
            "home": str(tree["district_one"].code)}
    body.update(extra)
    return body


# ---- reads -------------------------------------------------------------------------


def test_list_masks_identity_and_phone_numbers(api, coordinator, hung):
    response = api(coordinator, "GET", "/donors")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == str(hung.code) and item["full_name"] == "Nguyễn Văn Hùng"
    assert item["id_number_masked"] == "********2345"
    assert item["phone_masked"] == "0912 *** 678"
    assert "id_number" not in item and "phone" not in item
    text = response.content.decode()
    for secret in ("001090012345", "345 678", "912345678"):
        assert secret not in text
    assert not DonorView.objects.exists()  # lists are not a view of the record


def test_search_without_diacritics_by_number_and_by_phone(api, coordinator, office, tree, hung):
    lan = make(office, tree, "Trần Thị Lan", phone="0987 654 321")

    def codes(q=None):
        response = api(coordinator, "GET", "/donors", {"q": q} if q is not None else None)
        assert response.status_code == 200, response.content
        return [item["code"] for item in response.json()["items"]]

    assert codes() == [str(hung.code), str(lan.code)]  # by name without diacritics
    assert codes("nguyen hung") == [str(hung.code)]
    assert codes("TRAN LAN") == [str(lan.code)]
    assert codes("1090012345") == [str(hung.code)]  # the CCCD without its leading zero
    assert codes("+84 987 654 321") == [str(lan.code)]
    assert codes("nguyen van hai") == []


def test_detail_is_unmasked_and_every_read_is_logged(api, coordinator, tree, hung):
    response = api(coordinator, "GET", f"/donors/{hung.code}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id_number"] == "001090012345" and body["id_type"] == "cccd"
    assert body["phone"] == "0912 345 678" and body["phone_other"] == ""
    assert body["birth_date"] == "1990-05-04" and body["sex"] == "M"
    assert body["home_code"] == str(tree["district_one"].code)
    assert body["weight_kg"] == 60 and body["can_change"] is True
    assert body["sees_health_data"] is False and body["exclusion_reason"] is None
    today = timezone.localdate()
    assert body["history"] == {
        "donation_count": 0, "prior_donations": 0, "total_donations": 0,
        "milestone_reached": None,
        "next_milestone": {"donations": 1, "confirmed": True,
                           "award": "Giấy chứng nhận hiến máu tình nguyện và phù hiệu"},
        "last_donation_date": None,
        "eligibility": {"on": today.isoformat(), "eligible": True, "reasons": [],
                        "next_eligible_date": today.isoformat(), "max_whole_blood_ml": 450,
                        "warnings": []}}
    assert DonorView.objects.filter(donor=hung, viewer=coordinator).count() == 1
    api(coordinator, "GET", f"/donors/{hung.code}/donations")
    assert DonorView.objects.filter(donor=hung, viewer=coordinator).count() == 2


def test_history_counts_collected_donations_and_gives_the_next_date(api, coordinator, tree,
                                                                       hung):
    today = timezone.localdate()
    last = today - datetime.timedelta(days=10)
    for day, outcome in ((today - datetime.timedelta(days=200), Outcome.COLLECTED),
                         (last, Outcome.COLLECTED), (today, Outcome.INCOMPLETE)):
        Donation.objects.create(donor=hung, date=day, outcome=outcome, volume_ml=350,
                                receiving_institution=tree["institute"])
    history = api(coordinator, "GET", f"/donors/{hung.code}").json()["history"]
    assert history["donation_count"] == 2
    assert history["milestone_reached"]["donations"] == 1
    assert history["next_milestone"]["donations"] == 5
    assert history["last_donation_date"] == last.isoformat()
    eligibility = history["eligibility"]
    assert eligibility["eligible"] is False
    assert [r["code"] for r in eligibility["reasons"]] == ["interval"]
    assert eligibility["reasons"][0]["message"].startswith("Lần hiến gần nhất ngày")
    assert eligibility["next_eligible_date"] == (last + datetime.timedelta(days=84)).isoformat()
    # On the day the interval ends (a drive the person registered for, say): eligible.
    later = last + datetime.timedelta(days=84)
    on_day = api(coordinator, "GET", f"/donors/{hung.code}", {"on": later.isoformat()}).json()
    assert on_day["history"]["eligibility"]["on"] == later.isoformat()
    assert on_day["history"]["eligibility"]["eligible"] is True


def test_health_data_only_for_the_institutions_staff(api, staff, coordinator, tree, hung):
    assert api(staff, "GET", f"/donors/{hung.code}").status_code == 404
    Donation.objects.create(donor=hung, date=D(2024, 3, 6), outcome=Outcome.DEFERRED,
                            deferral_reason="Huyết áp cao", deferred_until=D(2024, 3, 20),
                            receiving_institution=tree["institute"], bag_number="VHH-001")
    Donor.objects.filter(pk=hung.pk).update(permanently_excluded=True,
                                            exclusion_reason="Viêm gan B")

    detail = api(staff, "GET", f"/donors/{hung.code}").json()
    assert detail["sees_health_data"] is True and detail["exclusion_reason"] == "Viêm gan B"
    assert detail["can_change"] is False
    assert [r["code"] for r in detail["history"]["eligibility"]["reasons"]] == ["excluded"]
    [donation] = api(staff, "GET", f"/donors/{hung.code}/donations").json()
    assert donation["deferral_reason"] == "Huyết áp cao"
    assert donation["outcome"] == "deferred" and donation["outcome_label"] == "Tạm hoãn"
    assert donation["deferred_until"] == "2024-03-20" and donation["date"] == "2024-03-06"
    assert donation["receiving_institution_code"] == str(tree["institute"].code)
    assert donation["bag_number"] == "VHH-001" and donation["drive_code"] is None
    assert donation["type"] == "whole_blood"
    # The institution sees the donor but does not keep the record.
    assert api(staff, "PATCH", f"/donors/{hung.code}", {"notes": "X"}).status_code == 403

    detail = api(coordinator, "GET", f"/donors/{hung.code}")
    assert detail.json()["exclusion_reason"] is None
    assert detail.json()["permanently_excluded"] is True
    [donation] = api(coordinator, "GET", f"/donors/{hung.code}/donations").json()
    assert donation["deferral_reason"] is None and donation["deferred_until"] == "2024-03-20"
    for response in (detail, api(coordinator, "GET", f"/donors/{hung.code}/donations")):
        assert "Huyết áp cao" not in response.content.decode()
        assert "Viêm gan B" not in response.content.decode()


def test_outsider_gets_404_and_an_empty_list(api, outsider, hung):
    for path in (f"/donors/{hung.code}", f"/donors/{hung.code}/donations"):
        assert api(outsider, "GET", path).status_code == 404
    response = api(outsider, "PATCH", f"/donors/{hung.code}", {"notes": "X"})
    assert response.status_code == 404
    assert response.json()["detail"] == ("Không tìm thấy người hiến máu, hoặc bạn không có "
                                         "quyền xem.")
    assert api(outsider, "GET", "/donors").json()["count"] == 0
    assert not DonorView.objects.exists()


def test_viewer_is_refused_with_403(api, viewer, tree, hung):
    response = api(viewer, "GET", "/donors")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Vai trò của bạn không cho phép xem hồ sơ người hiến máu.",
        "code": "forbidden", "field": None}
    for path in (f"/donors/{hung.code}", f"/donors/{hung.code}/donations"):
        assert api(viewer, "GET", path).status_code == 403
    assert api(viewer, "PATCH", f"/donors/{hung.code}", {"notes": "X"}).status_code == 403
    assert api(viewer, "POST", "/donors", donor_body(tree)).status_code == 403
    assert Donor.objects.count() == 1 and not DonorView.objects.exists()


def test_requests_without_auth_are_401(api, tree, hung):
    for path in ("/donors", f"/donors/{hung.code}", f"/donors/{hung.code}/donations"):
        assert api(None, "GET", path).status_code == 401
    assert api(None, "POST", "/donors", donor_body(tree)).status_code == 401
    assert api(None, "PATCH", f"/donors/{hung.code}", {"notes": "X"}).status_code == 401


# ---- writes ------------------------------------------------------------------------


def test_coordinator_creates_a_donor(api, coordinator, tree):
    club = org_services.create_organization(actor=None, parent=tree["district_one"],
                                            name="CLB Máu hiếm", kind=Kind.CLUB)
    response = api(coordinator, "POST", "/donors", donor_body(
        tree, id_type="cccd", id_number="1098012345", phone="912345678",
        workplace=str(tree["company"].code), clubs=[str(club.code)], weight_kg="55.5",
        blood_group="O", rh="+", email="tuan@example.vn"))
    assert response.status_code == 201, response.content
    body = response.json()
    donor = Donor.objects.get()
    assert body["code"] == str(donor.code)
    assert (donor.id_number, donor.phone) == ("001098012345", "+84912345678")
    assert body["id_number"] == "001098012345" and body["phone"] == "0912 345 678"
    assert body["birth_date"] == "1998-05-04" and body["birth_year"] == 1998
    assert body["workplace_code"] == str(tree["company"].code)
    assert body["club_codes"] == [str(club.code)]
    assert body["blood_type"] == "O+" and body["weight_kg"] == 55.5
    assert body["history"]["donation_count"] == 0
    assert DonorView.objects.filter(donor=donor, viewer=coordinator).count() == 1


def test_create_with_a_bad_phone_is_422_with_code_and_field(api, coordinator, tree):
    response = api(coordinator, "POST", "/donors", donor_body(tree, phone="0123"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Số “0123” không phải số điện thoại Việt Nam hợp lệ; số di động có 10 chữ "
                  "số, ví dụ 0912 345 678.",
        "code": "phone_invalid", "field": "phone"}
    assert not Donor.objects.exists()


def test_create_with_a_known_cccd_is_422_duplicate_id(api, coordinator, tree, hung):
    response = api(coordinator, "POST", "/donors", donor_body(
        tree, full_name="Nguyễn Văn Hùng", birth_date="1990-05-04", id_type="cccd",
        id_number="001 090 012 345"))
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate_id"
    assert response.json()["field"] == "id_number"
    assert Donor.objects.count() == 1


def test_a_cccd_that_disagrees_needs_confirmed_true(api, coordinator, tree):
    # 0010 9…: a man born in 1990; the record says a woman born in 1985.
    body = donor_body(tree, full_name="Lê Thị Mai", birth_date="1985-01-01", sex="F",
                      id_type="cccd", id_number="001090012399")
    response = api(coordinator, "POST", "/donors", body)
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "identity_mismatch" and error["field"] == "id_number"
    assert "1990" in error["detail"] and "nữ" in error["detail"]
    assert not Donor.objects.exists()
    response = api(coordinator, "POST", "/donors", body | {"confirmed": True})
    assert response.status_code == 201, response.content
    assert response.json()["sex"] == "F" and response.json()["id_number"] == "001090012399"


def test_coordinator_cannot_put_a_record_outside_its_subtree(api, coordinator, tree, hung):
    outside = str(tree["district_two"].code)
    assert api(coordinator, "POST", "/donors",
               donor_body(tree, home=outside)).status_code == 404
    response = api(coordinator, "PATCH", f"/donors/{hung.code}", {"home": outside})
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy tổ chức, hoặc bạn không có quyền xem."
    assert api(coordinator, "PATCH", f"/donors/{hung.code}",
               {"workplace": outside}).status_code == 404
    assert api(coordinator, "PATCH", f"/donors/{hung.code}",
               {"clubs": [outside]}).status_code == 404
    assert Donor.objects.get(pk=hung.pk).home == tree["district_one"]
    # Within its subtree it may.
    response = api(coordinator, "PATCH", f"/donors/{hung.code}",
                   {"home": str(tree["company"].code)})
    assert response.status_code == 200, response.content
    assert Donor.objects.get(pk=hung.pk).home == tree["company"]


def test_coordinator_edits_a_donor(api, coordinator, tree, hung):
    response = api(coordinator, "PATCH", f"/donors/{hung.code}", {
        "phone_other": "024 3826 1234", "blood_group": "A", "rh": "-", "sex": None,
        "home": str(tree["district_one"].code)})  # the home it has: kept
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phone_other"] == "024 3826 1234" and body["blood_type"] == "A-"
    assert body["sex"] is None and body["phone"] == "0912 345 678"
    hung.refresh_from_db()
    assert (hung.phone_other, hung.sex, hung.full_name) == ("+842438261234", "",
                                                            "Nguyễn Văn Hùng")
    # Rules of the services and of the schema: 422.
    response = api(coordinator, "PATCH", f"/donors/{hung.code}", {"phone": "12"})
    assert response.status_code == 422 and response.json()["field"] == "phone"
    response = api(coordinator, "PATCH", f"/donors/{hung.code}", {"email": "khong-hop-le"})
    assert response.json() == {"detail": "Địa chỉ e-mail không hợp lệ.",
                               "code": "email_invalid", "field": "email"}
    response = api(coordinator, "PATCH", f"/donors/{hung.code}", {"commune_code": 99999999})
    assert response.status_code == 422 and response.json()["code"] == "invalid_place"
    response = api(coordinator, "PATCH", f"/donors/{hung.code}",
                   {"workplace": str(tree["district_one"].code), "clubs": [
                       str(tree["company"].code)]})
    assert response.status_code == 422 and response.json()["code"] == "invalid_club"
    assert api(coordinator, "PATCH", f"/donors/{hung.code}",
               {"full_name": None}).status_code == 422
    assert api(coordinator, "PATCH", f"/donors/{hung.code}",
               {"ful_name": "X"}).status_code == 422
    assert Donor.objects.get(pk=hung.pk).workplace is None


def test_list_query_count_does_not_grow_with_rows(api, office, tree, hung,
                                                  django_assert_max_num_queries):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api(office, "GET", "/donors").status_code == 200
        return len(queries)

    api(office, "GET", "/me")  # issue the token outside the counts
    before = count()
    for i in range(7):
        make(office, tree, f"Người Thứ {'ABCDEFG'[i]}", workplace=tree["company"],
             phone=f"091234500{i}", id_type="cccd", id_number=f"00109501234{i}")
    assert count() == before
    with django_assert_max_num_queries(5):  # token, memberships, count, page (+ touch)
        assert api(office, "GET", "/donors").status_code == 200


def test_openapi_lists_the_donor_paths(client_for, coordinator):
    paths = client_for(coordinator).get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/donors"]) == {"get", "post"}
    assert set(paths["/api/donors/{code}"]) == {"get", "patch"}
    assert paths["/api/donors/{code}/donations"]["get"]["tags"] == ["donors"]
    assert paths["/api/donors"]["get"]["summary"].startswith("Danh sách người hiến máu")
