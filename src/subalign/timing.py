"""Timing of aligned pairs.

Version 1 has no speech to listen to: it spreads the episode duration over
the English text in proportion to its length, since speech time grows with
the number of characters spoken.  The result is off by seconds within
minutes, so every pair it times is marked ``estimated`` and the report says
so.  Chinese takes the times of the English it renders; Chinese additions
(no English) take no speech time of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import AlignedPair, TimedPair


def estimate_from_duration(pairs: Sequence[AlignedPair], duration: float) -> list[TimedPair]:
    """Spread ``duration`` seconds over ``pairs`` by English character count."""
    weights = [sum(len(s.text) for s in p.en) for p in pairs]
    total = sum(weights)
    out: list[TimedPair] = []
    pos = 0
    for p, w in zip(pairs, weights, strict=True):
        start = duration * pos / total if total else 0.0
        pos += w
        end = duration * pos / total if total else 0.0
        out.append(TimedPair(p, round(start, 3), round(end, 3), estimated=True))
    return out
