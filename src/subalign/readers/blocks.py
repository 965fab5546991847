"""A transcript file as a list of blocks: what a reader of the page sees.

Markdown (``.md`` and anything that is not plain ``.txt``) goes through
markdown-it-py's CommonMark parser, with tables enabled:

* headings are blocks of kind ``heading`` (section boundaries);
* each list item is a paragraph of its own, and so is each paragraph of a
  blockquote;
* emphasis is stripped and its text kept, links become their text;
* images, code blocks, HTML, tables and front matter become blocks of their
  own kind, which the readers set aside.

Plain text (``.txt``) is split at blank lines only: an indented paragraph of
a plain transcript is speech, not a code block.

Language is decided per block by the proportion of Han characters to Latin
words (:func:`classify`), so English product names in Chinese and a
Chinese word in English never change a block's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Lang

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Share of Han characters among letters (Latin counted per word) from which a
# block counts as Chinese.  Chinese renderings keep many Latin names
# ("Waymo 和 Tesla"), so it is low.
CHINESE_MIN_HAN_SHARE = 0.3


def classify(text: str) -> Lang | None:
    """The language of a block, or ``None`` when it holds no letters we know."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if han + latin == 0:
        return None
    if han >= 1 and han / (han + latin / 4) >= CHINESE_MIN_HAN_SHARE:
        # Latin letters are counted per word (÷4): "Waymo" should not outweigh "和".
        return Lang.ZH
    return Lang.EN if latin else None


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def latin_count(text: str) -> int:
    return len(_LATIN.findall(text))


#: Kinds of block that are never speech.
MARKUP_KINDS = {
    "code": "code block",
    "html": "HTML",
    "image": "image",
    "table": "table",
    "front_matter": "front matter",
    "callout": "callout (a note, not speech)",
}


@dataclass(frozen=True)
class Block:
    """One block of a file.

    ``kind``: ``paragraph``, ``heading``, ``rule`` (a thematic break: the
    speaker labels before it do not carry over), or one of `MARKUP_KINDS`.  ``text``
    is what a reader sees (markup removed; line breaks kept as ``\\n``).
    ``lead_label`` is the text of a bold span the block opens with when it
    ends in a colon (``**Sarah:**``), the strongest form of speaker label.
    ``all_bold``: the whole block is one bold or italic span (a topic
    heading written as ``**开场介绍**``).  ``start``/``end`` are character
    offsets of the block's source lines, ``line`` its first line (1-based).
    """

    kind: str
    text: str
    start: int
    end: int
    line: int
    level: int = 0
    lead_label: str | None = None
    all_bold: bool = False
    only_links: bool = False


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_OBSIDIAN_EMBED = re.compile(r"!\[\[[^\]\n]*\]\]")
_WIKI_LINK = re.compile(r"\[\[([^\]|\n]*)(?:\|([^\]\n]*))?\]\]")
_CALLOUT = re.compile(r"^\s*\[!\w+\][+-]?")


def _line_offsets(text: str) -> list[int]:
    out = [0]
    for m in re.finditer("\n", text):
        out.append(m.end())
    out.append(len(text) + 1)
    return out


def _span(offsets: list[int], text: str, first: int, last: int) -> tuple[int, int]:
    """Character span of source lines ``first..last-1`` (0-based), trimmed of whitespace."""
    a = offsets[min(first, len(offsets) - 1)]
    b = min(offsets[min(last, len(offsets) - 1)], len(text))
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _clean(text: str) -> str:
    """Obsidian's embeds and wiki links, which CommonMark does not know, as a reader sees them."""
    text = _OBSIDIAN_EMBED.sub("", text)
    return _WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), text)


