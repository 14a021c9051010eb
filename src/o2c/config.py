"""Typed settings, read once from the environment (prefix ``O2C_``) and passed down from bootstrap."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_FILE = "o2c.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="O2C_", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DEFAULT_SQLITE_FILE}")
    company_currency: str = "EUR"
    company_name: str = "Brightwater Drinks & Foods B.V."
    company_country: str = "NL"
    policy_file: Path | None = None
    dispatch_max_attempts: int = 5
    log_level: str = "WARNING"
    # The audit chain's key lives outside the database (see ``o2c.adapters.audit_seal``): the key itself,
    # or a file holding it; neither set: ``o2c-audit.key`` beside the SQLite file (created on first use).
    audit_key: SecretStr | None = None
    audit_key_file: Path | None = None
    audit_checkpoints: Path | None = None  # default: <database>.audit-checkpoints beside the key file


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
