"""Typed settings, read once from the environment (prefix ``O2C_``) and passed down from bootstrap."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_FILE = "o2c.db"


class LlmSettings(BaseSettings):
    """The one optional LLM (any OpenAI-compatible endpoint); no base URL means no LLM anywhere.

    ``O2C_LLM_BASE_URL`` (``O2C_LLM_URL`` is read too, the name the answer rewriter used),
    ``O2C_LLM_MODEL``, ``O2C_LLM_API_KEY``, ``O2C_LLM_TIMEOUT_S``.
    """

    model_config = SettingsConfigDict(env_prefix="O2C_LLM_", extra="ignore", populate_by_name=True)

    base_url: str | None = Field(default=None, validation_alias=AliasChoices("O2C_LLM_BASE_URL", "O2C_LLM_URL",
                                                                             "base_url"))
    model: str = "gpt-4o-mini"
    api_key: SecretStr | None = None
    timeout_s: float = 10.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="O2C_", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DEFAULT_SQLITE_FILE}")
    company_currency: str = "EUR"
    company_name: str = "Brightwater Drinks & Foods B.V."
    company_country: str = "NL"
    policy_file: Path | None = None
    dispatch_max_attempts: int = 5
    log_level: str = "WARNING"
    llm: LlmSettings = Field(default_factory=LlmSettings)


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
