"""Typed settings, read once from the environment (prefix ``O2C_``) and passed down from bootstrap."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
    password_scrypt_n: int = 2**17
    """scrypt's cost for new password hashes (OWASP: 2**17); older hashes are replaced at login."""
    login_max_failures: int = 5
    """Wrong passwords for one user name within ``login_window_minutes`` before logins are refused (429)."""
    login_max_failures_per_address: int = 20
    """Wrong passwords from one client address within the window before its logins are refused (429)."""
    login_window_minutes: int = 15
    session_hours: int = 12
    """How long a browser session lasts; logout and ``o2c users revoke`` end it earlier."""
    api_docs: Literal["signed_in", "public", "off"] = "signed_in"
    """Who may read /api/docs, /api/redoc and /api/openapi.json."""
    send_unvalidated_einvoices: bool = False
    """Without the ``einvoice`` extra, send e-invoices unvalidated instead of refusing (not advised)."""
    # The audit chain's key lives outside the database (see ``o2c.adapters.audit_seal``): the key itself,
    # or a file holding it; neither set: ``o2c-audit.key`` beside the SQLite file (created on first use).
    audit_key: SecretStr | None = None
    audit_key_file: Path | None = None
    audit_checkpoints: Path | None = None  # default: <database>.audit-checkpoints beside the key file
    erp: Literal["o2c", "tryton"] = "o2c"
    """The system of record: o2c's own ledger (the default), or Tryton (XML-RPC or in-process)."""
    tryton_url: str | None = None
    """``http://HOST:PORT/DB/``: Tryton over XML-RPC, with ``tryton_user`` and ``tryton_password``."""
    tryton_user: str = "admin"
    tryton_password: SecretStr | None = None
    tryton_config: Path | None = None
    """A trytond configuration file: Tryton in-process, on database ``tryton_database``."""
    tryton_database: str | None = None
    bank_unbalanced: Literal["import", "refuse"] = "import"
    """A bank statement that does not add up or breaks its account's chain: import its entries and
    flag it for treasury (the default), or refuse the whole file."""
    llm: LlmSettings = Field(default_factory=LlmSettings)
    imap_url: str | None = None
    """The watched mailbox for ``o2c mail poll``: imaps://user@host/INBOX (imap:// only on loopback)."""
    imap_password: SecretStr | None = None
    imap_ca_file: Path | None = None
    mail_trusted_senders: str = ""
    """Comma-separated addresses or @domains (the bank) whose attached files are imported though not a customer."""
    mail_wait_seconds: float = 300.0
    """How long ``o2c mail poll`` waits for news (IMAP IDLE, or a sleep) between polls."""


def normalise_database_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
