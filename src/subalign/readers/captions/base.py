"""What every caption reader produces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaptionWord:
    """One word of the caption track with its time span (seconds)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class RawCue:
    """A cue as the file has it: times and text (``\\n`` between lines, word-time tags kept).

    ``word_times`` holds words with their own times where the format gives
    them as data (json3, srv3), not as tags in the text.
    """

    start: float
    end: float
    text: str
    word_times: tuple[CaptionWord, ...] = ()


def spread(text: str, start: float, end: float) -> list[CaptionWord]:
    """Words of a text without own times, spread over ``start..end`` by length."""
    words = text.split()
    total = sum(len(w) + 1 for w in words) or 1
    out, pos = [], 0
    for w in words:
        a = start + (end - start) * pos / total
        pos += len(w) + 1
        out.append(CaptionWord(w, a, start + (end - start) * pos / total))
    return out
