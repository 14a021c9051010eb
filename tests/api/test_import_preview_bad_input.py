"""``POST /api/imports/preview`` answers a bad order file with its refusal, never a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer
from tests.integration.test_bad_order_input import BAD_FILES


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_the_preview_of_a_bad_order_file_lists_the_refusal_naming_its_field(client, people, name):
    content, field, words = BAD_FILES[name]
    answer = client.post(
        "/api/imports/preview", files={"file": (name, content)}, headers=bearer(people["clerk"])
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["posted"] is False and body["kind"] == "orders"
    assert any(field in error and words in error for error in body["errors"]), body["errors"]
