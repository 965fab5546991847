"""WebVTT, including YouTube's auto-generated tracks (word times, rolling lines)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .base import RawCue
from .timeline import TIMING, parse_timed_lines

_BLOCK_KEYWORDS = re.compile(r"^(NOTE|STYLE|REGION)\b")


def read_vtt(text: str, path: Path) -> tuple[list[RawCue], Counter[str]]:
    """Cues of a WebVTT file; the header (``Kind:``, ``Language:``, old ``Style:``/``##`` lines),
    NOTE, STYLE and REGION blocks are passed over."""
    lines = text.replace("\ufeff", "").split("\n")
    kept: list[str] = []
    skipping = True  # the header runs to the first blank line
    for line in lines:
        if skipping:
            if TIMING.match(line):
                skipping = False
            elif not line.strip():
                skipping = False
                kept.append("")
                continue
            else:
                kept.append("")
                continue
        if _BLOCK_KEYWORDS.match(line):
            skipping = True
            kept.append("")
            continue
        kept.append(line)
    return parse_timed_lines("\n".join(kept), strip_identifier=True)
