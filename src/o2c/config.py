"""Typed settings, read once from the environment (prefix ``O2C_``) and passed down from bootstrap."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
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
    bank_unbalanced: Literal["import", "refuse"] = "import"
    """A bank statement that does not add up or breaks its account's chain: import its entries and
    flag it for treasury (the default), or refuse the whole file."""


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
