"""WebVTT through webvtt-py, with a STYLE block and per-language class spans."""

from __future__ import annotations

import html
from collections.abc import Sequence

import webvtt
from webvtt.models import Style

from ..model import Cue, Lang
from .base import Layout

_STYLE = """::cue(.zh) { font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; }
::cue(.en) { font-size: 90%; }"""


def _timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def vtt_escape(text: str) -> str:
    """Escape ``& < >`` so text from the transcript cannot become markup or ``-->``."""
    return html.escape(text, quote=False)


class VttWriter:
    """WebVTT; bilingual cues carry ``<c.zh>``/``<c.en>`` spans styled by the STYLE block."""

    name = "vtt"
    extension = ".vtt"

    def dumps(self, cues: Sequence[Cue], layout: Layout) -> str:
        doc = webvtt.WebVTT(styles=[Style(_STYLE)] if layout.bilingual else [])
        for cue, lines in layout.cues(cues):
            if layout.bilingual:
                text = "\n".join(f"<c.{'zh' if lang is Lang.ZH else 'en'}>{vtt_escape(t)}</c>" for lang, t in lines)
            else:
                text = "\n".join(vtt_escape(t) for _, t in lines)
            doc.captions.append(webvtt.Caption(_timestamp(cue.start), _timestamp(cue.end), text))
        return str(doc.content)
