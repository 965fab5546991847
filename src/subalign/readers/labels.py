"""Speaker labels and timestamps at the start of blocks and lines.

Forms read, in both languages:

* ``**Name:**`` / ``**Name：**`` / ``**Name**:`` (bold, always a label);
* ``Name (00:12:03):`` (Rev) and ``[00:01:02] Name: text`` (Descript);
* ``Name  0:00`` alone on a line (Otter);
* ``[Name]`` (sound tags such as ``[Music]`` are not names);
* ``Name:`` / ``名字：`` at the start of a block (plain form).

A plain-form label is easy to confuse with prose ("Here's the thing: ..."),
so plain labels count only in a file where some name opens at least
``PLAIN_MIN_REPEATS`` blocks of that language and labelled blocks are at
least ``PLAIN_MIN_SHARE`` of them: that is what a transcript with speakers
looks like.  Timestamps (``0:38``, ``12:05``, ``1:02:03``, ``[00:01:23]``) become
anchors; a block whose lines are all ``time title`` with minutes between
them is a chapter list.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Chapter

TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_BARE_TIME_LINE = re.compile(rf"^\s*[\[(]?({TIME})[\])]?\s*$")
_LEAD_TIME = re.compile(rf"^\s*(?:[\[(]({TIME})[\])]|({TIME})(?=\s))\s*")
_REV = re.compile(rf"^(?P<name>[^\n:：()\[\]]{{1,40}}?)[ \t]*[(\[](?P<ts>{TIME})[)\]][ \t]*(?:[:：]|$)\s*", re.M)
_OTTER = re.compile(rf"^(?P<name>[^\n:：\d][^\n:：]{{0,39}}?)[ \t]{{2,}}(?P<ts>{TIME})\s*$")
_BRACKET = re.compile(r"^\[(?P<name>[^\]\n\d:][^\]\n]{0,39})\]\s*")
_PLAIN_EN = re.compile(r"^(?P<name>(?:[A-Z][\w.'’-]*)(?: [A-Z0-9][\w.'’-]*){0,3})[ \t]*[:：][ \t]*")
_PLAIN_ZH = re.compile(r"^(?P<name>[\u4e00-\u9fff·•A-Za-z]{1,10})[ \t]*[:：][ \t]*")
# Bracketed words that describe sound, not who speaks (captioning convention).
_SOUND_TAGS = frozenset(
    {
        "music", "applause", "laughter", "laughs", "laughing", "inaudible", "crosstalk",
        "silence", "noise", "sighs", "cheering", "音乐", "掌声", "笑声", "笑", "听不清",
    }
)
PLAIN_MIN_REPEATS = 2
PLAIN_MIN_SHARE = 0.2
# A chapter list: lines of "time title" whose times lie this far apart (median).
CHAPTER_MIN_GAP = 45.0
CHAPTER_MAX_TITLE = 80


def parse_time(text: str) -> float | None:
    """Seconds of ``0:38``, ``12:05``, ``1:02:03`` or ``00:01:23.450``; ``None`` if it is not a time."""
    m = re.fullmatch(TIME, text.strip())
    if not m:
        return None
    parts = text.strip().replace(",", ".").split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    if any(n >= 60 for n in nums[1:]):
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return seconds


@dataclass(frozen=True)
class Label:
    """A label found at a block's start: who speaks, from when, and how sure the form is."""

    name: str | None
    time: float | None
    end: int  # characters of the block's text the label takes
    strong: bool


def find_label(text: str, lead_label: str | None, chinese: bool) -> Label | None:
    """The speaker label and/or timestamp a block opens with, if any."""
    pos = 0
    time: float | None = None
    m = _LEAD_TIME.match(text)
    if m:
        time = parse_time(m.group(1) or m.group(2))
        pos = m.end()
    rest = text[pos:]
    if lead_label and rest.startswith(lead_label):
        after = rest[len(lead_label) :]
        colon = re.match(r"\s*[:：]?\s*", after)
        end = pos + len(lead_label) + (colon.end() if colon else 0)
        return Label(_tidy(lead_label), time, end, True)
    for rx in (_REV, _OTTER):
        m = rx.match(rest)
        if m and _name_like(m.group("name")):
            return Label(_tidy(m.group("name")), parse_time(m.group("ts")), pos + m.end(), True)
    m = _BRACKET.match(rest)
    if m and m.group("name").strip().lower() not in _SOUND_TAGS and _name_like(m.group("name")):
        return Label(_tidy(m.group("name")), time, pos + m.end(), True)
    m = (_PLAIN_ZH if chinese else _PLAIN_EN).match(rest)
    if m and _name_like(m.group("name")) and not re.match(r"\d", rest[m.end() - 1 : m.end()] or ""):
        return Label(_tidy(m.group("name")), time, pos + m.end(), False)
    if time is not None:
        return Label(None, time, pos, True)
    return None


