"""The writer protocol, the layout of languages in a cue, and the registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..model import Cue, Lang


@dataclass(frozen=True)
class Look:
    """How each language is drawn where the format can say so (ASS styles, VTT STYLE).

    Colours are ``#RRGGBB``; sizes are ASS points on a 1920x1080 canvas.
    """

    zh_font: str = "Noto Sans CJK SC"
    en_font: str = "Arial"
    zh_size: int = 64
    en_size: int = 52
    zh_colour: str = "#FFFFFF"
    en_colour: str = "#F0E68C"


@dataclass(frozen=True)
class Layout:
    """Which languages a file carries, top line first.

    ``(Lang.ZH, Lang.EN)`` is a bilingual file with Chinese on top (what
    Chinese viewers usually want); ``(Lang.EN,)`` an English-only track.
    """

    languages: tuple[Lang, ...]
    look: Look = Look()

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    def lines(self, cue: Cue) -> list[tuple[Lang, str]]:
        """The cue's non-empty lines for this layout, in display order.

        A language's text may hold line breaks (``\n``) chosen by the cue
        builder; blank lines never reach a file (they end an SRT cue).
        """
        out = []
        for lang in self.languages:
            text = cue.en if lang is Lang.EN else cue.zh
            for line in text.split("\n"):
                line = " ".join(line.split())
                if line:
                    out.append((lang, line))
        return out

    def cues(self, cues: Sequence[Cue]) -> list[tuple[Cue, list[tuple[Lang, str]]]]:
        """Cues that have text in this layout, with their lines (empty ones dropped)."""
        return [(c, lines) for c in cues if (lines := self.lines(c))]


class SubtitleWriter(Protocol):
    """Turns cues into the text of one subtitle format."""

    name: str
    extension: str

    def dumps(self, cues: Sequence[Cue], layout: Layout) -> str:
        """The whole file as a string (UTF-8 is used when it is written)."""
        ...


WRITERS: dict[str, SubtitleWriter] = {}


def register(writer: SubtitleWriter) -> None:
    """Make ``writer`` available under its name."""
    WRITERS[writer.name] = writer


def get_writer(name: str) -> SubtitleWriter:
    """The writer registered as ``name``; :class:`KeyError` names the known ones."""
    try:
        return WRITERS[name]
    except KeyError:
        raise KeyError(f"unknown subtitle format {name!r}; known: {', '.join(sorted(WRITERS))}") from None
