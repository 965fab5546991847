"""From a file's blocks to speech paragraphs, headings and set-aside material.

`scan` reads one decoded file and sorts its blocks into:

* speech: paragraphs with their language, speaker label, timestamps and
  heading group (labels and timestamps are taken off the text);
* headings (section boundaries; listed in the report, never aligned);
* set-aside material decided by structure and content alone: code, HTML,
  images, tables, front matter, callouts, link-only lines, tags
  (``#人工智能 #AI``), chapter lists (``0:33 标题`` lines, kept as
  chapters) and bold topic headings on their own line.

What can only be told by alignment (a summary, an outline, a translator's
preamble: blocks with no counterpart) is decided later, by
:mod:`subalign.readers.counterpart`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Chapter, Lang, Paragraph, SetAside
from ..textio import DecodedText
from .blocks import MARKUP_KINDS, Block, classify, han_count, latin_count, read_blocks
from .labels import Label, accepted_plain_names, chapter_list, find_label, only_times, timed_lines

_URL = re.compile(r"https?://\S+|www\.\S+")
_TAG = re.compile(r"^#[^\s#]+$")
_YOUTUBE_ID = re.compile(
    r"(?:youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|embed/|shorts/|live/)|youtu\.be/)([A-Za-z0-9_-]{11})"
)
_MD_LINK_URL = re.compile(r"\]\((https?://[^)\s]+)\)|(https?://[^\s)>\]]+)")
# An unpunctuated run (an auto-caption transcript copy) longer than this many
# words is cut at its timestamps into paragraphs of about `_SNIPPET_WORDS`.
_LONG_RUN_WORDS = 60
_SNIPPET_WORDS = 25


@dataclass(frozen=True)
class Speech:
    """One speech paragraph of a file, before it is numbered into a section."""

    lang: Lang
    text: str
    start: int
    end: int
    line: int
    group: int
    speaker: str | None = None
    anchors: tuple[tuple[int, float], ...] = ()


@dataclass
class Scan:
    """What one file holds, sorted."""

    path: Path
    encoding: str
    speech: list[Speech] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    headings: list[tuple[int, str, Lang | None]] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    title: str = ""
    url: str | None = None
    youtube_id: str | None = None

    def paragraphs(self, lang: Lang, groups: set[int] | None = None) -> list[Paragraph]:
        out: list[Paragraph] = []
        for s in self.speech:
            if s.lang is lang and (groups is None or s.group in groups):
                out.append(Paragraph(lang, len(out), s.text, s.start, s.end, s.speaker, s.anchors, s.group, s.line))
        return out


def _is_markdown(path: Path) -> bool:
    return path.suffix.lower() not in (".txt", ".text")


def _structural_reason(block: Block, text: str) -> str | None:
    """Why a block is not speech, from its form alone; ``None`` when it may be speech."""
    if block.kind in MARKUP_KINDS:
        return MARKUP_KINDS[block.kind]
    if block.only_links or (text and all(_URL.fullmatch(t) for t in text.split())):
        return "link"
    tokens = text.split()
    if tokens and all(_TAG.match(t) for t in tokens):
        return "tags"
    if block.all_bold and len(text) <= 60 and not re.search(r"[.。!！?？]$", text):
        return "heading"
    return None


def _join(lines: list[str], lang: Lang) -> tuple[str, list[int]]:
    """Lines joined as one paragraph (space for English, nothing for Chinese), with each line's offset."""
    sep = " " if lang is Lang.EN else ""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for line in lines:
        if out:
            pos += len(sep)
        offsets.append(pos)
        out.append(line)
        pos += len(line)
    return sep.join(out), offsets


def _cut_long_runs(text: str, anchors: list[tuple[int, float]]) -> list[tuple[str, list[tuple[int, float]]]]:
    """An English paragraph with no sentence ends for long stretches, cut at its timestamps."""
    if not anchors or len(text.split()) <= _LONG_RUN_WORDS or len(re.findall(r"[.!?](?:\s|$)", text)) * 30 > len(
        text.split()
    ):
        return [(text, anchors)]
    pieces: list[tuple[str, list[tuple[int, float]]]] = []
    start = 0
    own: list[tuple[int, float]] = []
    for off, t in anchors:
        if off > start and len(text[start:off].split()) >= _SNIPPET_WORDS:
            pieces.append((text[start:off].strip(), [(o - start, tt) for o, tt in own]))
            start, own = off, []
        own.append((off, t))
    pieces.append((text[start:].strip(), [(o - start, tt) for o, tt in own]))
    return [p for p in pieces if p[0]]


_SENTENCE_END = re.compile(r"[.!?。！？…\"'”’)）」』]\s*$")