def _render_inline(children: Sequence[object]) -> tuple[str, str | None, bool, bool]:
    """Plain text of an inline token's children, its leading bold label, all-bold, only-links."""
    parts: list[str] = []
    lead: str | None = None
    depth = 0
    bold_text: list[str] = []
    saw_text_outside = False
    saw_link = False
    saw_other = False
    first_strong_done = False
    in_link = 0
    for tok in children:
        kind = tok.type  # type: ignore[attr-defined]
        content = tok.content  # type: ignore[attr-defined]
        if kind in ("strong_open", "em_open"):
            depth += 1
            continue
        if kind in ("strong_close", "em_close"):
            depth -= 1
            if depth == 0 and not first_strong_done:
                first_strong_done = True
                label = "".join(bold_text).strip()
                if not saw_text_outside and label:
                    lead = label
            continue
        if kind == "link_open":
            in_link += 1
            saw_link = True
            continue
        if kind == "link_close":
            in_link -= 1
            continue
        if kind in ("image", "html_inline"):
            continue
        piece = "\n" if kind in ("softbreak", "hardbreak") else content
        parts.append(piece)
        if piece.strip():
            if in_link == 0:
                saw_other = True
            if depth > 0 and not first_strong_done:
                bold_text.append(piece)
            elif depth == 0:
                saw_text_outside = True
        elif depth > 0 and not first_strong_done:
            bold_text.append(piece)
    text = _clean("".join(parts))
    all_bold = lead is not None and not saw_text_outside
    if lead is not None and not all_bold:
        # "**Sarah:** text" or "**Sarah**: text": a label only when a colon ends it.
        rest = text.strip()[len(lead) :].lstrip() if text.strip().startswith(lead) else ""
        if lead.endswith((":", "：")):
            lead = lead[:-1].strip()
        elif rest.startswith((":", "：")):
            pass
        else:
            lead = None
    return text, lead, all_bold, saw_link and not saw_other


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown document, in reading order."""
    from markdown_it import MarkdownIt

    blocks: list[Block] = []
    offsets = _line_offsets(text)
    body = text
    fm = _FRONT_MATTER.match(text)
    if fm and (fm.group(1) is None or re.search(r"^\s*[\w-]+\s*:", fm.group(1), re.M)):
        a, b = 0, fm.end()
        blocks.append(Block("front_matter", text[a:b].strip(), a, b, 1))
        # Blank the front matter but keep its lines, so line maps stay true.
        body = re.sub(r"[^\n]", " ", text[: fm.end()]) + text[fm.end() :]
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(body)
    quote_depth = 0
    callout_depth: int | None = None
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        line_map = tok.map
        if tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
            if callout_depth is not None and quote_depth < callout_depth:
                callout_depth = None
        elif tok.type == "heading_open" and line_map:
            inline = tokens[k + 1]
            rendered, _, _, _ = _render_inline(inline.children or [])
            a, b = _span(offsets, text, line_map[0], line_map[1])
            blocks.append(Block("heading", " ".join(rendered.split()), a, b, line_map[0] + 1, int(tok.tag[1:])))
            k += 3
            continue
        elif tok.type == "paragraph_open" and line_map:
            inline = tokens[k + 1]
            rendered, lead, all_bold, only_links = _render_inline(inline.children or [])
            a, b = _span(offsets, text, line_map[0], line_map[1])
            kind = "paragraph"
            if quote_depth and (callout_depth is not None or _CALLOUT.match(inline.content)):
                callout_depth = callout_depth or quote_depth
                kind = "callout"
            if not rendered.strip() and kind == "paragraph":
                # Nothing a reader sees: only images, or only inline HTML.
                kinds = {c.type for c in inline.children or []}
                kind = "image" if "image" in kinds or "![[" in inline.content else "html"
            blocks.append(
                Block(kind, rendered.strip(), a, b, line_map[0] + 1, 0, lead, all_bold, only_links)
            )
            k += 3
            continue
        elif tok.type in ("fence", "code_block") and line_map:
            a, b = _span(offsets, text, line_map[0], line_map[1])
            blocks.append(Block("code", tok.content.strip(), a, b, line_map[0] + 1))
        elif tok.type == "hr" and line_map:
            a, b = _span(offsets, text, line_map[0], line_map[1])
            blocks.append(Block("rule", "", a, b, line_map[0] + 1))
        elif tok.type == "html_block" and line_map:
            a, b = _span(offsets, text, line_map[0], line_map[1])
            blocks.append(Block("html", tok.content.strip(), a, b, line_map[0] + 1))
        elif tok.type == "table_open" and line_map:
            a, b = _span(offsets, text, line_map[0], line_map[1])
            blocks.append(Block("table", text[a:b], a, b, line_map[0] + 1))
            while k < len(tokens) and tokens[k].type != "table_close":
                k += 1
        k += 1
    return [b for b in blocks if b.text or b.kind not in ("paragraph", "heading")]


_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_PLAIN_BOLD_LABEL = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{1,40}?)\s*(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：])")


def plain_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks of a plain text file (no Markdown)."""
    out: list[Block] = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for gap in _BLANK_LINES.finditer(text):
        pieces.append((pos, gap.start()))
        pos = gap.end()
    pieces.append((pos, len(text)))
    for a, b in pieces:
        raw = text[a:b]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = a + lead
            first_line = text.count("\n", 0, start) + 1
            label = None
            m = _PLAIN_BOLD_LABEL.match(stripped)
            shown = stripped
            if m:
                label = m.group(1).strip()
                shown = m.group(1).strip() + "：" + stripped[m.end() :]
            out.append(Block("paragraph", _clean(shown), start, start + len(stripped), first_line, 0, label))
    return out


def read_blocks(text: str, markdown: bool) -> list[Block]:
    """The blocks of ``text``, parsed as Markdown or as plain text."""
    return markdown_blocks(text) if markdown else plain_blocks(text)
