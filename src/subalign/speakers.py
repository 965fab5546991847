"""Who speaks each sentence, across the two languages.

Labels come from the readers (`Paragraph.speaker`); the two files may spell
a name differently ("Andrej" / "Andrejj") or render it ("Lex" / "莱克斯").
The alignment tells which label of one side goes with which of the other:
each English name takes the Chinese label it shares the most pairs with.
When only the Chinese carries labels, the English sentences take the
speaker of the Chinese that renders them.  Cues never mix two speakers
(see :mod:`subalign.cues`); the report lists the names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from .model import AlignedPair, Alignment


def renderings(pairs: list[AlignedPair]) -> dict[str, str]:
    """English speaker name -> the Chinese label most often paired with it."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for p in pairs:
        for e in p.en:
            for z in p.zh:
                if e.speaker and z.speaker:
                    seen[e.speaker][z.speaker] += 1
    return {name: c.most_common(1)[0][0] for name, c in seen.items()}


def assign_speakers(alignment: Alignment) -> Alignment:
    """English sentences without labels take the speaker of the Chinese they pair with, if only it has labels."""
    pairs = alignment.pairs
    if any(s.speaker for p in pairs for s in p.en) or not any(s.speaker for p in pairs for s in p.zh):
        return alignment
    out: list[AlignedPair] = []
    current: str | None = None
    for p in pairs:
        labels = Counter(s.speaker for s in p.zh if s.speaker)
        if labels:
            current = labels.most_common(1)[0][0]
        out.append(replace(p, en=tuple(replace(s, speaker=current) for s in p.en)))
    return Alignment(out, alignment.fragments)


def speakers_report(alignment: Alignment) -> dict[str, Any]:
    """Names on each side, how the Chinese renders each English name, and sentence counts."""
    en = Counter(s.speaker for p in alignment.pairs for s in p.en if s.speaker)
    zh = Counter(s.speaker for p in alignment.pairs for s in p.zh if s.speaker)
    return {
        "en": [n for n, _ in en.most_common()],
        "zh": [n for n, _ in zh.most_common()],
        "zh_for": renderings(alignment.pairs),
        "en_sentences": dict(en.most_common()),
    }
