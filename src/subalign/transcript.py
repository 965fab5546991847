"""Reading bilingual transcripts into :class:`~subalign.model.Transcript`.

Three layouts are recognised:

``episode``
    The commissioned format: a title line, a YouTube link, a free Chinese
    summary (kept aside, never aligned), then sections headed ``### 01`` …
    each holding English paragraphs and their Chinese rendering.
``interleaved``
    Paragraphs alternating between the languages, optionally labelled with
    a speaker (``**Sarah:** …``), without section headings.
``two-files``
    One plain file per language (paragraphs separated by blank lines, or one
    sentence a line).

Blocks are classified by script: a block whose letters are mostly Han
characters is Chinese, one whose letters are mostly Latin is English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Lang, Paragraph, Section, Transcript
from .textio import DecodedText, read_text

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Share of Han characters among letters from which a block counts as Chinese.
# Chinese renderings keep many Latin names ("Waymo 和 Tesla"), so it is low.
CHINESE_MIN_HAN_SHARE = 0.3

_SECTION = re.compile(r"^#{2,4}\s*(\d{1,4})\s*$", re.M)
_TITLE = re.compile(r"^#{1,2}\s+(.+?)\s*$", re.M)
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)|(https?://\S+)")
_YOUTUBE_ID = re.compile(
    r"(?:youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|embed/|shorts/|live/)|youtu\.be/)([A-Za-z0-9_-]{11})"
)
_SPEAKER = re.compile(r"^\s*(?:\*\*|__)([^*_:：\n]{1,40}?)\s*(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：])\s*")
_TIMECODE = re.compile(r"\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->")
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


def classify(text: str) -> Lang | None:
    """The language of a block, or ``None`` when it holds no letters we know."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han + latin == 0:
        return None
    if han / (han + latin / 4) >= CHINESE_MIN_HAN_SHARE and han >= 1:
        # Latin letters are counted per word (÷4): "Waymo" should not outweigh "和".
        return Lang.ZH
    return Lang.EN if latin else None


@dataclass(frozen=True)
class _Block:
    text: str
    start: int
    end: int


def _blocks(text: str, start: int = 0, end: int | None = None) -> list[_Block]:
    """Blank-line separated blocks of ``text[start:end]`` with offsets."""
    end = len(text) if end is None else end
    out: list[_Block] = []
    pos = start
    for m in _BLOCK_SPLIT.finditer(text, start, end):
        out.append(_Block(text[pos : m.start()], pos, m.start()))
        pos = m.end()
    out.append(_Block(text[pos:end], pos, end))
    blocks = []
    for b in out:
        stripped = b.text.strip()
        if not stripped:
            continue
        lead = len(b.text) - len(b.text.lstrip())
        blocks.append(_Block(stripped, b.start + lead, b.start + lead + len(stripped)))
    return blocks


def _paragraph(block: _Block, lang: Lang, index: int) -> Paragraph:
    """A paragraph from a block, with a leading speaker label split off."""
    text, start, speaker = block.text, block.start, None
    m = _SPEAKER.match(text)
    if m and m.end() < len(text):
        speaker = m.group(1).strip()
        text, start = text[m.end() :], start + m.end()
    # Join hard-wrapped lines: a paragraph is one run of text.
    flat = re.sub(r"[ \t]*\n[ \t]*", " " if lang is Lang.EN else "", text)
    # Offsets stay valid only while lengths match; they do for single newlines
    # replaced by one space (EN).  For ZH the end offset is that of the block.
    return Paragraph(lang, index, flat, start, start + len(text), speaker)


def _split_languages(blocks: list[_Block], path: Path, where: str) -> tuple[list[Paragraph], list[Paragraph]]:
    en: list[Paragraph] = []
    zh: list[Paragraph] = []
    for b in blocks:
        lang = classify(b.text)
        if lang is Lang.EN:
            en.append(_paragraph(b, lang, len(en)))
        elif lang is Lang.ZH:
            zh.append(_paragraph(b, lang, len(zh)))
        elif re.search(r"\w", b.text):
            line = b.text.splitlines()[0][:40]
            raise InputError(f"unrecognised layout: {where} has a block in neither English nor Chinese: {line!r}", path)
    return en, zh


