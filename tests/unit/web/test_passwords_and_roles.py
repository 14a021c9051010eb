"""Password hashing, token hashing and the role ladder."""

from __future__ import annotations

from o2c.auth.passwords import hash_password, new_token, token_hash, verify_password
from o2c.auth.roles import Role


def test_a_password_verifies_against_its_salted_hash_and_nothing_else():
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("wrong horse", stored)
    assert hash_password("correct horse") != stored


def test_a_malformed_stored_hash_never_verifies():
    assert not verify_password("x", "plain-text")
    assert not verify_password("x", "md5$1$2$3$aa$bb")


def test_tokens_are_random_and_stored_only_as_their_sha256():
    token = new_token()
    assert token.startswith("o2c_") and token != new_token()
    assert len(token_hash(token)) == 64 and token not in token_hash(token)


def test_each_role_holds_the_rights_of_the_ones_below():
    assert Role.ADMIN.allows(Role.APPROVER) and Role.APPROVER.allows(Role.CLERK)
    assert Role.CLERK.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.CLERK) and not Role.CLERK.allows(Role.APPROVER)
