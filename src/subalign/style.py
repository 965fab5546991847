"""Subtitle style profiles and line breaking.

A :class:`StyleProfile` names every number a subtitler works to: characters
per line per language, lines per cue, minimum and maximum duration, reading
speed, frame rate and gaps.  ``netflix`` follows Netflix's English and
Simplified Chinese timed-text guides, ``bbc`` the BBC guidelines,
``youtube`` is lenient; a TOML file can override any number
(:func:`load_profile`).

Chinese width counts CJK characters as 1 and half-width characters (Latin,
digits, ASCII punctuation, spaces) as 0.5, as Netflix does.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import rjieba

from .errors import InputError
from .model import Lang


@dataclass(frozen=True)
class StyleProfile:
    """The limits cues are built to and linted against.

    Hard limits (a cue that breaks them is unusable): ``en_chars_per_line``,
    ``zh_width_per_line``, ``max_lines`` (per language), ``min_duration``,
    ``max_duration``, no overlaps.  Soft limits (reported, counted):
    ``en_cps``/``zh_cps`` reading speed, ``min_gap_frames``.
    ``chain_gap_frames``: gaps up to this many frames are closed to
    ``min_gap_frames``.  ``merge_below``: adjacent cues merge when one is
    shorter than this (seconds) and the merged cue fits.  ``max_linger``:
    chaining keeps a cue on screen at most this long after its speech ends.  ``zh_punctuation``:
    ``keep``, or ``spaces`` (，。 dropped at line ends and replaced by a space
    inside a line, Chinese subtitling practice).  ``dialogue``: how a change
    of speaker is shown: ``split`` (a new cue for each speaker) or ``dash``
    (two short turns may share a cue, one line each, each line opened by a
    hyphen, as Netflix writes dual-speaker subtitles).
    """

    name: str = "netflix"
    en_chars_per_line: int = 42
    zh_width_per_line: float = 16.0
    max_lines: int = 2
    min_duration: float = 5 / 6
    max_duration: float = 7.0
    en_cps: float = 20.0
    zh_cps: float = 9.0
    fps: float = 24.0
    min_gap_frames: int = 2
    chain_gap_frames: int = 12
    merge_below: float = 1.5
    max_linger: float = 0.5
    zh_punctuation: str = "keep"
    dialogue: str = "split"

    @property
    def min_gap(self) -> float:
        return self.min_gap_frames / self.fps

    @property
    def chain_gap(self) -> float:
        return self.chain_gap_frames / self.fps


PROFILES: dict[str, StyleProfile] = {
    "netflix": StyleProfile(),
    "bbc": StyleProfile(
        name="bbc",
        en_chars_per_line=37,
        zh_width_per_line=16.0,
        min_duration=1.0,
        max_duration=7.0,
        en_cps=15.0,
        zh_cps=9.0,
        fps=25.0,
        min_gap_frames=1,
        chain_gap_frames=12,
    ),
    "youtube": StyleProfile(
        name="youtube",
        en_chars_per_line=60,
        zh_width_per_line=24.0,
        min_duration=0.5,
        max_duration=10.0,
        en_cps=25.0,
        zh_cps=12.0,
        fps=30.0,
        min_gap_frames=0,
        chain_gap_frames=0,
        merge_below=1.0,
    ),
}


def load_profile(name_or_path: str) -> StyleProfile:
    """A named profile, or a TOML file: ``base = "netflix"`` plus any field to override."""
    if name_or_path in PROFILES:
        return PROFILES[name_or_path]
    path = Path(name_or_path)
    if not path.exists():
        raise InputError(f"is neither a style profile ({', '.join(PROFILES)}) nor a TOML file", path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"is not valid TOML ({exc})", path) from exc
    base_name = data.pop("base", "netflix")
    if base_name not in PROFILES:
        raise InputError(f"base profile {base_name!r} is unknown; use one of {', '.join(PROFILES)}", path)
    fields = {f.name: f.type for f in dataclasses.fields(StyleProfile)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise InputError(f"unknown style setting(s): {', '.join(unknown)}", path)
    if data.get("zh_punctuation", "keep") not in ("keep", "spaces"):
        raise InputError("zh_punctuation must be 'keep' or 'spaces'", path)
    if data.get("dialogue", "split") not in ("split", "dash"):
        raise InputError("dialogue must be 'split' or 'dash'", path)
    try:
        return dataclasses.replace(PROFILES[base_name], name=data.pop("name", path.stem), **data)
    except TypeError as exc:
        raise InputError(f"bad style setting ({exc})", path) from exc


# -- measuring -----------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5


def zh_width(text: str) -> float:
    """Display width: full-width (CJK, full-width punctuation) 1, half-width 0.5."""
    return sum(map(_char_width, text))


def line_length(text: str, lang: Lang) -> float:
    """The measure a line limit applies to: characters (EN) or width (ZH)."""
    return float(len(text)) if lang is Lang.EN else zh_width(text)


def line_limit(profile: StyleProfile, lang: Lang) -> float:
    return float(profile.en_chars_per_line) if lang is Lang.EN else profile.zh_width_per_line


def reading_chars(text: str, lang: Lang) -> float:
    """Characters counted for reading speed (spaces and punctuation count, as Netflix does)."""
    return float(len(text.replace("\n", " "))) if lang is Lang.EN else zh_width(text.replace("\n", ""))


# -- line breaking -------------------------------------------------------------

_ARTICLES = {"a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our", "their"}
_PRONOUNS = {"i", "you", "he", "she", "we", "they", "it"}
_AUX_NEG = {
    "not",
    "n't",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "am",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
}
_BREAK_BEFORE = {
    "and",
    "but",
    "or",
    "so",
    "because",
    "which",
    "that",
    "who",
    "when",
    "where",
    "while",
    "if",
    "although",
    "though",
    "since",
    "unless",
    "until",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "about",
    "into",
    "like",
}


def _word(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", token).lower()


def en_break_penalty(left: str, right: str) -> float | None:
    """Cost of a line break between two words; ``None`` when it must not happen."""
    lw, rw = _word(left), _word(right)
    if left[-1:] in ",.;:!?—–" or left.endswith("--"):
        return 0.0
    if lw in _ARTICLES and left[-1:].isalpha():
        return None  # article or possessive | noun
    if lw in _PRONOUNS and rw in _AUX_NEG | {"'m", "'re", "'s"}:
        return None  # pronoun | verb
    if rw in {"not", "n't"} or (lw in _AUX_NEG and rw in {"not", "been", "be"}):
        return None  # verb | auxiliary or negation
    if left[:1].isupper() and right[:1].isupper() and lw not in _PRONOUNS and lw.isalpha() and rw.isalpha():
        return None  # first | last name (two capitalised words)
    if rw in _BREAK_BEFORE:
        return 1.0
    return 3.0


def break_english(text: str, limit: int, max_lines: int = 2) -> list[str] | None:
    """Lines of at most ``limit`` characters, broken by the English rules, or ``None``.

    One line when it fits; otherwise two lines, at the allowed break with the
    lowest penalty (after punctuation, before a conjunction or preposition),
    preferring balanced lines.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text]
    if max_lines < 2:
        return None
    words = text.split(" ")
    best: tuple[float, int] | None = None
    for k in range(1, len(words)):
        top = " ".join(words[:k])
        bottom = " ".join(words[k:])
        if len(top) > limit or len(bottom) > limit:
            continue
        penalty = en_break_penalty(words[k - 1], words[k])
        if penalty is None:
            continue
        balance = abs(len(top) - len(bottom)) / limit
        cost = penalty + 2.0 * balance
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return None
    k = best[1]
    return [" ".join(words[:k]), " ".join(words[k:])]


