"""Real mail servers for tests: Dovecot (IMAP) from Debian's packages with its own config in a temporary
folder, and aiosmtpd (SMTP) on loopback.

Dovecot listens on 127.0.0.1 on a free port, authenticates from a passwd-file and keeps mail in Maildirs
under the same folder. Run as root it drops to Debian's ``dovecot``/``dovenull`` users (its login process
refuses root); otherwise every process runs as the current user. Without the binary the tests skip with
the reason — except in CI (CI=true), where they fail instead.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
PASSWORD = "s3cret-for-tests"
USER_PREFIX, USERS = "o2c", 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen[bytes]
    users: list[str] = field(default_factory=list)

    def add_user(self) -> str:
        """A mailbox user nobody used yet (the passwd-file lists them all from the start: Dovecot would
        not see a line appended within the second it last read the file)."""
        user = f"{USER_PREFIX}{len(self.users):03d}"
        self.users.append(user)
        return user

    def url(self, user: str, folder: str = "INBOX") -> str:
        return f"imap://{user}@127.0.0.1:{self.port}/{folder}"

    def client(self, user: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port)
        imap.login(user, PASSWORD)
        return imap

    def deliver(self, user: str, message: bytes, folder: str = "INBOX") -> None:
        """Put a message into a folder with IMAP APPEND, as a mail server's delivery would."""
        imap = self.client(user)
        try:
            status, _ = imap.append(folder, "", imaplib.Time2Internaldate(time.time()), message)
            assert status == "OK"
        finally:
            imap.logout()

    def count(self, user: str, folder: str) -> int:
        imap = self.client(user)
        try:
            status, data = imap.select(f'"{folder}"', readonly=True)
            return int(data[0] or 0) if status == "OK" else 0
        finally:
            imap.logout()


def _config(root: Path, port: int) -> str:
    if os.geteuid() == 0:
        internal, login = "dovecot", "dovenull"
        mail_user = pwd.getpwnam("dovecot")
        for folder in ("mail", "home"):
            shutil.chown(root / folder, mail_user.pw_uid, mail_user.pw_gid)
    else:
        internal = login = pwd.getpwuid(os.geteuid()).pw_name
        mail_user = pwd.getpwuid(os.geteuid())
    return f"""
base_dir = {root}/run
state_dir = {root}/state
instance_name = o2c-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
mail_location = maildir:{root}/mail/%u
first_valid_uid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if DOVECOT is None:
        reason = "dovecot is not installed (apt-get install -y dovecot-imapd)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="o2c-dovecot-"))
    root.chmod(0o755)
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    (root / "passwd").write_text("".join(f"{USER_PREFIX}{n:03d}:{{PLAIN}}{PASSWORD}\n" for n in range(USERS)))
    port = free_port()
    (root / "dovecot.conf").write_text(_config(root, port))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    server = Dovecot(root, port, process)
    _wait_until_listening(server)
    yield server
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(root, ignore_errors=True)


def _wait_until_listening(server: Dovecot) -> None:
    for _ in range(100):
        if server.process.poll() is not None:
            raise RuntimeError(
                f"dovecot stopped: {server.process.stdout.read().decode() if server.process.stdout else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1) as conn:
                if conn.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    log = (server.root / "dovecot.log").read_text() if (server.root / "dovecot.log").exists() else ""
    raise RuntimeError(f"dovecot did not listen on {server.port}: {log[-2000:]}")
