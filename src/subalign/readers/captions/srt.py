"""SubRip, read leniently (as yt-dlp's conversions and manual uploads write it)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .base import RawCue
from .timeline import parse_timed_lines


def read_srt(text: str, path: Path) -> tuple[list[RawCue], Counter[str]]:
    """Cues of an SRT file: indices may be missing or out of order, times may use ``.``."""
    return parse_timed_lines(text, strip_identifier=False)
