from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from subalign.errors import InputError
from subalign.textio import atomic_write, read_text

TEXT = "Hello. 你好，世界。\n第二行：Tesla 和 Waymo。\n"


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-32"), "utf-32"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: t.encode("gb18030"), "gb18030"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encode, expected: str) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "t.txt"
    p.write_bytes(encode(TEXT))
    doc = read_text(p)
    assert doc.text == TEXT
    assert doc.encoding == expected


def test_crlf_is_normalised(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(b"a\r\nb\rc\n")
    assert read_text(p).text == "a\nb\nc\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"  \n\n \t", "is empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\xff" * 64, "binary"),
    ],
)
def test_bad_files_are_refused_with_the_reason(tmp_path: Path, content: bytes, problem: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_text(p)
    assert problem in str(err.value)
    assert str(p) in str(err.value)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.md")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("new half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.srt"]


def test_a_few_broken_utf8_bytes_are_replaced_and_said(tmp_path: Path) -> None:
    text = ("### 01\n\nHello there, this is fine.\n\n你好，这很好。\n" * 50).encode("utf-8")
    broken = text[:100] + b"\xe4\xb8" + text[100:]  # a cut multi-byte character
    f = tmp_path / "ep.md"
    f.write_bytes(broken)
    doc = read_text(f)
    assert doc.encoding == "utf-8 (1 bad bytes replaced)"
    assert doc.text.count("\ufffd") == 1
