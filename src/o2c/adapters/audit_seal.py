"""The audit log's seal outside the database: the audit key and the signed checkpoints.

A person with database access can rewrite what the database holds, so what proves the audit log
untouched lives elsewhere:

- the **audit key** keys the chain (HMAC-SHA256): without it nobody can re-chain edited records. It
  comes from ``O2C_AUDIT_KEY`` (the key itself), else ``O2C_AUDIT_KEY_FILE`` (a file holding it), else
  the default file ``o2c-audit.key`` in the SQLite database's folder (``~/.config/o2c/`` for
  PostgreSQL). A key file that does not exist is created on first use (64 random hex characters,
  mode 0600) with a warning: copy it to every machine that writes this database, and keep it where
  the database's administrators cannot read it (a secrets store through ``O2C_AUDIT_KEY``);
- **checkpoints** record the log's length and head hash at a moment, signed with the key, one JSON
  object per line appended to ``<database>.audit-checkpoints`` beside the key file (or
  ``O2C_AUDIT_CHECKPOINTS``). Records deleted from the end, or rewritten, after a checkpoint no longer
  agree with it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from o2c.config import Settings, normalise_database_url

log = logging.getLogger(__name__)

KEY_FILE_NAME = "o2c-audit.key"
MIN_KEY_LENGTH = 16


class AuditKeyError(RuntimeError):
    """The audit key is missing, unreadable or too short to be a key."""


def sign(key: bytes, message: str) -> str:
    """HMAC-SHA256 of ``message`` under ``key``, as hex."""
    return hmac.digest(key, message.encode(), hashlib.sha256).hex()


# --- where the key and the checkpoints live -------------------------------------------------------
def _sqlite_file(database_url: str) -> Path | None:
    url = make_url(normalise_database_url(database_url))
    if url.get_backend_name() != "sqlite":
        return None
    return Path(url.database) if url.database and url.database != ":memory:" else None


def _config_dir() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "o2c"


def database_label(database_url: str) -> str:
    """A file-name-safe name of the database: the SQLite file's name, or host-port-database."""
    sqlite_file = _sqlite_file(database_url)
    if sqlite_file is not None:
        return sqlite_file.name
    url = make_url(normalise_database_url(database_url))
    label = f"{url.get_backend_name()}-{url.host or 'local'}-{url.port or ''}-{url.database or ''}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label)


def _default_dir(settings: Settings) -> Path:
    sqlite_file = _sqlite_file(settings.database_url)
    return sqlite_file.resolve().parent if sqlite_file is not None else _config_dir()


def key_file(settings: Settings) -> Path:
    return settings.audit_key_file or _default_dir(settings) / KEY_FILE_NAME


def checkpoints_file(settings: Settings) -> Path:
    """Where ``o2c audit checkpoint`` appends and ``o2c audit verify`` looks by default."""
    if settings.audit_checkpoints is not None:
        return settings.audit_checkpoints
    folder = settings.audit_key_file.parent if settings.audit_key_file else _default_dir(settings)
    return folder / f"{database_label(settings.database_url)}.audit-checkpoints"


# --- the key --------------------------------------------------------------------------------------
def audit_key(settings: Settings) -> bytes:
    """The key of the audit chain; a key file that does not exist yet is created (0600), with a warning."""
    if settings.audit_key is not None:
        return _checked(settings.audit_key.get_secret_value(), "O2C_AUDIT_KEY")
    if _sqlite_file(settings.database_url) is None and settings.database_url.startswith("sqlite"):
        return secrets.token_hex(32).encode()  # an in-memory database lives and dies with this process
    path = key_file(settings)
    if not path.exists():
        _create_key_file(path)
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise AuditKeyError(f"cannot read the audit key file {path}: {exc.strerror}") from exc
    return _checked(text, str(path))


def _checked(text: str, source: str) -> bytes:
    if len(text) < MIN_KEY_LENGTH:
        raise AuditKeyError(
            f"the audit key in {source} has {len(text)} characters; use at least "
            f"{MIN_KEY_LENGTH} random characters (64 hex characters recommended)"
        )
    return text.encode()


def _create_key_file(path: Path) -> None:
    """Write a new key atomically: a temporary file linked into place, so two processes starting at once
    end up with the same key (the second link fails and that process reads the first one's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return
    finally:
        temporary.unlink(missing_ok=True)
    log.warning(
        "no audit key was configured (O2C_AUDIT_KEY or O2C_AUDIT_KEY_FILE): generated %s (mode 0600). "
        "Copy it to every machine that writes this database and keep it out of reach of the "
        "database's administrators; without it the audit log cannot be verified.",
        path,
    )


# --- checkpoints ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Checkpoint:
    database: str
    seq: int
    head: str
    at: datetime

    def message(self) -> str:
        return "o2c-audit-checkpoint|" + json.dumps([self.database, self.seq, self.head, self.at.isoformat()])


def append_checkpoint(path: Path, checkpoint: Checkpoint, key: bytes) -> None:
    """Append one signed line (appending only: earlier checkpoints are never rewritten)."""
    line = json.dumps(
        {
            "database": checkpoint.database,
            "seq": checkpoint.seq,
            "head": checkpoint.head,
            "at": checkpoint.at.isoformat(),
            "seal": sign(key, checkpoint.message()),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


def read_checkpoints(path: Path, key: bytes) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints signed with ``key``, oldest first, and a problem for every line that is not."""
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            checkpoint = Checkpoint(
                str(fields["database"]),
                int(fields["seq"]),
                str(fields["head"]),
                datetime.fromisoformat(fields["at"]),
            )
            seal = str(fields["seal"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"{path} line {number}: not a checkpoint (unreadable)")
            continue
        if not hmac.compare_digest(seal, sign(key, checkpoint.message())):
            problems.append(
                f"{path} line {number}: checkpoint not signed with the audit key (forged or "
                "written with another key)"
            )
            continue
        checkpoints.append(checkpoint)
    return checkpoints, problems
