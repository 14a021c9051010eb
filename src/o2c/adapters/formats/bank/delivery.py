"""How a bank file arrives: zipped, in UTF-16 or UTF-32, with or without a byte order mark.

Banks and ERPs (Odoo among them) deliver camt statements in a ZIP archive, one XML file per
statement or day; some write camt in UTF-16. ``unwrap`` turns what arrived into the files the
readers expect, each as UTF-8 text without a byte order mark (an XML declaration that names
another encoding is rewritten to say UTF-8). Archives are bounded: a ZIP bomb or an archive of
archives is refused, never expanded.
"""

from __future__ import annotations

import io
import re
import zipfile

from o2c.adapters.formats.bank.model import FormatError

MAX_MEMBERS = 500
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
_BOMLESS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"^(<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._-]+)([\"'])")


def is_zip(data: bytes) -> bool:
    return data[:4] == _ZIP_MAGIC


def unwrap(data: bytes, filename: str) -> list[tuple[str, bytes]]:
    """The files inside what arrived, as (name, UTF-8 bytes); a plain file is its own one member."""
    if not is_zip(data):
        return [(filename, as_utf8(data))]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
    except (zipfile.BadZipFile, OSError) as error:
        raise FormatError(filename, f"not a readable ZIP archive ({error})", field="ZIP") from None
    if not members:
        raise FormatError(filename, "the ZIP archive holds no file", field="ZIP")
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise FormatError(
            filename,
            f"the ZIP archive expands beyond {MAX_MEMBERS} files or {MAX_UNZIPPED_BYTES // 2**20} MiB",
            field="ZIP",
        )
    unpacked = []
    for member in members:
        content = archive.read(member)
        if is_zip(content):
            raise FormatError(filename, f"{member.filename} is an archive inside the archive", field="ZIP")
        unpacked.append((f"{filename}!{member.filename}", as_utf8(content)))
    return unpacked


def _hidden(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith(".")


def as_utf8(data: bytes) -> bytes:
    """The text as UTF-8 without a byte order mark; bytes in no UTF-16/32 shape are left as they are."""
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), None)
    if codec is not None:
        text = data[len(next(b for b, c in _BOMS if c == codec)) :]
    else:
        codec = next((c for start, c in _BOMLESS if data.startswith(start)), None)
        text = data
    if codec is None or codec == "utf-8":
        return text
    try:
        converted = text.decode(codec).encode("utf-8")
    except UnicodeDecodeError:
        return data
    return _DECLARED.sub(rb"\1UTF-8\3", converted, count=1)
