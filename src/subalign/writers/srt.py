"""SubRip (.srt) through pysrt."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pysrt

from ..model import Cue
from .base import Layout


def _srt_time(seconds: float) -> pysrt.SubRipTime:
    return pysrt.SubRipTime(milliseconds=round(seconds * 1000))


def srt_safe(text: str) -> str:
    """SRT has no escaping: keep a payload from looking like a timing line."""
    return text.replace("-->", "→")


class SrtWriter:
    """Plain SubRip; one line per language, no markup (what YouTube accepts)."""

    name = "srt"
    extension = ".srt"

    def dumps(self, cues: Sequence[Cue], layout: Layout) -> str:
        subs = pysrt.SubRipFile()
        for cue, lines in layout.cues(cues):
            text = "\n".join(srt_safe(t) for _, t in lines)
            subs.append(pysrt.SubRipItem(len(subs) + 1, start=_srt_time(cue.start), end=_srt_time(cue.end), text=text))
        buf = io.StringIO()
        subs.write_into(buf, eol="\n")
        return buf.getvalue()