ZH_BREAK_AFTER = "，、；：。！？…）」』”》】,;:!?"


@functools.lru_cache(maxsize=8192)
def zh_word_starts(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a word starts (jieba's segmentation, via rjieba).

    Offset 0 and ``len(text)`` are included.  Should the segmenter ever not
    give the text back, every offset counts as a word start.
    """
    starts, pos = {0}, 0
    for token in rjieba.cut(text):
        pos += len(token)
        starts.add(pos)
    if pos != len(text):
        return frozenset(range(len(text) + 1))
    return frozenset(starts)


def zh_break_forbidden(text: str, pos: int) -> bool:
    """True when breaking at ``pos`` would cut a word (Chinese or Latin) or a number, or orphan punctuation."""
    if pos <= 0 or pos >= len(text):
        return True
    a, b = text[pos - 1], text[pos]
    if a.isascii() and b.isascii() and not a.isspace() and not b.isspace():
        return True  # inside a Latin word, number or term such as "End-to-End"
    if b in ZH_BREAK_AFTER:
        return True  # never start a line with closing punctuation
    # A line or cue never splits a Chinese word: 技|术 reads as two words.
    return pos not in zh_word_starts(text)


@functools.lru_cache(maxsize=16384)
def zh_allowed_breaks(text: str) -> tuple[int, ...]:
    """Every position of ``text`` where `zh_break_forbidden` allows a break, in order."""
    return tuple(pos for pos in range(1, len(text)) if not zh_break_forbidden(text, pos))


def _bracket_depths(text: str) -> list[int]:
    """How many （…） or (…) pairs are open before each position of ``text``."""
    depths, depth = [0], 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        depths.append(depth)
    return depths


def break_chinese(text: str, limit: float, max_lines: int = 2) -> list[str] | None:
    """Lines of at most ``limit`` width, broken at punctuation when possible, or ``None``."""
    text = text.strip()
    widths = list(itertools.accumulate(map(_char_width, text), initial=0.0))
    total = widths[-1]
    if total <= limit:
        return [text]
    if max_lines < 2:
        return None
    best: tuple[float, int] | None = None
    depths = _bracket_depths(text)
    for pos in zh_allowed_breaks(text):
        # The two lines lose the whitespace at the break.
        top_end, bottom_start = pos, pos
        while top_end > 0 and text[top_end - 1].isspace():
            top_end -= 1
        while bottom_start < len(text) and text[bottom_start].isspace():
            bottom_start += 1
        wt, wb = widths[top_end], total - widths[bottom_start]
        if wt > limit or wb > limit or not top_end or bottom_start == len(text):
            continue
        if text[pos - 1] in ZH_BREAK_AFTER:
            penalty = 0.0
        elif text[pos - 1].isspace() or text[pos].isspace():
            penalty = 1.0  # between Chinese and a Latin word
        else:
            penalty = 2.0
        if depths[pos] > 0:
            penalty += 3.0
        cost = penalty + 2.0 * abs(wt - wb) / total
        if best is None or cost < best[0]:
            best = (cost, pos)
    if best is None:
        return None
    return [text[: best[1]].rstrip(), text[best[1] :].lstrip()]


def break_lines(text: str, lang: Lang, profile: StyleProfile) -> list[str] | None:
    """Lines for one language of a cue under ``profile``, or ``None`` if it cannot fit."""
    lines = _break_lines(text, lang, profile)
    return None if lines is None else list(lines)


# The cue builder asks for the same texts' lines many times while it tries cuts.
@functools.lru_cache(maxsize=65536)
def _break_lines(text: str, lang: Lang, profile: StyleProfile) -> tuple[str, ...] | None:
    if not text.strip():
        return ()
    if lang is Lang.EN:
        lines = break_english(text, profile.en_chars_per_line, profile.max_lines)
    else:
        lines = break_chinese(text, profile.zh_width_per_line, profile.max_lines)
        if lines is not None and profile.zh_punctuation != "keep":
            lines = [zh_spaces(line) for line in lines]
    return None if lines is None else tuple(lines)


def zh_spaces(line: str) -> str:
    """Chinese subtitle punctuation: no ，。 at the end of a line, a space for them inside."""
    line = line.rstrip("，。")
    return re.sub(r"[，。]+", " ", line).strip()
