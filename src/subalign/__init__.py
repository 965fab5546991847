"""subalign: bilingual (English + Chinese) transcripts to checked, timed, bilingual subtitles.

The pipeline, stage by stage: :mod:`subalign.transcript` (reading),
:mod:`subalign.segment` (sentences), :mod:`subalign.embed` (embeddings),
:mod:`subalign.align` (alignment), :mod:`subalign.checks` (findings and the
quality gate), :mod:`subalign.timing`, :mod:`subalign.cues`,
:mod:`subalign.writers` and :mod:`subalign.report`; :mod:`subalign.pipeline`
runs them in order.  Nothing is loaded at import time.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
