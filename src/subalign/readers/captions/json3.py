"""YouTube's json3 timed text (``yt-dlp --sub-format json3``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ...errors import InputError
from .base import CaptionWord, RawCue, spread


def read_json3(text: str, path: Path) -> tuple[list[RawCue], Counter[str]]:
    """Cues of a json3 file: events with ``segs``; a word starts at ``tStartMs + tOffsetMs``.

    Events without ``segs`` (window definitions) and ``aAppend`` line breaks
    carry no words.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"is not valid json3 (JSON error at line {exc.lineno})", path) from None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        raise InputError("is not json3 timed text (no 'events' list)", path)
    skipped: Counter[str] = Counter()
    cues: list[RawCue] = []
    for ev in events:
        if not isinstance(ev, dict) or not isinstance(ev.get("segs"), list):
            continue
        try:
            start = float(ev["tStartMs"]) / 1000
            duration = float(ev.get("dDurationMs", 0)) / 1000
        except (KeyError, TypeError, ValueError):
            skipped["events without a valid time"] += 1
            continue
        segs: list[tuple[str, float]] = []
        for seg in ev["segs"]:
            if not isinstance(seg, dict) or not isinstance(seg.get("utf8"), str):
                skipped["segments without text"] += 1
                continue
            try:
                offset = float(seg.get("tOffsetMs", 0)) / 1000
            except (TypeError, ValueError):
                offset = 0.0
            segs.append((seg["utf8"], start + offset))
        text_all = "".join(t for t, _ in segs)
        if not text_all.strip():
            continue  # a line break ("aAppend") or an empty window
        end = start + duration
        words: list[CaptionWord] = []
        for k, (piece, at) in enumerate(segs):
            nxt = segs[k + 1][1] if k + 1 < len(segs) else end
            words.extend(spread(piece, at, max(nxt, at + 0.01)))
        cues.append(RawCue(start, end, text_all, tuple(words)))
    return cues, skipped
