"""Advanced SubStation Alpha (.ass) through pysubs2, one style per language.

Each cue is one event holding both languages; ``{\\rZH}``/``{\\rEN}`` switch
to the language's style inside the event, so font, size and colour are set
per language while times stay identical.  Text is made inert: ASS has no
escape for ``{`` ``}`` or ``\\``, so they become their full-width forms.
"""

from __future__ import annotations

from collections.abc import Sequence

import pysubs2

from ..model import Cue, Lang
from .base import Layout, Look


def ass_safe(text: str) -> str:
    """Keep transcript text from being read as override tags or ``\\N``."""
    return text.replace("\\", "＼").replace("{", "｛").replace("}", "｝")


def _colour(hex_rgb: str) -> pysubs2.Color:
    h = hex_rgb.lstrip("#")
    return pysubs2.Color(int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def _style(font: str, size: int, colour: str) -> pysubs2.SSAStyle:
    return pysubs2.SSAStyle(
        fontname=font,
        fontsize=size,
        primarycolor=_colour(colour),
        outlinecolor=pysubs2.Color(0, 0, 0),
        backcolor=pysubs2.Color(0, 0, 0, 128),
        outline=2.0,
        shadow=0.0,
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginv=40,
    )


def _styles(look: Look) -> dict[str, pysubs2.SSAStyle]:
    return {
        "ZH": _style(look.zh_font, look.zh_size, look.zh_colour),
        "EN": _style(look.en_font, look.en_size, look.en_colour),
    }


class AssWriter:
    """ASS with styles ``ZH`` and ``EN``; the layout's first language is on top."""

    name = "ass"
    extension = ".ass"

    def dumps(self, cues: Sequence[Cue], layout: Layout) -> str:
        subs = pysubs2.SSAFile()
        subs.info["Title"] = "subalign"
        subs.info["PlayResX"] = "1920"
        subs.info["PlayResY"] = "1080"
        subs.info["WrapStyle"] = "2"  # lines are broken by subalign; never re-wrap
        subs.styles.clear()
        for name, style in _styles(layout.look).items():
            subs.styles[name] = style
        for cue, lines in layout.cues(cues):
            parts = []
            current: Lang | None = None
            for lang, text in lines:
                name = "ZH" if lang is Lang.ZH else "EN"
                tag = f"{{\\r{name}}}" if lang is not current else ""
                parts.append(tag + ass_safe(text))
                current = lang
            first_style = "ZH" if lines[0][0] is Lang.ZH else "EN"
            subs.events.append(
                pysubs2.SSAEvent(
                    start=round(cue.start * 1000), end=round(cue.end * 1000), text="\\N".join(parts), style=first_style
                )
            )
        return str(subs.to_string("ass"))
