"""Pages must not run one query per row: the count stays the same as rows multiply."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hienmau.orgs import services


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


def grow(office, parent, n):
    for i in range(n):
        org = services.create_organization(actor=office, parent=parent, name=f"Đơn vị {i}",
                                           kind="company")
        services.update_organization(org, actor=office, headcount=i + 1)


PAGES = [
    ("tree", lambda t: (reverse("orgs:tree"), None)),
    ("children", lambda t: (reverse("orgs:children", kwargs={"code": t["district_two"].code}),
                            None)),
    ("detail", lambda t: (reverse("orgs:detail", kwargs={"code": t["district_two"].code}), None)),
    ("full list", lambda t: (reverse("orgs:tree"), {"parent": t["district_two"].code})),
    ("search", lambda t: (reverse("orgs:tree"), {"q": "don vi"})),
    ("audit", lambda t: (reverse("orgs:audit"), None)),
    ("duplicates", lambda t: (reverse("orgs:duplicates"), None)),
    ("home", lambda t: (reverse("home"), None)),
]


@pytest.mark.parametrize(("label", "target"), PAGES)
def test_query_count_does_not_grow_with_rows(client_for, office, tree, label, target):
    client = client_for(office)
    url, params = target(tree)
    grow(office, tree["district_two"], 2)
    few = queries(client, url, params)
    grow(office, tree["district_two"], 12)
    assert queries(client, url, params) == few, label