def _lines_are_sentences(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return sum(bool(_SENTENCE_END.search(ln)) for ln in lines) >= 0.6 * len(lines)


def scan(doc: DecodedText, side: Lang | None = None) -> Scan:
    """Sort the blocks of ``doc``; ``side`` is the language a one-language file holds (else decided per block)."""
    blocks = read_blocks(doc.text, _is_markdown(doc.path))
    result = Scan(doc.path, doc.encoding)
    group = 0
    candidates: list[tuple[Block, Lang, Label | None, int]] = []
    head_links: list[str] = []
    seen_speech = False
    for b in blocks:
        text = b.text
        if b.kind == "rule":
            candidates.append((b, Lang.EN, None, group))
            continue
        reason = _structural_reason(b, text)
        if b.kind == "heading" or reason == "heading":
            group += 1
            lang = classify(text)
            result.headings.append((group, text, lang))
            if not result.title and not seen_speech and b.kind == "heading" and b.level <= 2:
                result.title = text
                result.set_aside.append(SetAside(text, "title", doc.path, b.line, lang))
            else:
                result.set_aside.append(SetAside(text, "heading", doc.path, b.line, lang))
            continue
        if not seen_speech:
            head_links += [m.group(1) or m.group(2) for m in _MD_LINK_URL.finditer(doc.text[b.start : b.end])]
        chapters = chapter_list(text) if reason is None else None
        if chapters:
            result.chapters.extend(chapters)
            reason = "chapter list"
        if reason is not None:
            shown = text if b.kind == "paragraph" and text else doc.text[b.start : b.end]
            result.set_aside.append(SetAside(shown, reason, doc.path, b.line, classify(shown)))
            continue
        lang = classify(text)
        if lang is None and only_times(text) is not None:
            # A timestamp alone on its block (a transcript copy with blank lines): it times what follows.
            candidates.append((b, Lang.EN, None, group))
            continue
        if lang is None:
            if re.search(r"\w", text):
                # Digits alone ("2024-09-08") or another script: not speech in either language.
                result.set_aside.append(SetAside(text, "in neither English nor Chinese", doc.path, b.line, None))
            continue
        if side is not None:
            lang = side
        candidates.append((b, lang, find_label(text, b.lead_label, lang is Lang.ZH), group))
        seen_speech = True
    # Plain "Name:" labels count only where they recur (per language).
    accepted: dict[Lang, set[str]] = {}
    for lang in (Lang.EN, Lang.ZH):
        accepted[lang] = accepted_plain_names([lb for b, lg, lb, _ in candidates if lg is lang and b.kind != "rule"])
    speaker: dict[Lang, str | None] = {Lang.EN: None, Lang.ZH: None}
    pending_time: dict[Lang, float | None] = {Lang.EN: None, Lang.ZH: None}
    # A one-language file that is a single block of lines is one sentence (or paragraph) a line,
    # unless its lines run on (hard-wrapped prose: most lines end without a sentence end).
    speech_blocks = [b for b, _, _, _ in candidates if b.kind != "rule" and classify(b.text) is not None]
    line_paragraphs = side is not None and len(speech_blocks) == 1 and _lines_are_sentences(speech_blocks[0].text)
    pending_any: float | None = None
    for b, lang, label, group in candidates:
        if b.kind == "rule":
            speaker = {Lang.EN: None, Lang.ZH: None}
            continue
        if classify(b.text) is None:  # a timestamp block
            pending_any = only_times(b.text)
            continue
        if pending_any is not None:
            pending_time[lang], pending_any = pending_any, None
        text = b.text
        if label is not None and (label.strong or label.name in accepted[lang] or label.name is None):
            if label.name:
                speaker[lang] = label.name
            if label.time is not None:
                pending_time[lang] = label.time
            text = text[label.end :].strip()
        if not text:
            continue  # a label (and/or time) alone on its block: it applies to what follows
        lines = text.split("\n")
        timed = timed_lines(text)
        anchors: list[tuple[int, float]] = []
        if timed is not None:
            lines, times = timed
        else:
            times = [None] * len(lines)
        if times and times[0] is None and pending_time[lang] is not None:
            times[0] = pending_time[lang]
        pending_time[lang] = None
        joined, offsets = _join([ln.strip() for ln in lines], lang)
        anchors = [(off, t) for off, t in zip(offsets, times, strict=True) if t is not None]
        if not joined:
            if anchors:
                pending_time[lang] = anchors[-1][1]
            continue
        if line_paragraphs and timed is None:
            pieces = [(ln.strip(), [(0, times[0])] if k == 0 and times[0] is not None else [])
                      for k, ln in enumerate(lines) if ln.strip()]
        elif lang is Lang.EN:
            pieces = _cut_long_runs(joined, anchors)
        else:
            pieces = [(joined, anchors)]
        for piece, own in pieces:
            result.speech.append(
                Speech(lang, piece, b.start, b.end, b.line, group, speaker[lang], tuple(own))
            )
    result.url = head_links[0] if head_links else None
    if result.url:
        m = _YOUTUBE_ID.search(result.url)
        result.youtube_id = m.group(1) if m else None
    return result


def speech_share(result: Scan, lang: Lang) -> float:
    """Share of the file's speech letters that are in ``lang`` (Han characters vs Latin words)."""
    han = sum(han_count(s.text) for s in result.speech)
    latin = sum(latin_count(s.text) for s in result.speech) / 4
    total = han + latin
    if not total:
        return 0.0
    return (han if lang is Lang.ZH else latin) / total
