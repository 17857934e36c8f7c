"""Drive-day events through the API: the same rules, roles and idempotency as the
stations; health data only from the receiving institution."""

import pytest
from django.utils import timezone

from hienmau.drives.models import Donation, RegistrationStatus


@pytest.fixture
def reference(registration):
    return registration.reference


def test_events_from_check_in_to_collection_are_idempotent(api, drive, reference,
                                                           coordinator, staff):
    base = f"/drives/{drive.code}"
    first = api(coordinator, "POST", f"{base}/check-ins", {"reference": reference.lower()})
    assert first.status_code == 201 and first.json()["status"] == "checked_in"
    again = api(coordinator, "POST", f"{base}/check-ins", {"reference": reference})
    assert again.status_code == 200 and again.json()["created"] is False
    # Health data: not the coordinator's to send.
    assert api(coordinator, "POST", f"{base}/screenings",
               {"reference": reference, "accepted": True}).status_code == 403
    screened = api(staff, "POST", f"{base}/screenings", {
        "reference": reference, "accepted": True, "weight_kg": "62.5", "hemoglobin_g_l": 140})
    assert screened.status_code == 200, screened.content
    body = {"reference": reference, "bag": "B-77", "volume_ml": 450}
    not_a_bag = api(staff, "POST", f"{base}/collections", {**body, "bag": "abc"})
    assert not_a_bag.status_code == 422 and not_a_bag.json()["code"] == "bag_invalid"
    assert not_a_bag.json()["detail"].startswith("Mã túi “abc” không phải mã túi máu")
    collected = api(staff, "POST", f"{base}/collections", body)
    assert collected.status_code == 201 and collected.json()["created"] is True
    assert api(staff, "POST", f"{base}/collections", body).status_code == 200  # a retry
    other_bag = api(staff, "POST", f"{base}/collections", {**body, "bag": "B-78"})
    assert other_bag.status_code == 422 and other_bag.json()["code"] == "already_collected"
    assert Donation.objects.filter(bag_number="B-77").count() == 1
    tally = api(coordinator, "GET", f"{base}/tally").json()
    assert (tally["checked_in"], tally["collected"], tally["equivalents_250"]) == (1, 1, "1.8")


def test_a_deferral_through_the_api_takes_the_reasons_period(api, drive, reference,
                                                             coordinator, staff):
    base = f"/drives/{drive.code}"
    api(coordinator, "POST", f"{base}/check-ins", {"reference": reference})
    reasons = api(staff, "GET", "/deferral-reasons").json()
    assert {"code": "vaccination", "label": "Mới tiêm vắc xin", "days": 7,
            "permanent": False} in reasons
    response = api(staff, "POST", f"{base}/screenings", {
        "reference": reference, "accepted": False, "deferral_reason": "vaccination"})
    assert response.status_code == 200 and response.json()["status"] == "deferred"
    refused = api(staff, "POST", f"{base}/screenings", {
        "reference": reference, "accepted": False, "deferral_reason": "nonsense"})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"


def test_a_reason_without_a_period_needs_the_date_and_a_rule_set_may_give_one(
        api, drive, reference, coordinator, staff):
    import dataclasses
    import datetime

    from hienmau.donors.models import StoredRuleSet
    from hienmau.donors.rules import DEFAULT_RULESET

    base = f"/drives/{drive.code}"
    api(coordinator, "POST", f"{base}/check-ins", {"reference": reference})
    reasons = {r["code"]: r for r in api(staff, "GET", "/deferral-reasons").json()}
    assert reasons["hemoglobin"]["days"] is None and reasons["acute_illness"]["days"] == 14
    body = {"reference": reference, "accepted": False, "deferral_reason": "hemoglobin"}
    refused = api(staff, "POST", f"{base}/screenings", body)
    assert refused.status_code == 422 and refused.json()["code"] == "until_required"
    assert refused.json()["detail"] == ("Lý do “Huyết sắc tố (Hb) thấp” không có thời hạn "
                                        "tạm hoãn định sẵn: hãy ghi ngày hết tạm hoãn.")
    rules = dataclasses.replace(DEFAULT_RULESET, code="quy-dinh-vien",
                                effective_from=timezone.localdate(),
                                deferral_days={"hemoglobin": 84})
    StoredRuleSet.objects.create(code=rules.code, title="Quy định của viện",
                                 effective_from=rules.effective_from, data=rules.to_dict())
    assert {r["code"]: r["days"] for r in api(staff, "GET", "/deferral-reasons").json()
            }["hemoglobin"] == 84
    assert api(staff, "POST", f"{base}/screenings", body).status_code == 200
    assert Donation.objects.get(outcome="deferred").deferred_until == (
        timezone.localdate() + datetime.timedelta(days=84))


def test_another_units_user_is_refused(api, drive, reference, outsider, viewer):
    base = f"/drives/{drive.code}"
    assert api(outsider, "POST", f"{base}/check-ins", {"reference": reference}
               ).status_code == 404
    assert api(outsider, "GET", f"{base}/tally").status_code == 404
    assert api(viewer, "POST", f"{base}/check-ins", {"reference": reference}
               ).status_code == 403
    assert api(None, "GET", f"{base}/tally").status_code == 401
    drive.refresh_from_db()
    assert drive.registrations.get().status == RegistrationStatus.REGISTERED


def test_an_unknown_reference_is_404(api, drive, staff):
    response = api(staff, "POST", f"/drives/{drive.code}/check-ins", {"reference": "HM-XXXX2345"})
    assert response.status_code == 404 and "mã đăng ký" in response.json()["detail"]
