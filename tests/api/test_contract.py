"""The API answers within its contract: out-of-range input is a 4xx (never a 500), every
error has the one shape {detail, code, field} in Vietnamese, the OpenAPI schema names each
component once and documents the errors, and repeating a cancel changes nothing."""

import datetime
import json

import pytest
from ninja.openapi.schema import OpenAPISchema

from hienmau.accounts.models import ApiToken
from hienmau.api.api import api as ninja_api
from hienmau.orgs.models import AuditEntry
from hienmau.plans import services
from hienmau.plans.models import Drive, DriveStatus

D = datetime.date
SHAPE = {"detail", "code", "field"}


@pytest.fixture
def drive(tree, office):
    return services.create_drive(actor=office, date=D(2024, 3, 6), venue="Nhà văn hóa",
                                 expected_units=200, organizer=tree["district_one"])


def drive_body(tree, **extra):
    return {"organizer": str(tree["district_one"].code), "date": "2024-03-06",
            "venue": "Nhà văn hóa huyện", "expected_units": 500, **extra}


@pytest.mark.parametrize("path", ["/organizations", "/plans", "/drives", "/donors"])
def test_a_page_number_beyond_any_integer_is_a_422(api, office, drive, path):
    response = api(office, "GET", path, {"page": "10000000000000000000"})
    assert response.status_code == 422
    assert response.json() == {"detail": "“page” nằm ngoài giới hạn cho phép.",
                               "code": "invalid", "field": "page"}
    assert api(office, "GET", path, {"page": "2"}).status_code == 200  # an empty page


def test_a_month_of_year_zero_is_a_422(api, office, drive):
    response = api(office, "GET", "/drives", {"month": "0000-01"})
    assert response.status_code == 422
    assert response.json()["field"] == "month" and response.json()["code"] == "invalid"
    response = api(office, "GET", "/drives", {"month": "2024-03"})
    assert [d["venue"] for d in response.json()["items"]] == ["Nhà văn hóa"]


@pytest.mark.parametrize("params", [{"year": "0"}, {"year": "99999"}, {"month": "13"},
                                    {"month": "0"}])
def test_a_report_of_an_impossible_year_or_month_is_a_422(api, office, tree, params):
    response = api(office, "GET", "/reports",
                   {"organization": str(tree["province"].code), **params})
    assert response.status_code == 422
    assert set(response.json()) == SHAPE and response.json()["field"] in params


def test_a_time_with_a_timezone_is_refused(api, office, tree, drive):
    response = api(office, "POST", "/drives", drive_body(tree, end_time="10:00:00+07:00"))
    assert response.status_code == 422
    assert response.json() == {"detail": "Giờ ghi theo giờ Việt Nam, không kèm múi giờ.",
                               "code": "invalid", "field": "end_time"}
    response = api(office, "PATCH", f"/drives/{drive.code}", {"start_time": "07:30Z"})
    assert response.status_code == 422 and response.json()["field"] == "start_time"
    response = api(office, "PATCH", f"/drives/{drive.code}", {"start_time": "07:30"})
    assert response.status_code == 200 and response.json()["start_time"] == "07:30:00"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_drive_date_out_of_any_plan_is_refused(api, office, tree, drive, day):
    response = api(office, "POST", "/drives", drive_body(tree, date=day))
    assert response.status_code in (400, 422)
    assert response.json()["field"] == "date"
    assert "nằm ngoài khoảng cho phép" in response.json()["detail"]
    response = api(office, "PATCH", f"/drives/{drive.code}", {"date": day})
    assert response.status_code in (400, 422) and response.json()["field"] == "date"
    assert Drive.objects.get(pk=drive.pk).date == D(2024, 3, 6)


def test_input_the_schema_refuses_has_the_one_error_shape(api, office, tree, drive):
    response = api(office, "POST", "/drives", {"date": "2024-03-06", "venue": "X",
                                               "expected_units": 5})
    assert response.status_code == 422
    assert response.json() == {"detail": "Thiếu trường bắt buộc “organizer”.",
                               "code": "invalid", "field": "organizer"}
    response = api(office, "GET", f"/drives/{drive.code}/registrations", {"status": "x"})
    assert response.status_code == 422 and response.json()["field"] == "status"
    response = api(office, "GET", "/organizations/not-a-code")
    assert response.status_code == 422 and response.json()["field"] == "code"


def test_a_body_that_is_not_json_and_a_missing_token_have_the_shape_too(client, office):
    token = ApiToken.issue(office, "test")[1]
    response = client.post("/api/plans", "{not json", content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Nội dung gửi lên không đọc được (cần JSON hợp lệ).",
                               "code": "invalid_body", "field": None}
    response = client.get("/api/plans")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_rule_refused_at_the_drive_day_or_registration_doors_has_the_shape(
        api, office, drive):
    # Registrations of a drive that is not open and an empty batch are rule refusals.
    services.cancel_drive(drive, actor=office, reason="Mưa bão")
    response = api(office, "POST", f"/drives/{drive.code}/registrations/batch",
                   {"people": []})
    assert response.status_code == 422
    assert set(response.json()) == SHAPE and response.json()["code"]
    response = api(office, "POST", f"/drives/{drive.code}/check-ins", {"reference": "HM-X"})
    assert response.status_code in (403, 404, 422)
    assert set(response.json()) == SHAPE


def test_a_django_404_is_never_shown_in_english(api, office, drive):
    response = api(office, "POST", f"/drives/{drive.code}/registrations/HM-AAAAAAAA/cancel")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy, hoặc bạn không có quyền xem.",
                               "code": "not_found", "field": None}


def test_cancelling_a_cancelled_drive_changes_nothing(api, office, drive):
    cancel = f"/drives/{drive.code}/cancel"
    first = api(office, "POST", cancel, {"reason": "Mưa bão"})
    assert first.status_code == 200 and first.json()["status"] == DriveStatus.CANCELLED
    entries = AuditEntry.objects.count()
    again = api(office, "POST", cancel, {"reason": "Mưa bão"})
    assert again.status_code == 200
    assert again.json()["notes"] == first.json()["notes"] == "Hủy: Mưa bão"
    assert Drive.objects.get(pk=drive.pk).notes == "Hủy: Mưa bão"
    assert AuditEntry.objects.count() == entries


def test_the_schema_names_each_component_once(monkeypatch):
    """Two schemas of one name (two `ReasonOut`) would overwrite each other in the
    OpenAPI document, and a client would read one answer with the other's fields."""
    seen, clashes = {}, []
    original = OpenAPISchema.add_schema_definitions

    def add(self, definitions):
        for name, definition in definitions.items():
            if name in seen and seen[name] != definition:
                clashes.append(name)
            seen[name] = definition
        return original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add)
    ninja_api.get_openapi_schema(path_prefix="/api")
    assert clashes == []


def test_every_operation_documents_the_one_error_shape():
    schema = ninja_api.get_openapi_schema(path_prefix="/api")
    components = schema["components"]["schemas"]
    assert not [name for name in components if name.endswith("ErrorOut") and name != "ErrorOut"]
    assert set(components["ErrorOut"]["properties"]) == SHAPE
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (
                    method, path, status)
    json.dumps(schema)  # serializable as served
