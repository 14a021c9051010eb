"""A Tryton of o2c's own on loopback: a copy of the cached, activated template database (SQLite) served
by ``trytond`` in a folder, for the demo on Tryton and for tests. Its admin password is ``admin``: it
listens on 127.0.0.1 only and holds no real books."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from o2c.adapters.erp.tryton.client import XmlRpcClient
from o2c.adapters.erp.tryton.setup import cached_template, write_config

PASSWORD = "admin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalTryton:
    folder: Path
    database: str = "books"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.database}/"

    @property
    def config(self) -> Path:
        return self.folder / "trytond.conf"

    def prepare(self) -> LocalTryton:
        """A fresh copy of the template (built once, ~22 s, then cached under ~/.cache/o2c-tryton)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_config(
            self.config, database_uri="sqlite://", data_dir=self.folder, listen=f"127.0.0.1:{self.port}"
        )
        shutil.copyfile(cached_template(), self.folder / f"{self.database}.sqlite")
        return self

    def start(self) -> None:
        trytond = str(Path(sys.executable).with_name("trytond"))
        log = (self.folder / "trytond.log").open("ab")
        self.process = subprocess.Popen(
            [trytond, "-c", str(self.config), "-d", self.database], stdout=log, stderr=log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(
            f"trytond did not listen on {self.port}: {(self.folder / 'trytond.log').read_text()}"
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def client(self) -> XmlRpcClient:
        return XmlRpcClient(self.url, "admin", PASSWORD)
