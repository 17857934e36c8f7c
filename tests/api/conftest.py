"""The API client of the API tests."""

import json

import pytest

from hienmau.accounts.models import ApiToken


@pytest.fixture
def api(client):
    """api(user, "GET", "/plans", params) or api(user, "POST", "/plans", body): a call
    with the user's Bearer token (None: no token)."""
    tokens = {}

    def call(user, method, path, data=None):
        headers = {}
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = ApiToken.issue(user, "test")[1]
            headers["Authorization"] = f"Bearer {tokens[user.pk]}"
        url = f"/api{path}"
        if method == "GET":
            return client.get(url, data or {}, headers=headers)
        return getattr(client, method.lower())(
            url, json.dumps(data) if data is not None else None,
            content_type="application/json", headers=headers)
    return call
