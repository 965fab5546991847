"""Caption files read as a transcript's text: ``subalign run talk.en.srt --zh talk.zh.vtt``.

A published episode often comes as caption tracks rather than a transcript:
the English subtitles and a Chinese translation track, or one bilingual
file with an English and a Chinese line in each cue.  Their text is read
through the caption readers (`subalign.readers.captions`: SRT, WebVTT,
json3, srv3, ASS/SSA) and laid out as paragraphs that the ``two-files``
layout then reads like any other pair of files:

* each cue's new lines as `cue_lines` gives them (tags removed, a first
  line that repeats the previous cue's last line dropped: rolling
  captions), WebVTT's ``&amp;`` escapes undone, cues of 20 ms or less
  skipped (YouTube's transition cues), as `track_words` reads them;
* a line is Chinese when at least a third of its letters are Han, when it
  is punctuated in Chinese (``，。！？、：；“”``: "Andrej Karpathy。" is the
  end of a Chinese line that keeps the name in Latin letters), or when it
  lies between two Chinese lines of its cue (a cue keeps each language's
  lines together);
* the lines of each language run on into one paragraph until one ends a
  sentence (``. ! ? …``, ``。！？``): captions break lines mid-sentence.  A
  track with less than one sentence end per `MAX_WORDS` English words or
  `MAX_HAN` Chinese characters (auto-generated English, a Chinese track in
  subtitle style, with no punctuation at a line's end) has nothing to go
  by there: its paragraphs also end at a pause of `PAUSE` seconds or more
  and at that length;
* English lines are joined by a space; Chinese lines by nothing after
  punctuation, else by a space (a Chinese subtitle's line break stands for
  a pause, as a space does in subtitle style).

Only the text is taken from a Chinese track; the English captions' times
time the subtitles (`subalign.pipeline` gives the English file as the
caption track when no other timing source is given).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..errors import InputError
from ..model import Lang
from ..textio import DecodedText
from .captions import CAPTION_READERS, TRANSITION_CUE, caption_format, cue_lines

#: Seconds of silence between captions that end a paragraph when the track has hardly any punctuation.
PAUSE = 1.5
#: Words an English paragraph holds at most when neither punctuation nor a pause ends it.
MAX_WORDS = 40
#: Chinese characters a paragraph holds at most, likewise (about what 40 English words render as).
MAX_HAN = 80
#: Share of a line's letters that are Han for the line to be Chinese.
HAN_SHARE = 1 / 3

_TIMECODE = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{3}\s*-->", re.M)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_CJK_PUNCTUATION = re.compile(r"[，。！？、：；“”（）《》]")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]）」』]*$")
_ZH_PUNCTUATION = re.compile(r"[，、；：。！？…,;:!?）」』”’]$")


@dataclass(frozen=True)
class CaptionLine:
    """One line of caption text, when its cue starts and ends, and its language."""

    text: str
    start: float
    end: float
    lang: Lang


def is_caption_file(doc: DecodedText) -> bool:
    """Whether a decoded file is a caption track (SRT/WebVTT timecodes, json3 events, srv XML, ASS/SSA)."""
    head = doc.text.lstrip("\ufeff \n\t")[:400]
    if _TIMECODE.search(doc.text[:20_000]) or head.startswith(("WEBVTT", "[Script Info]")):
        return True
    if head.startswith("{") and '"events"' in doc.text[:20_000]:
        return True
    return head.startswith("<") and bool(re.search(r"<(?:transcript|timedtext)\b", head))


def caption_lines(doc: DecodedText) -> list[CaptionLine]:
    """The spoken lines of a caption file, each once, with its cue's times and its language."""
    fmt = caption_format(doc.text, doc.path)
    cues, _skipped = CAPTION_READERS[fmt](doc.text, doc.path)
    out: list[CaptionLine] = []
    for cue, raw in cue_lines(cues):
        if cue.end - cue.start <= TRANSITION_CUE or not raw:
            continue
        # WebVTT text escapes & < > as HTML does.
        lines = [html.unescape(ln) for ln in raw] if fmt == "vtt" else raw
        langs = [_lang_of(ln) for ln in lines]
        chinese = [k for k, lang in enumerate(langs) if lang is Lang.ZH]
        if chinese:  # a cue holds each language's lines together: what lies between Chinese lines is Chinese
            langs[chinese[0] : chinese[-1] + 1] = [Lang.ZH] * (chinese[-1] + 1 - chinese[0])
        out += [CaptionLine(ln, cue.start, cue.end, lang) for ln, lang in zip(lines, langs, strict=True)]
    return out


def _lang_of(line: str) -> Lang:
    if _CJK_PUNCTUATION.search(line):
        return Lang.ZH
    han = len(_HAN.findall(line))
    latin = len(_LATIN.findall(line)) / 4  # letters of a word against one character (as `speech_share`)
    return Lang.ZH if han and han >= HAN_SHARE * (han + latin) else Lang.EN


def paragraphs(lines: list[CaptionLine], lang: Lang) -> list[str]:
    """Caption lines of one language run on into paragraphs (see the module docstring)."""
    def size(text: str) -> int:
        return len(text.split()) if lang is Lang.EN else len(_HAN.findall(text))

    cap = MAX_WORDS if lang is Lang.EN else MAX_HAN
    ends = sum(bool(_SENTENCE_END.search(line.text)) for line in lines)
    unpunctuated = ends * cap < sum(size(line.text) for line in lines)
    out: list[str] = []
    text = ""
    last_end: float | None = None
    for line in lines:
        if unpunctuated and text and last_end is not None and line.start - last_end >= PAUSE:
            out.append(text)
            text = ""
        if not text:
            text = line.text
        elif lang is Lang.EN or not _ZH_PUNCTUATION.search(text):
            text += " " + line.text
        else:
            text += line.text
        last_end = line.end
        if _SENTENCE_END.search(line.text) or (unpunctuated and size(text) >= cap):
            out.append(text)
            text = ""
    if text:
        out.append(text)
    return out


def caption_documents(doc: DecodedText, want: tuple[Lang, ...]) -> dict[Lang, DecodedText]:
    """The text of a caption file in each language of ``want``, as documents of paragraphs.

    :class:`InputError` when the file has no line in a language asked for.
    """
    lines = caption_lines(doc)
    if not lines:
        raise InputError("is a caption file with no caption text", doc.path)
    out: dict[Lang, DecodedText] = {}
    for lang in want:
        own = [ln for ln in lines if ln.lang is lang]
        if not own:
            other = "English" if lang is Lang.ZH else "Chinese"
            name = "Chinese" if lang is Lang.ZH else "English"
            hint = " (for the Chinese give a second file with --zh)" if lang is Lang.ZH else ""
            raise InputError(f"is a caption file with {other} lines only, no {name}{hint}", doc.path)
        out[lang] = DecodedText("\n\n".join(paragraphs(own, lang)) + "\n", doc.encoding, doc.path)
    return out
