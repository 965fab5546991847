"""Caption tracks behind a registry: one module per format.

Every reader turns a file into :class:`RawCue` objects (times, and the text
with any inline word times ``<00:00:01.234>`` kept); :func:`track_words`
then takes the words out once, whatever the format:

* cues whose last line carries word times (YouTube's auto-generated track)
  give each word its own time, from that line only, so rolling repeats and
  10 ms transition cues add nothing;
* other cues (manual captions, and yt-dlp's SRT conversion of an auto
  track, which loses the word times but keeps the rolling lines) drop a
  first line that repeats the previous cue's last line, skip cues of 20 ms
  or less, and spread their words over the cue by length.

Formats: ``srt`` (lenient: BOM, CRLF, ``.`` decimals, missing or
out-of-order indices, blank or whitespace-only lines inside cues, no final
newline), ``vtt`` (``Kind:``/``Language:`` headers, cue settings, word
times, NOTE/STYLE blocks), ``json3`` and ``srv3``/``srv1`` (YouTube's own
formats, ``yt-dlp --sub-format json3``), ``ass`` (ASS/SSA through pysubs2:
fansub groups' bilingual files).  What could not be read is counted
in :attr:`CaptionTrack.skipped`, never silently dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...textio import read_text
from .ass import read_ass
from .base import CaptionWord, RawCue, spread
from .json3 import read_json3
from .srt import read_srt
from .srv import read_srv
from .vtt import read_vtt

__all__ = [
    "CAPTION_READERS",
    "TRANSITION_CUE",
    "CaptionTrack",
    "CaptionWord",
    "RawCue",
    "caption_format",
    "cue_lines",
    "read_caption_track",
    "track_words",
]

#: format name -> reader of the file's text, returning its cues and what it skipped.
CAPTION_READERS: dict[str, Callable[[str, Path], tuple[list[RawCue], Counter[str]]]] = {
    "srt": read_srt,
    "vtt": read_vtt,
    "json3": read_json3,
    "srv": read_srv,
    "ass": read_ass,
}

_WORD_TAG = re.compile(r"<((?:\d{1,2}:)?\d{2}:\d{2}\.\d{3})>")
# Markup in cue text: HTML-like tags, and ASS override blocks that SRT files converted from ASS keep ({\an8}).
_ANY_TAG = re.compile(r"</?[^>\n]*>|\{\\[^}]*\}")
# Cues this short repeat text (YouTube's transition cues).
TRANSITION_CUE = 0.02


@dataclass
class CaptionTrack:
    """The words of a caption file with their times, and what reading it skipped."""

    path: Path
    format: str
    cues: int
    words: list[CaptionWord]
    line_starts: list[float]
    word_timed: bool
    skipped: Counter[str] = field(default_factory=Counter)

    def describe_skipped(self) -> str:
        return "skipped " + ", ".join(f"{n} {what}" for what, n in sorted(self.skipped.items()))

    def summary(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "cues": self.cues,
            "words": len(self.words),
            "word_times": self.word_timed,
            "skipped": dict(sorted(self.skipped.items())),
        }


def _seconds(ts: str) -> float:
    parts = ts.split(":")
    h = int(parts[0]) if len(parts) == 3 else 0
    return h * 3600 + int(parts[-2]) * 60 + float(parts[-1])


def _tagged_words(cue: RawCue) -> list[CaptionWord]:
    last = cue.text.rstrip("\n").split("\n")[-1]
    pieces = _WORD_TAG.split(last)
    times = [cue.start] + [_seconds(t) for t in pieces[1::2]]
    texts = pieces[0::2]
    words: list[CaptionWord] = []
    for n, (t, txt) in enumerate(zip(times, texts, strict=True)):
        w = _ANY_TAG.sub("", txt).strip()
        if w:
            nxt = times[n + 1] if n + 1 < len(times) else cue.end
            words.extend(spread(w, t, max(nxt, t + 0.01)))
    return words


def track_words(cues: list[RawCue]) -> tuple[list[CaptionWord], list[float], bool]:
    """Every spoken word once, with its time; the start of each new caption line; whether words had own times."""
    tagged = any(_WORD_TAG.search(c.text) for c in cues)
    words: list[CaptionWord] = []
    starts: list[float] = []
    if tagged:
        for cue in cues:
            if cue.word_times:
                words.extend(cue.word_times)
                starts.append(cue.start)
            elif _WORD_TAG.search(cue.text.rstrip("\n").split("\n")[-1]):
                words.extend(_tagged_words(cue))
                starts.append(cue.start)
            elif cue.end - cue.start > TRANSITION_CUE and cue.text.strip():
                # A new line of a single word carries no time tag: the cue's start is its time.
                last = " ".join(_ANY_TAG.sub("", cue.text.rstrip("\n").split("\n")[-1]).split())
                if last:
                    words.extend(spread(last, cue.start, cue.end))
                    starts.append(cue.start)
        return words, starts, True
    if any(c.word_times for c in cues):
        for cue in cues:
            if cue.word_times:
                words.extend(cue.word_times)
                starts.append(cue.start)
        return words, starts, True
    for cue, lines in cue_lines(cues):
        if lines and cue.end - cue.start > TRANSITION_CUE:
            words.extend(spread(" ".join(lines), cue.start, cue.end))
            starts.append(cue.start)
    return words, starts, False


def cue_lines(cues: list[RawCue]) -> Iterator[tuple[RawCue, list[str]]]:
    """Each cue with its new text lines: tags removed, a first line that repeats the previous cue's last dropped.

    Rolling captions (YouTube's, and yt-dlp's SRT of them) repeat the line
    before; what is left is each spoken line once.  Cues with no text are
    passed over; a cue whose only line was a repeat comes with no lines.
    """
    previous_last = ""
    for cue in cues:
        lines = [" ".join(_ANY_TAG.sub("", ln).split()) for ln in cue.text.split("\n")]
        lines = [ln for ln in lines if ln]
        if not lines:
            continue
        if previous_last and lines[0] == previous_last:
            lines = lines[1:]
        previous_last = lines[-1] if lines else previous_last
        yield cue, lines


def caption_format(text: str, path: Path) -> str:
    """The caption format of a file's text: its content first, then its suffix."""
    head = text.lstrip("\ufeff \n\t")[:200]
    suffix = path.suffix.lower().lstrip(".")
    if head.startswith("{"):
        return "json3"
    if head.startswith("[Script Info]") or suffix in ("ass", "ssa"):
        return "ass"
    if head.startswith("<"):
        return "srv"
    if head.startswith("WEBVTT") or suffix == "vtt":
        return "vtt"
    if suffix in ("json3", "json"):
        return "json3"
    if suffix in ("srv3", "srv2", "srv1", "xml", "ttml"):
        return "srv"
    return "srt"


def read_caption_track(path: Path) -> CaptionTrack:
    """Read a caption file of any supported format; :class:`InputError` when it holds no timed words."""
    text = read_text(path).text
    fmt = caption_format(text, path)
    cues, skipped = CAPTION_READERS[fmt](text, path)
    if not cues:
        raise InputError(f"holds no captions this {fmt} reader can use", path)
    words, starts, timed = track_words(cues)
    if not words:
        raise InputError("holds no caption words", path)
    return CaptionTrack(path, fmt, len(cues), words, starts, timed, skipped)
