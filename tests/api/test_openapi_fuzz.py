"""Schemathesis against the OpenAPI document, in-process: no server errors and no response that breaks
the document (schema, status code, content type). Examples per operation are bounded to stay fast.

The operations are driven from inside one test (not ``schemathesis.pytest.from_fixture``, whose lazy
loader does not work with pytest 9), so the database is the shared ``app`` fixture.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from o2c.api.app import create_app
from o2c.auth.roles import Role
from o2c.auth.service import add_user
from tests.api.conftest import invoiced_order

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 10


def _fuzz(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.slow
def test_the_api_keeps_its_openapi_promises(app):
    invoiced_order(app)
    headers = {"Authorization": f"Bearer {add_user(app, 'fuzzer', Role.ADMIN).token}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(app, secret_key="fuzz",
                                                                                        api_docs="public"))
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz(operation, headers)
        except Exception as failure:
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
