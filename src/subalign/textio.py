"""Reading text files in whatever encoding they came in, and writing safely.

Chinese transcripts arrive as UTF-8, UTF-8 with a BOM, UTF-16 (Windows
editors) or GBK/GB18030 (older Chinese tools).  :func:`read_text` detects
which, refuses binary data, and says what it found.  :func:`atomic_write`
writes to a temporary file next to the target and renames it, so a failure
never leaves a half-written output.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import InputError, OutputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of control characters (other than tab/newline/CR/FF) above which a
# decoded file is treated as binary data rather than text.
_MAX_CONTROL_SHARE = 0.01
# Share of undecodable bytes up to which a file is read as UTF-8 with replacements.
_MAX_REPLACED_SHARE = 0.001


@dataclass(frozen=True)
class DecodedText:
    """A file's text and the encoding it was read with (``utf-8-sig`` etc.)."""

    text: str
    encoding: str
    path: Path


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: most ASCII/CJK text puts NUL in one byte lane."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0) / (len(data) / 2)
    odd = data[1::2].count(0) / (len(data) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, path: Path) -> DecodedText:
    """Decode ``data`` read from ``path``; raise :class:`InputError` if it is not text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            candidates = [name]
            break
    else:
        candidates = ["utf-8"]
        lane = _utf16_without_bom(data)
        if lane:
            candidates.insert(0, lane)
        candidates.append("gb18030")
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > _MAX_CONTROL_SHARE:
            continue
        return DecodedText(text.replace("\r\n", "\n").replace("\r", "\n"), name, path)
    if b"\x00" in data or _control_share(data.decode("latin-1")) > _MAX_CONTROL_SHARE:
        raise InputError("is binary data, not a text file", path)
    # UTF-8 with a few broken bytes (a bad copy, a cut multi-byte character) is
    # still the text: read it with U+FFFD in their place, and say so.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    if bad <= max(1, _MAX_REPLACED_SHARE * len(text)) and _control_share(text) <= _MAX_CONTROL_SHARE:
        return DecodedText(text.replace("\r\n", "\n").replace("\r", "\n"), f"utf-8 ({bad} bad bytes replaced)", path)
    raise InputError("cannot be decoded as UTF-8, UTF-16 or GBK/GB18030 text", path)


def read_text(path: Path) -> DecodedText:
    """Read a text file, detecting its encoding.

    Raises :class:`InputError` for a missing path, a directory, an unreadable
    or empty file, binary data, or bytes no supported encoding can decode.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a directory, not a file", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", path) from exc
    if not data.strip():
        raise InputError("is empty", path)
    decoded = decode_bytes(data, path)
    if not decoded.text.strip():
        raise InputError("is empty", path)
    return decoded


@contextmanager
def atomic_write(path: Path, staging: Path | None = None) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path`` (or in ``staging``, same file system); rename it over ``path``.

    On any exception the temporary file is removed and the target is left as
    it was.  Text is written as UTF-8 with ``\\n`` line ends unless the caller
    writes its own.  A batch gives a ``staging`` folder of its own, so that a
    process killed mid-write leaves its temporary file there, never among the
    outputs.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=staging or path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here ({exc.strerror or exc})", path.parent) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        # mkstemp creates 0600 files; outputs get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, staging: Path | None = None) -> None:
    """Write ``text`` to ``path`` atomically as UTF-8 (see `atomic_write`)."""
    try:
        with atomic_write(path, staging) as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", path) from exc
