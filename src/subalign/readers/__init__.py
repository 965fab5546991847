"""Transcript readers behind a registry: one module per layout.

``READERS`` maps a layout name to its reader; `read_transcript` scans the
file(s) (:mod:`.scan`: Markdown through a CommonMark parser, labels,
timestamps, material set aside by form) and gives them to the first reader
that accepts them:

``episode`` / ``interleaved``
    One file whose headings open sections that each hold English paragraphs
    and their Chinese rendering (the commissioned format), or one such part
    with paragraphs alternating between the languages.  What comes before
    the first such section (title, link, summary, outline) is set aside.
``halves``
    One file holding all the English, then all the Chinese (or the
    reverse), under any headings; headings are soft evidence only.
``two-files``
    One file per language (``--zh``), each with any structure.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Transcript
from ..textio import DecodedText, read_text
from .base import READERS, LayoutReader, register
from .episode import EpisodeReader
from .halves import HalvesReader
from .scan import Scan, scan
from .two_files import read_two_files

register(EpisodeReader())
register(HalvesReader())

_TIMECODE = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->", re.M)

__all__ = ["READERS", "LayoutReader", "Scan", "parse_document", "read_transcript", "register", "scan"]


def read_transcript(path: Path, zh_path: Path | None = None) -> Transcript:
    """Read a transcript from one bilingual file, or from an English and a Chinese file."""
    doc = read_text(path)
    if _TIMECODE.search(doc.text):
        raise InputError("looks like a subtitle file (it has timecodes), not a transcript: give it as --captions", path)
    if zh_path is not None:
        zh_doc = read_text(zh_path)
        if _TIMECODE.search(zh_doc.text):
            raise InputError("looks like a subtitle file (it has timecodes), not a transcript", zh_path)
        return read_two_files(doc, zh_doc)
    return parse_document(doc)


def parse_document(doc: DecodedText) -> Transcript:
    """A single bilingual file, already decoded, read by the first layout that accepts it."""
    path = doc.path
    found = scan(doc)
    for reader in READERS.values():
        if reader.accepts(found):
            return reader.build(found)
    en = any(s.lang.value == "en" for s in found.speech)
    zh = any(s.lang.value == "zh" for s in found.speech)
    if not en and not zh:
        raise InputError("has no English or Chinese text to align", path)
    raise InputError(
        f"has no {'Chinese' if en else 'English'} text to align (for two files give the other with --zh)", path
    )
