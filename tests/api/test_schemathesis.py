"""The API answers within its contract: Schemathesis generates requests from the OpenAPI
schema for every operation (valid and invalid input) and sends them, as the province
office of the demo, through the Django WSGI app to the test database.

No answer may be a server error (5xx), carry a status code the schema does not list, or
have a body outside the documented schema. Bounded: a few examples per operation, a fixed
seed (the same requests every run) and a time budget for the whole walk.
"""

import time
import uuid

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from hienmau.accounts.models import ApiToken, User
from hienmau.api.api import api

EXAMPLES = 4  # per operation and per mode (valid, invalid input)
BUDGET_SECONDS = 90
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _known_codes() -> dict[str, list[uuid.UUID]]:
    """Codes of rows the office may see, so that generated paths reach real objects and
    not only the 404 of a random UUID."""
    from hienmau.donors.models import Donor
    from hienmau.honors.models import HonorRound
    from hienmau.orgs.models import Organization
    from hienmau.plans.models import Drive, Plan

    def codes(model):
        return list(model.objects.order_by("pk").values_list("code", flat=True)[:5])

    return {"/plans/": codes(Plan), "/drives/": codes(Drive), "/donors/": codes(Donor),
            "/organizations/": codes(Organization), "/honors/rounds/": codes(HonorRound)}


def _with_known_code(strategy, path: str, known: dict[str, list[uuid.UUID]]):
    prefix = next((p for p in known if path.startswith(p) and "{code}" in path), None)
    if prefix is None or not known[prefix]:
        return strategy

    def put(pair):
        case, code = pair
        if code is not None:
            case.path_parameters = {**(case.path_parameters or {}), "code": str(code)}
        return case

    return st.tuples(strategy, st.one_of(st.none(), st.sampled_from(known[prefix]))).map(put)


@pytest.fixture
def office_token(demo_data, db):
    return ApiToken.issue(User.objects.get(username="vanphong"), "schemathesis")[1]


@pytest.fixture
def wsgi_app():
    """The deployed WSGI app, without closing the test's database connection after each
    request (as Django's test client does)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_every_operation_answers_within_the_schema(office_token, wsgi_app):
    app = wsgi_app
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
    headers = {"Authorization": f"Bearer {office_token}"}
    known = _known_codes()
    failures, started = [], time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        for mode in ("positive", "negative"):
            if time.monotonic() - started > BUDGET_SECONDS:
                pytest.fail(f"the walk went over its {BUDGET_SECONDS} s budget at "
                            f"{operation.label}")
            strategy = _with_known_code(
                operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)),
                operation.path, known)

            @hypothesis.settings(max_examples=EXAMPLES, derandomize=True, database=None,
                                 deadline=None, phases=[hypothesis.Phase.generate],
                                 suppress_health_check=list(hypothesis.HealthCheck))
            @hypothesis.given(case=strategy)
            def send(case):
                response = case.call(app=app, headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except FailureGroup as group:  # every failure is collected, not shrunk
                    failures.append(
                        f"{case.operation.label} → {response.status_code}: "
                        + "; ".join(f.title for f in group.exceptions)
                        + f" ({case.formatted_path} {case.query or ''} {response.text[:200]})")

            send()
    assert not failures, f"{len(failures)} answers outside the contract:\n\n" + "\n\n".join(
        failures[:200])
