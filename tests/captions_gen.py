"""YouTube-style caption tracks with known word times, built from transcript sentences.

Used by the caption tests and the caption timing benchmark: the truth is
known by construction (every word has a time), and the files have the real
quirks of YouTube's auto captions: rolling two-line cues, inline word tags,
10 ms transition cues, no punctuation, lower case, fillers, mismatched words.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


def _ts(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def speak(
    sentences: Sequence[str], seed: int = 1, intro: float = 8.0
) -> tuple[list[tuple[str, float, float]], list[float]]:
    """Words with times (speech at ~0.28 s a word, random pauses), and each sentence's true start."""
    rng = random.Random(seed)
    t = intro
    words: list[tuple[str, float, float]] = []
    starts: list[float] = []
    for s in sentences:
        t += rng.uniform(0.1, 1.2)
        starts.append(t)
        for w in s.split():
            d = 0.12 + 0.035 * len(w)
            words.append((w, t, t + d))
            t += d + rng.uniform(0.02, 0.08)
    return words, starts


def garble(words: list[tuple[str, float, float]], share: float, seed: int = 2) -> list[tuple[str, float, float]]:
    """Mismatch about ``share`` of the words: drop, substitute, or add a filler."""
    rng = random.Random(seed)
    out = []
    for w, a, b in words:
        r = rng.random()
        if r < share / 3:
            continue
        if r < 2 * share / 3:
            w = rng.choice(["thing", "stuff", "yeah", "right", "so"])
        elif r < share:
            out.append(("um", a, a + 0.1))
        out.append((w, a, b))
    return out


def auto_vtt(words: list[tuple[str, float, float]], per_cue: int = 7) -> str:
    """YouTube auto-caption WebVTT: rolling lines, inline word times, transition cues."""
    clean = [("".join(c for c in w.lower() if c.isalnum() or c in "'%-"), a, b) for w, a, b in words]
    clean = [(w, a, b) for w, a, b in clean if w]
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    prev_line = " "
    for k in range(0, len(clean), per_cue):
        chunk = clean[k : k + per_cue]
        start, end = chunk[0][1], chunk[-1][2]
        line = chunk[0][0] + "".join(f"<{_ts(a)}><c> {w}</c>" for w, a, _ in chunk[1:])
        out += [f"{_ts(start)} --> {_ts(end)} align:start position:0%", prev_line, line, ""]
        plain = " ".join(w for w, _, _ in chunk)
        out += [f"{_ts(end)} --> {_ts(end + 0.01)} align:start position:0%", plain, " ", ""]
        prev_line = plain
    return "\n".join(out) + "\n"


def manual_srt(sentences: Sequence[str], starts: Sequence[float], words: list[tuple[str, float, float]]) -> str:
    """Manual captions: one punctuated cue per sentence, from its first to its last word."""
    ends, k = [], 0
    for s in sentences:
        k += len(s.split())
        ends.append(words[k - 1][2])
    out = []
    for n, (s, a, b) in enumerate(zip(sentences, starts, ends, strict=True), 1):
        out += [str(n), f"{_ts(a).replace('.', ',')} --> {_ts(b).replace('.', ',')}", s, ""]
    return "\n".join(out)


def _auto_lines(words: list[tuple[str, float, float]], per_cue: int) -> list[list[tuple[str, float, float]]]:
    clean = [("".join(c for c in w.lower() if c.isalnum() or c in "'%-"), a, b) for w, a, b in words]
    clean = [(w, a, b) for w, a, b in clean if w]
    return [clean[k : k + per_cue] for k in range(0, len(clean), per_cue)]


def json3(words: list[tuple[str, float, float]], per_cue: int = 7) -> str:
    """YouTube's json3 timed text of an auto track: a window event, then per line an event whose
    segments carry their offsets, and an ``aAppend`` line-break event (documented format)."""
    import json

    events: list[dict[str, object]] = [{"tStartMs": 0, "dDurationMs": 10_000_000, "id": 1, "wpWinPosId": 1}]
    for line in _auto_lines(words, per_cue):
        t0 = round(line[0][1] * 1000)
        end = round(line[-1][2] * 1000)
        segs: list[dict[str, object]] = [{"utf8": line[0][0], "acAsrConf": 0}]
        segs += [{"utf8": " " + w, "tOffsetMs": round(a * 1000) - t0, "acAsrConf": 0} for w, a, _ in line[1:]]
        events.append({"tStartMs": t0, "dDurationMs": end - t0, "wWinId": 1, "segs": segs})
        events.append({"tStartMs": end, "dDurationMs": 10, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\n"}]})
    return json.dumps({"wireMagic": "pb3", "pens": [{}], "wsWinStyles": [{}], "wpWinPositions": [{}],
                       "events": events})


def srv3(words: list[tuple[str, float, float]], per_cue: int = 7) -> str:
    """YouTube's srv3 XML: ``<p t= d=>`` per line, ``<s t=>`` per word (offset from the line)."""
    out = ['<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">', "<head></head><body>"]
    for line in _auto_lines(words, per_cue):
        t0 = round(line[0][1] * 1000)
        d = round(line[-1][2] * 1000) - t0
        spans = f'<s ac="0">{line[0][0]}</s>' + "".join(
            f'<s t="{round(a * 1000) - t0}" ac="0"> {w}</s>' for w, a, _ in line[1:]
        )
        out.append(f'<p t="{t0}" d="{d}" w="1">{spans}</p>')
    out.append("</body></timedtext>")
    return "\n".join(out)
