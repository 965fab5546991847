"""The ``episode`` layout: sections under headings, each holding both languages.

A section is a heading's group of paragraphs.  It is a translation pair
when it holds both languages in about the proportion the document does
(Chinese characters per English letter within a factor of `RATIO_SPREAD`
of the ratio over all groups holding both).  A file with one such group
(paragraphs alternating between the languages under a title) is read the
same way and called ``interleaved``.  Sections before the first such pair
(title, link, the summary or outline at the top) are set aside; a section
after it that holds only Chinese is set aside (notes, a summary); one that
holds only English is kept: its sentences are untranslated speech.
"""

from __future__ import annotations

from collections import defaultdict

from ..model import Lang, Section, SetAside, Transcript
from .base import transcript
from .scan import Scan

RATIO_SPREAD = 4.0
MIN_PAIRED_SECTIONS = 1


def _sizes(scan: Scan) -> dict[int, dict[Lang, int]]:
    out: dict[int, dict[Lang, int]] = defaultdict(lambda: {Lang.EN: 0, Lang.ZH: 0})
    for s in scan.speech:
        out[s.group][s.lang] += len(s.text)
    return dict(out)


def _paired(scan: Scan) -> list[int]:
    """The groups that hold both languages in the document's usual proportion."""
    sizes = _sizes(scan)
    both = {g: v for g, v in sizes.items() if v[Lang.EN] and v[Lang.ZH]}
    if len(both) < MIN_PAIRED_SECTIONS:
        return []
    overall = sum(v[Lang.ZH] for v in both.values()) / sum(v[Lang.EN] for v in both.values())
    return sorted(
        g for g, v in both.items() if overall / RATIO_SPREAD <= v[Lang.ZH] / v[Lang.EN] <= overall * RATIO_SPREAD
    )


class EpisodeReader:
    name = "episode"

    def accepts(self, scan: Scan) -> bool:
        return len(_paired(scan)) >= MIN_PAIRED_SECTIONS

    def build(self, scan: Scan) -> Transcript:
        paired = set(_paired(scan))
        first = min(paired)
        sizes = _sizes(scan)
        labels = {g: t for g, t, _ in scan.headings}
        sections: list[Section] = []
        used: set[str] = set()
        for g in sorted(sizes):
            only_zh = not sizes[g][Lang.EN]
            if g < first or (only_zh and g not in paired):
                why = (
                    "before the first section that holds both languages (title, summary, outline or preamble)"
                    if g < first
                    else "a section with no English: not a rendering of speech (summary or notes)"
                )
                scan.set_aside.extend(
                    SetAside(s.text, why, scan.path, s.line, s.lang) for s in scan.speech if s.group == g
                )
                continue
            label = labels.get(g, f"{len(sections) + 1:02d}")
            while label in used:
                label += "'"
            used.add(label)
            sections.append(
                Section(label, tuple(scan.paragraphs(Lang.EN, {g})), tuple(scan.paragraphs(Lang.ZH, {g})))
            )
        return transcript(scan, self.name if len(sections) > 1 else "interleaved", sections)
