"""Material with no counterpart in the other language, set aside before alignment.

A summary, an outline, a table of contents written as a list, a mind map, a
translator's or an LLM's preamble ("好的，以下是……") and closing notes have
one thing in common whatever their wording: nothing in the other language
renders them, and they sit at the edges of the text or fill whole sections
between the speech.  So the paragraphs of each section are aligned (the
paragraph aligner, with 1-0 and 0-1 beads) and what the alignment leaves
without a counterpart is set aside when it is

* Chinese at either edge of a section (a preamble may run straight into
  the translation), including Chinese paragraphs an edge bead swallowed
  without gaining from them;
* Chinese or English that fills whole heading groups with no counterpart at
  the edges or between groups (English only this way: English speech that
  was not translated stays, and is reported as an omission).

``starts`` forces where each language's speech begins (a line number, for
when detection fails): everything before it is set aside, and the
detection at that side's start is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .align import TranscriptAlignerConfig, align_windows, averaged_windows
from .embed import Embedder, FloatMatrix
from .model import AlignedPair, Alignment, Bead, Lang, Paragraph, Section, Sentence, SetAside, Transcript
from .segment import split

# A section needs this many paragraphs on each side before its edges are judged.
MIN_PARAGRAPHS = 3
# Never set aside more than this share of a section's paragraphs of one language.
MAX_SHARE = 0.5
NO_COUNTERPART = "no counterpart in the other language (summary, outline, preamble or notes)"


@dataclass(frozen=True)
class _Side:
    """The units one side is aligned by (paragraphs, or sentences), and the paragraph of each."""

    vecs: FloatMatrix
    lengths: np.ndarray
    owner: list[int]


def _units(paragraphs: Sequence[Paragraph], lang: Lang, embedder: Embedder, by_sentence: bool) -> _Side:
    sentences: list[str] = []
    owner: list[int] = []
    for k, p in enumerate(paragraphs):
        for a, b in split(p.text, lang):
            sentences.append(p.text[a:b])
            owner.append(k)
    vecs = embedder.encode(sentences) if sentences else np.zeros((0, 1), dtype=np.float32)
    if by_sentence:
        return _Side(vecs, np.array([len(t) for t in sentences], dtype=np.float64), owner)
    pooled = np.zeros((len(paragraphs), vecs.shape[1]), dtype=np.float64)
    for row, k in zip(vecs, owner, strict=True):
        pooled[k] += row
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    lengths = np.array([len(p.text) for p in paragraphs], dtype=np.float64)
    return _Side((pooled / norms).astype(np.float32), lengths, list(range(len(paragraphs))))


def _cos(a: FloatMatrix, rows_a: Sequence[int], b: FloatMatrix, rows_b: Sequence[int]) -> float:
    x, y = a[list(rows_a)].sum(axis=0), b[list(rows_b)].sum(axis=0)
    nx, ny = float(np.linalg.norm(x)), float(np.linalg.norm(y))
    return float(x @ y) / (nx * ny) if nx and ny else 0.0


def _peel(beads: list[Bead], en: _Side, zh: _Side, floor: float, from_start: bool) -> set[int]:
    """Chinese paragraphs an edge bead holds without gaining from them."""
    out: set[int] = set()
    order = beads if from_start else list(reversed(beads))
    for b in order:
        if not b.src or not b.tgt:
            continue
        tgt = list(b.tgt)
        while len(tgt) > 1:
            edge = tgt[0] if from_start else tgt[-1]
            rest = tgt[1:] if from_start else tgt[:-1]
            if _cos(en.vecs, b.src, zh.vecs, rest) > _cos(en.vecs, b.src, zh.vecs, tgt) and (
                _cos(en.vecs, b.src, zh.vecs, [edge]) < floor
            ):
                out.add(edge)
                tgt = rest
            else:
                break
        break  # only the outermost bead with both sides
    return out


def _edge_nulls(beads: list[Bead], lang: Lang, from_start: bool) -> list[int]:
    """Paragraphs of ``lang`` in the null beads before the first (or after the last) bead with both sides."""
    out: list[int] = []
    for b in beads if from_start else reversed(beads):
        if b.src and b.tgt:
            break
        out.extend(b.tgt if lang is Lang.ZH else b.src)
    return sorted(out)


def _whole_groups(paragraphs: Sequence[Paragraph], unmatched: set[int], other_groups: set[int]) -> set[int]:
    """Unmatched paragraphs that fill whole heading groups holding nothing of the other language."""
    by_group: dict[int, list[int]] = {}
    for k, p in enumerate(paragraphs):
        by_group.setdefault(p.group, []).append(k)
    out: set[int] = set()
    for g, members in by_group.items():
        if g not in other_groups and all(k in unmatched for k in members):
            out.update(members)
    return out


def _section_set_aside(
    section: Section, embedder: Embedder, config: TranscriptAlignerConfig, forced: dict[Lang, bool]
) -> dict[Lang, set[int]]:
    none: dict[Lang, set[int]] = {Lang.EN: set(), Lang.ZH: set()}
    if len(section.en) < MIN_PARAGRAPHS or len(section.zh) < MIN_PARAGRAPHS:
        return none
    # Paragraphs are the units unless the two sides paragraph too differently (a YouTube
    # transcript copy's snippets against a translation's paragraphs): then sentences.
    ratio = max(len(section.en), len(section.zh)) / min(len(section.en), len(section.zh))
    by_sentence = ratio > config.max_paragraph_ratio
    en = _units(section.en, Lang.EN, embedder, by_sentence)
    zh = _units(section.zh, Lang.ZH, embedder, by_sentence)
    pc = config.sentences if by_sentence else config.paragraphs
    beads = align_windows(
        averaged_windows(en.vecs, en.lengths, pc.max_side), averaged_windows(zh.vecs, zh.lengths, pc.max_side), pc
    )
    scores = sorted(b.score for b in beads if b.score is not None)
    floor = scores[int(0.1 * (len(scores) - 1))] if scores else 0.0

    def whole(side: _Side, units: set[int]) -> set[int]:
        """Paragraphs all of whose units are in ``units``."""
        members: dict[int, list[int]] = {}
        for u, k in enumerate(side.owner):
            members.setdefault(k, []).append(u)
        return {k for k, us in members.items() if all(u in units for u in us)}

    null_en = whole(en, {i for b in beads if not b.tgt for i in b.src})
    null_zh = whole(zh, {j for b in beads if not b.src for j in b.tgt})
    zh_out: set[int] = set()
    for from_start in (True, False):
        if from_start and forced[Lang.ZH]:
            continue
        zh_out |= whole(zh, set(_edge_nulls(beads, Lang.ZH, from_start)))
        if not by_sentence:
            zh_out |= _peel(beads, en, zh, floor, from_start)
    en_groups = {p.group for p in section.en}
    zh_groups = {p.group for p in section.zh}
    zh_out |= _whole_groups(section.zh, null_zh, en_groups)
    en_edges = whole(en, set(_edge_nulls(beads, Lang.EN, True) if not forced[Lang.EN] else []) | set(
        _edge_nulls(beads, Lang.EN, False)
    ))
    en_out = _whole_groups(section.en, null_en & en_edges, zh_groups)
    result = {Lang.EN: en_out, Lang.ZH: zh_out}
    for lang, paras in ((Lang.EN, section.en), (Lang.ZH, section.zh)):
        if len(result[lang]) > MAX_SHARE * len(paras):
            result[lang] = set()  # the alignment itself is in doubt; the quality gate will say so
    return result


def _renumber(paragraphs: Sequence[Paragraph]) -> tuple[Paragraph, ...]:
    return tuple(replace(p, index=k) for k, p in enumerate(paragraphs))


def set_aside_unmatched(
    transcript: Transcript,
    embedder: Embedder,
    config: TranscriptAlignerConfig | None = None,
    starts: dict[Lang, int] | None = None,
) -> Transcript:
    """``transcript`` with the paragraphs that have no counterpart moved to ``set_aside``."""
    config = config or TranscriptAlignerConfig()
    starts = starts or {}
    sources = {Lang.EN: transcript.source, Lang.ZH: (transcript.extra_sources or (transcript.source,))[0]}
    extra: list[SetAside] = []
    sections: list[Section] = []
    for section in transcript.sections:
        keep: dict[Lang, list[Paragraph]] = {}
        forced = {lang: lang in starts for lang in (Lang.EN, Lang.ZH)}
        for lang in (Lang.EN, Lang.ZH):
            paras = list(section.paragraphs(lang))
            if lang in starts:
                before = [p for p in paras if p.line < starts[lang]]
                extra += [SetAside(p.text, f"before line {starts[lang]}, where the speech was said to start",
                                   sources[lang], p.line, lang) for p in before]
                paras = [p for p in paras if p.line >= starts[lang]]
            keep[lang] = paras
        trimmed = Section(section.label, tuple(keep[Lang.EN]), tuple(keep[Lang.ZH]))
        out = _section_set_aside(trimmed, embedder, config, forced)
        for lang in (Lang.EN, Lang.ZH):
            paras = keep[lang]
            extra += [SetAside(paras[k].text, NO_COUNTERPART, sources[lang], paras[k].line, lang)
                      for k in sorted(out[lang])]
            keep[lang] = [p for k, p in enumerate(paras) if k not in out[lang]]
        sections.append(Section(section.label, _renumber(keep[Lang.EN]), _renumber(keep[Lang.ZH])))
    return replace(transcript, sections=tuple(sections), set_aside=transcript.set_aside + tuple(extra))


def _peel_edge_pairs(alignment: Alignment, sizes: dict[tuple[str, int], int], embedder: Embedder) -> Alignment:
    """A section's first (last) pair with English loses the whole Chinese paragraphs at its edge that add nothing.

    They become Chinese-only pairs, which `set_aside_edge_additions` then
    judges: "adds nothing" is the merged-sentence test of the checks (the
    pair matches its English at least as well without them).
    """
    pairs = list(alignment.pairs)
    sections = list(dict.fromkeys(p.section for p in pairs))
    for label in sections:
        for from_start in (True, False):
            ks = [k for k, p in enumerate(pairs) if p.section == label]
            k = next((k for k in (ks if from_start else ks[::-1]) if pairs[k].en), None)
            if k is None:
                continue
            pair = pairs[k]
            zh = list(pair.zh)
            peeled: list[Sentence] = []
            while len(zh) > 1:
                para = zh[0].paragraph if from_start else zh[-1].paragraph
                members = [x for x in zh if x.paragraph == para]
                if len(members) != sizes[(label, para)] or len(members) == len(zh):
                    break
                rest = [x for x in zh if x.paragraph != para]
                v = embedder.encode([pair.en_text, "".join(x.text for x in zh), "".join(x.text for x in rest)])
                if float(v[0] @ v[2]) < float(v[0] @ v[1]):
                    break
                peeled = members + peeled if from_start else peeled + members
                zh = rest
            if peeled:
                score = float(embedder.encode([pair.en_text, "".join(x.text for x in zh)]).prod(axis=0).sum())
                kept = replace(pair, zh=tuple(zh), score=score)
                alone = AlignedPair(label, (), tuple(peeled), None)
                pairs[k : k + 1] = [alone, kept] if from_start else [kept, alone]
    return Alignment(pairs)


def set_aside_edge_additions(
    transcript: Transcript,
    segmented: Sequence[tuple[Section, list[Sentence], list[Sentence]]],
    alignment: Alignment,
    embedder: Embedder | None = None,
) -> tuple[Transcript, Alignment]:
    """Whole Chinese paragraphs the sentence alignment left without English at a section's edges, set aside.

    The paragraph-level pass (`set_aside_unmatched`) decides on pooled
    paragraphs; the sentence alignment sees finer.  A run of Chinese-only
    pairs before the first (or after the last) pair with English in a
    section is a preamble, a summary line, a metadata note, when it covers
    whole paragraphs; a sentence that merely pads a paragraph stays, and is
    reported as an addition.  With ``embedder``, whole paragraphs an edge
    pair holds without gaining from them are taken out first (`_peel_edge_pairs`).
    """
    source = (transcript.extra_sources or (transcript.source,))[0]
    sizes = {(sec.label, para): 0 for sec, _, _ in segmented for para in range(len(sec.zh))}
    for _, _, zh in segmented:
        for sent in zh:
            sizes[(sent.section, sent.paragraph)] += 1
    peeled = _peel_edge_pairs(alignment, sizes, embedder) if embedder is not None else alignment
    by_section: dict[str, list[int]] = {}
    for k, p in enumerate(peeled.pairs):
        by_section.setdefault(p.section, []).append(k)
    drop: set[int] = set()
    for section, _, _ in segmented:
        ks = by_section.get(section.label, [])
        for edge in (ks, ks[::-1]):
            run: list[int] = []
            for k in edge:
                if peeled.pairs[k].en:
                    break
                run.append(k)
            counted: dict[int, int] = {}
            for k in run:
                for sent in peeled.pairs[k].zh:
                    counted[sent.paragraph] = counted.get(sent.paragraph, 0) + 1
            whole = {para for para, n in counted.items() if n == sizes[(section.label, para)]}
            if len(whole) < len(section.zh):  # never all of a section's Chinese
                drop.update(k for k in run if all(s.paragraph in whole for s in peeled.pairs[k].zh))
    if not drop:
        return transcript, peeled
    dropped: dict[tuple[str, int], int] = {}
    for k in drop:
        for sent in peeled.pairs[k].zh:
            dropped[(sent.section, sent.paragraph)] = dropped.get((sent.section, sent.paragraph), 0) + 1
    extra = [
        SetAside(sec.zh[para].text, NO_COUNTERPART, source, sec.zh[para].line, Lang.ZH)
        for sec, _, _ in segmented
        for para in range(len(sec.zh))
        if dropped.get((sec.label, para)) == sizes[(sec.label, para)]
    ]
    kept = Alignment([p for k, p in enumerate(peeled.pairs) if k not in drop])
    return replace(transcript, set_aside=transcript.set_aside + tuple(extra)), kept
