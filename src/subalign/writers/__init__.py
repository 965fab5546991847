"""Subtitle writers behind a registry: one module per format.

Writers see only :class:`~subalign.model.Cue` objects and a
:class:`Layout` (which languages, in which order).  ``get_writer("srt")``
returns the writer; ``WRITERS`` lists them all.
"""

from __future__ import annotations

from .base import WRITERS, Layout, SubtitleWriter, get_writer, register
from .srt import SrtWriter
from .vtt import VttWriter

register(SrtWriter())
register(VttWriter())

__all__ = ["WRITERS", "Layout", "SrtWriter", "SubtitleWriter", "VttWriter", "get_writer", "register"]