def _title_and_link(head: str) -> tuple[str, str | None, str | None]:
    title = ""
    m = _TITLE.search(head)
    if m:
        title = m.group(1).strip()
    url = None
    for lm in _LINK.finditer(head):
        candidate = lm.group(2) or lm.group(3)
        if candidate:
            url = candidate.rstrip(").,")
            if not title and lm.group(1):
                title = lm.group(1).strip()
            break
    yid = None
    if url:
        ym = _YOUTUBE_ID.search(url)
        yid = ym.group(1) if ym else None
    return title, url, yid


def _require_both(sections: list[Section], path: Path) -> None:
    if not any(s.en for s in sections):
        raise InputError("has no English text to align", path)
    if not any(s.zh for s in sections):
        raise InputError("has no Chinese text to align", path)


def parse_episode(doc: DecodedText) -> Transcript:
    """Parse a single-file transcript (``episode`` or ``interleaved`` layout)."""
    text, path = doc.text, doc.path
    if _TIMECODE.search(text):
        raise InputError("looks like a subtitle file (it has timecodes), not a transcript", path)
    heads = list(_SECTION.finditer(text))
    if heads:
        head = text[: heads[0].start()]
        title, url, yid = _title_and_link(head)
        sections = []
        for i, h in enumerate(heads):
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            en, zh = _split_languages(_blocks(text, h.end(), end), path, f"section {h.group(1)}")
            if en or zh:
                sections.append(Section(h.group(1), tuple(en), tuple(zh)))
        _require_both(sections, path)
        summary_blocks = [b.text for b in _blocks(head) if not _LINK.search(b.text) and not _TITLE.match(b.text)]
        return Transcript(
            title=title or path.stem,
            sections=tuple(sections),
            source=path,
            encoding=doc.encoding,
            layout="episode",
            video_url=url,
            youtube_id=yid,
            summary="\n\n".join(summary_blocks),
        )
    blocks = _blocks(text)
    title, url, yid = _title_and_link("\n\n".join(b.text for b in blocks[:3]))
    # In this layout, title and link lines are metadata, not speech.
    body = [b for b in blocks if not (_TITLE.match(b.text) or _LINK.fullmatch(b.text.strip()))]
    en, zh = _split_languages(body, path, "the transcript")
    if en and zh:
        section = Section("01", tuple(en), tuple(zh))
        return Transcript(
            title=title or path.stem,
            sections=(section,),
            source=path,
            encoding=doc.encoding,
            layout="interleaved",
            video_url=url,
            youtube_id=yid,
        )
    if not en and not zh:
        raise InputError("unrecognised layout: no English or Chinese paragraphs found", path)
    raise InputError(f"has no {'Chinese' if en else 'English'} text to align", path)


def _single_language(doc: DecodedText, lang: Lang) -> list[Paragraph]:
    blocks = _blocks(doc.text)
    if len(blocks) == 1 and "\n" in blocks[0].text:
        # One sentence (or paragraph) a line, no blank lines between them.
        lines, pos = [], blocks[0].start
        for line in blocks[0].text.split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                lines.append(_Block(line.strip(), pos + lead, pos + lead + len(line.strip())))
            pos += len(line) + 1
        blocks = lines
    paras: list[Paragraph] = []
    for b in blocks:
        found = classify(b.text)
        if found is not None and found is not lang:
            other = "Chinese" if found is Lang.ZH else "English"
            raise InputError(
                f"should hold {'English' if lang is Lang.EN else 'Chinese'} but has {other}: {b.text[:40]!r}",
                doc.path,
            )
        paras.append(_paragraph(b, lang, len(paras)))
    if not paras:
        raise InputError("is empty", doc.path)
    return paras


def parse_two_files(en_doc: DecodedText, zh_doc: DecodedText) -> Transcript:
    """Parse one English file and one Chinese file as a one-section transcript."""
    en = _single_language(en_doc, Lang.EN)
    zh = _single_language(zh_doc, Lang.ZH)
    encoding = en_doc.encoding if en_doc.encoding == zh_doc.encoding else f"{en_doc.encoding}+{zh_doc.encoding}"
    return Transcript(
        title=en_doc.path.stem,
        sections=(Section("01", tuple(en), tuple(zh)),),
        source=en_doc.path,
        encoding=encoding,
        layout="two-files",
        extra_sources=(zh_doc.path,),
    )


def read_transcript(path: Path, zh_path: Path | None = None) -> Transcript:
    """Read a transcript from one bilingual file, or from an EN and a ZH file."""
    doc = read_text(path)
    if zh_path is None:
        return parse_episode(doc)
    return parse_two_files(doc, read_text(zh_path))
