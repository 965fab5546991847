"""YouTube's XML timed text: srv3 (``<p t= d=><s t=>word</s></p>``) and srv1 (``<text start= dur=>``)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from ...errors import InputError
from .base import CaptionWord, RawCue


def _num(value: str | None, scale: float) -> float | None:
    try:
        return float(value) / scale if value is not None else None
    except ValueError:
        return None


def read_srv(text: str, path: Path) -> tuple[list[RawCue], Counter[str]]:
    """Cues of an srv3 or srv1 file (XML, parsed by the standard library's parser)."""
    if "<!ENTITY" in text:
        raise InputError("declares XML entities, which timed text never needs; refusing to expand them", path)
    try:
        root = ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise InputError(f"is not valid XML timed text ({exc})", path) from None
    skipped: Counter[str] = Counter()
    cues: list[RawCue] = []
    if root.tag == "transcript":  # srv1: seconds, text escaped twice
        for el in root.iter("text"):
            start, dur = _num(el.get("start"), 1), _num(el.get("dur", "0"), 1)
            if start is None or dur is None:
                skipped["text elements without a valid time"] += 1
                continue
            body = html.unescape(el.text or "")
            if body.strip():
                cues.append(RawCue(start, start + dur, " ".join(body.split())))
        return cues, skipped
    for p in root.iter("p"):
        start, dur = _num(p.get("t"), 1000), _num(p.get("d", "0"), 1000)
        if start is None or dur is None:
            skipped["p elements without a valid time"] += 1
            continue
        end = start + dur
        spans = list(p.iter("s"))
        if spans:
            words: list[CaptionWord] = []
            for s in spans:
                offset = _num(s.get("t", "0"), 1000) or 0.0
                word = (s.text or "").strip()
                if word:
                    words.append(CaptionWord(word, start + offset, start + offset))
            timed = tuple(
                CaptionWord(w.text, w.start, max(w.start + 0.01, words[k + 1].start if k + 1 < len(words) else end))
                for k, w in enumerate(words)
            )
            if timed:
                cues.append(RawCue(start, end, " ".join(w.text for w in timed), timed))
        else:
            body = "".join(p.itertext())
            if body.strip():
                cues.append(RawCue(start, end, body.strip()))
    if root.tag != "timedtext" and not cues:
        raise InputError(f"is XML but not YouTube timed text (root element <{root.tag}>)", path)
    return cues, skipped
