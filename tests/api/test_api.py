"""The REST API: token authentication and the same scoping as the screens."""

import pytest

from hienmau.accounts.models import ApiToken


@pytest.fixture
def api(client):
    def call(user, path, **params):
        headers = {}
        if user is not None:
            _token, raw = ApiToken.issue(user, "test")
            headers["Authorization"] = f"Bearer {raw}"
        return client.get(f"/api{path}", params, headers=headers)
    return call


def test_requests_without_a_token_are_refused(api, tree):
    assert api(None, "/organizations").status_code == 401


def test_a_revoked_or_wrong_token_is_refused(client, coordinator):
    from django.utils import timezone

    token, raw = ApiToken.issue(coordinator, "old")
    token.revoked_at = timezone.now()
    token.save()
    for key in (raw, "hm_not-a-token"):
        response = client.get("/api/organizations", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 401


def test_list_is_scoped_like_the_screens(api, coordinator, tree):
    body = api(coordinator, "/organizations").json()
    assert body["count"] == 2
    assert [o["name"] for o in body["items"]] == ["BCĐ huyện Một", "Công ty Một"]
    company = body["items"][1]
    assert company["parent_code"] == str(tree["district_one"].code)
    assert company["kind"] == "company" and company["kind_label"] == "Doanh nghiệp"


def test_list_filters(api, office, tree):
    assert [o["name"] for o in api(office, "/organizations", q="cong ty").json()["items"]] == [
        "Công ty Một"]
    children = api(office, "/organizations", parent=str(tree["province"].code)).json()
    assert sorted(o["name"] for o in children["items"]) == ["BCĐ huyện Hai", "BCĐ huyện Một"]
    assert api(office, "/organizations", kind="company").json()["count"] == 1


def test_other_units_organization_is_404(api, outsider, coordinator, tree):
    assert api(outsider, f"/organizations/{tree['company'].code}").status_code == 404
    response = api(coordinator, f"/organizations/{tree['company'].code}")
    assert response.status_code == 200 and response.json()["name"] == "Công ty Một"


def test_filtering_by_an_invisible_parent_is_404(api, outsider, tree):
    response = api(outsider, "/organizations", parent=str(tree["district_one"].code))
    assert response.status_code == 404


def test_me_lists_memberships(api, coordinator, tree):
    body = api(coordinator, "/me").json()
    assert body["memberships"] == [{"organization_code": str(tree["district_one"].code),
                                    "organization_name": "BCĐ huyện Một", "role": "coordinator"}]


def test_logged_in_browser_can_use_the_api(client_for, coordinator, tree):
    assert client_for(coordinator).get("/api/organizations").json()["count"] == 2


def test_openapi_docs_are_served_without_cdn(client_for, coordinator):
    client = client_for(coordinator)
    schema = client.get("/api/openapi.json").json()
    assert "/api/organizations/{code}" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "unpkg" not in docs.text


def test_list_query_count_does_not_grow_with_rows(api, office, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert api(office, "/organizations").status_code == 200
