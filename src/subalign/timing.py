"""Timing of aligned pairs without speech or captions.

With nothing to listen to, the duration is spread over the English text in
proportion to its length, since speech time grows with the number of
characters spoken.  The result is off by seconds within minutes, so every
pair it times is marked ``estimated`` and the report says so.

Where the input carries timestamps (``[00:01:23]`` prefixes, ``Name
(00:01:02):`` labels, a YouTube transcript copy's ``0:38`` lines, a chapter
list matched to the headings), they are anchors: the spread runs between
them, so the error is bounded by the gap between two anchors.  Those times
are labelled ``transcript timestamps``.  Chinese takes the times of the
English it renders; Chinese additions (no English) take no speech time of
their own.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence

from .model import AlignedPair, Lang, Section, Sentence, TimedPair, Transcript

# Speaking rate assumed past the last anchor when no duration is known (characters a second).
_FALLBACK_CPS = 15.0


def estimate_from_duration(pairs: Sequence[AlignedPair], duration: float) -> list[TimedPair]:
    """Spread ``duration`` seconds over ``pairs`` by English character count."""
    return estimate_between_anchors(pairs, {}, duration)


def _norm(title: str) -> str:
    return re.sub(r"[\W\d_]+", "", title.lower())


def _paragraph_anchors(
    segmented: Sequence[tuple[Section, list[Sentence], list[Sentence]]], lang: Lang
) -> dict[int, float]:
    """Sentence index (of ``lang``) -> start time, from the anchors of its paragraph."""
    out: dict[int, float] = {}
    for section, en, zh in segmented:
        paragraphs = section.paragraphs(lang)
        for s in en if lang is Lang.EN else zh:
            para = paragraphs[s.paragraph]
            local_start = s.start - para.start
            local_end = local_start + len(s.text)
            for off, t in para.anchors:
                if local_start - 1 <= off < local_end:
                    # An anchor inside the sentence: its start is a little earlier.
                    out.setdefault(s.index, max(0.0, t - (off - local_start) / _FALLBACK_CPS))
    return out


def sentence_anchors(
    transcript: Transcript,
    segmented: Sequence[tuple[Section, list[Sentence], list[Sentence]]],
    pairs: Sequence[AlignedPair],
) -> dict[int, float]:
    """English sentence index -> the time its speech starts at, from timestamps the input carries.

    A paragraph's anchor at a character offset times the sentence holding
    that offset; an anchor on the Chinese side times the first English
    sentence of the pair that renders it.  Chapters time the first sentence
    under the heading whose text matches their title.
    """
    out = _paragraph_anchors(segmented, Lang.EN)
    zh = _paragraph_anchors(segmented, Lang.ZH)
    if zh:
        for p in pairs:
            times = [zh[s.index] for s in p.zh if s.index in zh]
            if times and p.en:
                out.setdefault(p.en[0].index, min(times))
    if transcript.chapters:
        groups: dict[int, int] = {}
        for section, en, _ in segmented:
            for s in en:
                groups.setdefault(section.en[s.paragraph].group, s.index)
        headings = [(g, t) for lang in (Lang.EN, Lang.ZH) for g, t in transcript.headings.get(lang, ())]
        for chapter in transcript.chapters:
            best, best_ratio = None, 0.6
            for g, text in headings:
                ratio = difflib.SequenceMatcher(None, _norm(chapter.title), _norm(text)).ratio()
                if ratio > best_ratio and g in groups:
                    best, best_ratio = g, ratio
            if best is not None:
                out.setdefault(groups[best], chapter.start)
    return out


def estimate_between_anchors(
    pairs: Sequence[AlignedPair], anchors: dict[int, float], duration: float | None
) -> list[TimedPair]:
    """Times spread by English length between anchored sentence starts (and 0 and ``duration``).

    Anchors that would make time run backwards are dropped.  Pairs between
    two anchors are labelled ``transcript timestamps``, the others
    ``estimate``; all are ``estimated``.
    """
    weights = [sum(len(s.text) for s in p.en) for p in pairs]
    starts_at: list[int] = []  # character position where each pair starts
    pos = 0
    for w in weights:
        starts_at.append(pos)
        pos += w
    total = pos
    # Anchor points (character position, seconds), monotone in both.
    points: list[tuple[int, float]] = [(0, 0.0)]
    for k, p in enumerate(pairs):
        for s in p.en:
            if s.index in anchors:
                t = anchors[s.index]
                offset = starts_at[k] + sum(len(x.text) for x in p.en[: p.en.index(s)])
                if t > points[-1][1] and offset > points[-1][0]:
                    points.append((offset, t))
                break
    anchored = len(points) > 1
    if duration is not None and (duration > points[-1][1] or not anchored):
        points.append((max(total, points[-1][0] + 1), max(duration, points[-1][1])))
    else:
        rate = (points[-1][1] / points[-1][0]) if points[-1][0] else 1 / _FALLBACK_CPS
        points.append((max(total, points[-1][0] + 1), points[-1][1] + (total - points[-1][0]) * rate))
    xs = [x for x, _ in points]

    def at(position: float) -> float:
        k = min(max(bisect.bisect_right(xs, position) - 1, 0), len(points) - 2)
        (x0, t0), (x1, t1) = points[k], points[k + 1]
        return t0 + (t1 - t0) * (position - x0) / (x1 - x0) if x1 > x0 else t0

    last_anchor = points[-2][0] if anchored else -1
    out: list[TimedPair] = []
    for p, w, a in zip(pairs, weights, starts_at, strict=True):
        source = "transcript timestamps" if anchored and a <= last_anchor else "estimate"
        out.append(TimedPair(p, round(at(a), 3), round(at(a + w), 3), estimated=True, source=source))
    return out
