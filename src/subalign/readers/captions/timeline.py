"""The line grammar SRT and WebVTT share: a timing line, then text until the next cue."""

from __future__ import annotations

import re
from collections import Counter

from .base import RawCue

_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:\s+.*)?\s*$")


def _seconds(groups: tuple[str | None, ...]) -> float:
    h, m, s, frac = groups
    return int(h or 0) * 3600 + int(m or 0) * 60 + int(s or 0) + int((frac or "0").ljust(3, "0")[:3]) / 1000


def parse_timed_lines(text: str, strip_identifier: bool) -> tuple[list[RawCue], Counter[str]]:
    """Cues of a text made of ``start --> end`` lines each followed by the cue's text.

    A cue's text runs to the next timing line, less the blank lines and the
    index (SRT) or identifier (WebVTT) just before it, so a blank or
    whitespace-only line inside a cue does not end it.  Non-blank lines
    before the first cue and cues that end before they start are counted
    in the returned counter.
    """
    lines = text.replace("\ufeff", "").split("\n")
    skipped: Counter[str] = Counter()
    heads = [k for k, line in enumerate(lines) if TIMING.match(line)]
    broken = [k for k, line in enumerate(lines) if "-->" in line and not TIMING.match(line)]
    if broken:
        skipped["cues with an unreadable timing line"] += len(broken)
    if heads:
        before = [line for line in lines[: heads[0]] if line.strip()]
        if before and (heads[0] < 2 or not lines[heads[0] - 2].strip()) and lines[heads[0] - 1].strip():
            before = before[:-1]  # the first cue's index or identifier
        if before and not all(line.strip().isdigit() for line in before):
            skipped["lines before the first cue"] += len(before)
    cues: list[RawCue] = []
    for n, k in enumerate(heads):
        m = TIMING.match(lines[k])
        assert m is not None
        start, end = _seconds(m.groups()[:4]), _seconds(m.groups()[4:])
        stop = heads[n + 1] if n + 1 < len(heads) else len(lines)
        stop = min([stop, *(b for b in broken if k < b < stop)])
        body = lines[k + 1 : stop]
        if stop < len(lines) and body and body[-1].strip():
            # The line just before the next timing line is that cue's index (SRT: digits) or,
            # after an empty line, its identifier (WebVTT).
            before_empty = len(body) == 1 or body[-2] == ""
            if (body[-1].strip().isdigit() and (before_empty or not body[-2].strip())) or (
                strip_identifier and before_empty
            ):
                body.pop()
        # A cue whose timing line is missing ("2" then its text after an empty line) is not this cue's text.
        for j in range(1, len(body) - 1):
            if body[j] == "" and body[j + 1].strip().isdigit() and j + 2 < len(body) and body[j + 2].strip():
                skipped["cues without a timing line"] += 1
                body = body[:j]
                break
        while body and not body[-1].strip():
            body.pop()
        if end < start:
            skipped["cues that end before they start"] += 1
            continue
        cues.append(RawCue(start, end, "\n".join(line.rstrip() for line in body)))
    return cues, skipped
