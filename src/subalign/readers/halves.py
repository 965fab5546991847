"""The ``halves`` layout: one file holding both languages in separate parts.

All the English comes under its headings, then all the Chinese (or the
reverse), so no heading group holds both languages.  Everything is one
section; headings stay paragraph-group boundaries (soft evidence for what
is set aside), never a requirement.  (A file whose paragraphs alternate
between the languages is read by :mod:`.episode`, as ``interleaved``.)
"""

from __future__ import annotations

from ..model import Lang, Section, Transcript
from .base import transcript
from .scan import Scan


class HalvesReader:
    name = "halves"

    def accepts(self, scan: Scan) -> bool:
        langs = {s.lang for s in scan.speech}
        return Lang.EN in langs and Lang.ZH in langs

    def build(self, scan: Scan) -> Transcript:
        section = Section("01", tuple(scan.paragraphs(Lang.EN)), tuple(scan.paragraphs(Lang.ZH)))
        return transcript(scan, self.name, [section])
