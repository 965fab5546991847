"""Advanced SubStation Alpha (``.ass``/``.ssa``), as fansub groups publish bilingual subtitles: read with pysubs2.

Every Dialogue event is a cue (its override tags removed, ``\\N`` a line
break); comments and vector drawings are passed over and counted.  A
bilingual file may hold each language in its own event (its own style, the
same times) or both in one event: the lines are told apart by script
either way (`subalign.readers.caption_text`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ...errors import InputError
from .base import RawCue


def read_ass(text: str, path: Path) -> tuple[list[RawCue], Counter[str]]:
    """Cues of an ASS/SSA file, in time order."""
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text)
    except Exception as exc:  # pysubs2 raises several types for a malformed file
        raise InputError(f"is not a readable ASS/SSA file ({exc})", path) from exc
    cues: list[RawCue] = []
    skipped: Counter[str] = Counter()
    for event in subs.events:
        if event.is_comment:
            skipped["comment events"] += 1
            continue
        if event.is_drawing:
            skipped["drawings"] += 1
            continue
        plain = event.plaintext.strip()
        if not plain:
            skipped["empty events"] += 1
            continue
        cues.append(RawCue(event.start / 1000, event.end / 1000, plain))
    cues.sort(key=lambda c: (c.start, c.end))
    return cues, skipped
