"""The ``two-files`` layout: one file per language, each with any structure.

Each file is scanned on its own (headings, labels, timestamps, material set
aside); their paragraphing and sections need not agree, since the aligner
works across them.  A file is checked to hold mostly its language: two
files given the other way round are swapped, and the report says so.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import InputError
from ..model import Lang, Section, Transcript
from ..textio import DecodedText
from .base import transcript
from .scan import scan, speech_share

# A one-language file must have at least this share of its letters in its language.
MIN_OWN_SHARE = 0.5


def read_two_files(en_doc: DecodedText, zh_doc: DecodedText) -> Transcript:
    en, zh = scan(en_doc, Lang.EN), scan(zh_doc, Lang.ZH)
    note = ""
    if speech_share(en, Lang.EN) < MIN_OWN_SHARE and speech_share(zh, Lang.ZH) < MIN_OWN_SHARE:
        en, zh = scan(zh_doc, Lang.EN), scan(en_doc, Lang.ZH)
        note = f"{en_doc.path.name} holds Chinese and {zh_doc.path.name} English: they were read the other way round"
    for found, lang in ((en, Lang.EN), (zh, Lang.ZH)):
        if not found.speech:
            raise InputError("has no text to align", found.path)
        if speech_share(found, lang) < MIN_OWN_SHARE:
            name = "English" if lang is Lang.EN else "Chinese"
            other = "Chinese" if lang is Lang.EN else "English"
            raise InputError(f"should hold {name} but is mostly {other}", found.path)
    section = Section("01", tuple(en.paragraphs(Lang.EN)), tuple(zh.paragraphs(Lang.ZH)))
    result = transcript(en, "two-files", [section], (zh,))
    return replace(result, notes=(note,)) if note else result
