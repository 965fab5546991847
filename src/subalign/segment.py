"""Sentence segmentation for English and Chinese, keeping character offsets.

Both splitters are rule-based and deterministic: they return ``(start, end)``
spans into the paragraph text, so every sentence can be traced back to the
transcript.  English: a sentence ends at ``. ! ? …`` (plus closing quotes or
brackets) followed by space and a plausible sentence start, except after a
known abbreviation or an initial.  Chinese: a sentence ends at ``。！？…``
(and ASCII ``!?``) plus closing quotes/brackets, wherever it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Lang, Paragraph, Section, Sentence

# Words after which "." does not end an English sentence.  Lower-case, no dot.
ENGLISH_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "fig",
        "figs",
        "no",
        "nos",
        "vol",
        "approx",
        "dept",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "ph.d",
        "gen",
        "gov",
        "lt",
        "col",
        "capt",
        "sgt",
        "rev",
        "hon",
    ]
)
# Abbreviations that are also common sentence-final words ("... and so on, etc.")
# end a sentence when the next word starts with a capital.
_FINAL_ABBREVIATIONS = frozenset({"etc", "inc", "ltd", "co", "corp", "al", "a.m", "p.m", "u.s"})

_CLOSERS = "\"'”’)]}»」』）》】〉"
_EN_END = re.compile(r"(?:\.{3}|…|[.!?])+[" + re.escape(_CLOSERS) + r"]*(?=\s+|$)")
_EN_NEXT_START = re.compile(r"\s+(?=[\"'“‘(\[]?[A-Z0-9¿¡])")
_ZH_END = re.compile(r"(?:[。！？!?]+|…+|⋯+|\.{3,})[" + re.escape(_CLOSERS) + r"]*")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, dot_end: int, next_text: str) -> bool:
    """True when the "." ending at ``dot_end`` belongs to an abbreviation."""
    m = _WORD_BEFORE.search(text[:dot_end])
    if not m:
        return False
    word = m.group(1).lower()
    if len(word) == 1 and word.isalpha():
        # An initial ("J. R. R. Tolkien"); "I." is too rare to matter.
        return word != "i"
    if word in ENGLISH_ABBREVIATIONS:
        return not (word in _FINAL_ABBREVIATIONS and next_text[:1].isupper())
    # Dotted acronyms such as "U.S.A." keep going.
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_english(text: str) -> list[tuple[int, int]]:
    """Split English ``text`` into sentence spans ``(start, end)``.

    Spans exclude surrounding whitespace; concatenating the spans' text with
    single spaces gives back the paragraph's words in order.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _EN_END.finditer(text):
        end = m.end()
        after = text[end:]
        if after.strip() and not _EN_NEXT_START.match(after):
            continue  # "...and then... we went" / "e.g. this": no capital follows
        ends_with_dot = m.group(0).rstrip(_CLOSERS).endswith(".")
        plain_dot = ends_with_dot and not m.group(0).rstrip(_CLOSERS).endswith("..")
        dot_end = m.start() + len(m.group(0).rstrip(_CLOSERS))
        if plain_dot and _is_abbreviation(text, dot_end, after.lstrip()):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [s for s in (_strip_span(text, a, b) for a, b in spans) if s]


def split_chinese(text: str) -> list[tuple[int, int]]:
    """Split Chinese ``text`` into sentence spans ``(start, end)``.

    Latin words, numbers (``3.5``) and English abbreviations inside Chinese do
    not end a sentence; only Chinese sentence punctuation (and ``!?``) does.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _ZH_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in (_strip_span(text, a, b) for a, b in spans) if s]


def _strip_span(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a == b:
        return None
    # A span of only punctuation (e.g. a stray "…") is kept: nothing is lost.
    return (a, b)


def split(text: str, lang: Lang) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` in ``lang``."""
    return split_english(text) if lang is Lang.EN else split_chinese(text)


def segment_paragraphs(paragraphs: Iterable[Paragraph], section: str, first_index: int = 0) -> list[Sentence]:
    """Sentences of ``paragraphs`` (one language), numbered from ``first_index``."""
    out: list[Sentence] = []
    for para in paragraphs:
        for a, b in split(para.text, para.lang):
            out.append(
                Sentence(
                    lang=para.lang,
                    index=first_index + len(out),
                    text=para.text[a:b],
                    section=section,
                    paragraph=para.index,
                    start=para.start + a,
                    end=para.start + b,
                    speaker=para.speaker,
                )
            )
    return out


def segment_sections(
    sections: Iterable[Section],
) -> list[tuple[Section, list[Sentence], list[Sentence]]]:
    """Segment every section; sentence indices run over the whole transcript."""
    result = []
    n_en = n_zh = 0
    for sec in sections:
        en = segment_paragraphs(sec.en, sec.label, n_en)
        zh = segment_paragraphs(sec.zh, sec.label, n_zh)
        n_en += len(en)
        n_zh += len(zh)
        result.append((sec, en, zh))
    return result
