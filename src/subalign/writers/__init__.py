"""Subtitle writers behind a registry: one module per format.

Writers see only :class:`~subalign.model.Cue` objects and a
:class:`Layout` (which languages, in which order).  ``get_writer("srt")``
returns the writer; ``WRITERS`` lists them all.
"""

from __future__ import annotations

from .ass import AssWriter
from .base import WRITERS, Layout, Look, SubtitleWriter, get_writer, register
from .srt import SrtWriter
from .vtt import VttWriter

register(SrtWriter())
register(AssWriter())
register(VttWriter())

__all__ = [
    "WRITERS",
    "AssWriter",
    "Layout",
    "Look",
    "SrtWriter",
    "SubtitleWriter",
    "VttWriter",
    "get_writer",
    "register",
]
