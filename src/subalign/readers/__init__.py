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

from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from ..model import Lang, Transcript
from ..textio import DecodedText, read_text
from .base import READERS, LayoutReader, register
from .caption_text import caption_documents, is_caption_file
from .episode import EpisodeReader
from .halves import HalvesReader
from .scan import Scan, scan
from .two_files import read_two_files

register(EpisodeReader())
register(HalvesReader())

__all__ = ["READERS", "LayoutReader", "Scan", "parse_document", "read_transcript", "register", "scan"]


def read_transcript(path: Path, zh_path: Path | None = None) -> Transcript:
    """Read a transcript from one bilingual file, or from an English and a Chinese file.

    Either file may be a caption track (`subalign.readers.caption_text`):
    its text is read as the transcript's, a bilingual caption file's
    English and Chinese lines as the two files.
    """
    doc = read_text(path)
    if zh_path is None:
        if is_caption_file(doc):
            both = caption_documents(doc, (Lang.EN, Lang.ZH))
            note = f"{path.name}: read as a bilingual caption file (its English and its Chinese lines)"
            return _noted(read_two_files(both[Lang.EN], both[Lang.ZH]), note)
        return parse_document(doc)
    zh_doc = read_text(zh_path)
    notes = []
    if is_caption_file(doc):
        doc = caption_documents(doc, (Lang.EN,))[Lang.EN]
        notes.append(f"{path.name}: the English read from a caption file")
    if is_caption_file(zh_doc):
        zh_doc = caption_documents(zh_doc, (Lang.ZH,))[Lang.ZH]
        notes.append(f"{zh_path.name}: the Chinese read from a caption file (its text only, not its times)")
    result = read_two_files(doc, zh_doc)
    for note in notes:
        result = _noted(result, note)
    return result


def _noted(transcript: Transcript, note: str) -> Transcript:
    return replace(transcript, notes=(*transcript.notes, note))


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