def _tidy(name: str) -> str:
    return " ".join(name.replace("*", "").replace("_", " ").split()).strip(" :：")


def _name_like(name: str) -> bool:
    name = name.strip()
    return (
        0 < len(name) <= 40
        and not re.search(r"[。！？!?，,；;\n]", name)
        and not name.endswith(".")
        and len(name.split()) <= 4
    )


def accepted_plain_names(labels: Sequence[Label | None]) -> set[str]:
    """The plain-form names that are speaker labels (see the module docstring).

    Once a file shows it labels speakers (a plain name recurs, and labelled
    blocks are a fair share of all), every plain-form label in it counts,
    also a speaker's only turn ("Speaker B:" once).
    """
    plain = Counter(lb.name for lb in labels if lb is not None and not lb.strong and lb.name)
    recurring = {n for n, c in plain.items() if c >= PLAIN_MIN_REPEATS}
    if not recurring:
        return set()
    labelled = sum(plain.values()) + sum(1 for lb in labels if lb is not None and lb.strong and lb.name)
    if labelled / len(labels) < PLAIN_MIN_SHARE:
        return set()
    return set(plain)


def timed_lines(text: str) -> tuple[list[str], list[float | None]] | None:
    """Lines of a block that carries timestamps line by line, each with its time.

    A line that is a bare timestamp times the line after it (YouTube's
    "Show transcript" copy); a line opening with one is timed by it.  ``None``
    when no line of the block carries a time.
    """
    lines = text.split("\n")
    out: list[str] = []
    times: list[float | None] = []
    pending: float | None = None
    found = False
    for line in lines:
        m = _BARE_TIME_LINE.match(line)
        if m:
            pending = parse_time(m.group(1))
            found = found or pending is not None
            continue
        lead = _LEAD_TIME.match(line)
        t = pending
        if lead:
            t = parse_time(lead.group(1) or lead.group(2))
            line = line[lead.end() :]
            found = True
        if line.strip():
            out.append(line.strip())
            times.append(t)
            pending = None
    return (out, times) if found else None


def only_times(text: str) -> float | None:
    """The last time of a block made only of bare timestamp lines ("0:38"), else ``None``."""
    found: float | None = None
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = _BARE_TIME_LINE.match(line)
        t = parse_time(m.group(1)) if m else None
        if t is None:
            return None
        found = t
    return found


def chapter_list(text: str) -> list[Chapter] | None:
    """The chapters of a block whose every line is ``time title`` (minutes apart); else ``None``."""
    chapters: list[Chapter] = []
    for line in text.split("\n"):
        line = line.strip().lstrip("-*•·+ ").strip()
        if not line:
            continue
        m = _LEAD_TIME.match(line)
        t = parse_time(m.group(1) or m.group(2)) if m else None
        if m is None or t is None:
            m2 = re.search(rf"[\[(]?({TIME})[\])]?\s*$", line)  # "Title 0:33" / "Title (0:33)"
            t = parse_time(m2.group(1)) if m2 else None
            if m2 is None or t is None:
                return None
            title = line[: m2.start()].strip(" -–—:：|")
        else:
            title = line[m.end() :].strip(" -–—:：|")
        if not title or len(title) > CHAPTER_MAX_TITLE:
            return None
        chapters.append(Chapter(t, title))
    if len(chapters) < 2:
        return None
    gaps = [b.start - a.start for a, b in itertools.pairwise(chapters)]
    if min(gaps) <= 0 or statistics.median(gaps) < CHAPTER_MIN_GAP:
        return None
    return chapters
