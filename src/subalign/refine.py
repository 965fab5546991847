"""The refinement pass: untranslated and added sentences out of merged beads, into 1-0 and 0-1 beads.

The aligner folds an untranslated sentence into its neighbour's bead as
readily as it leaves it alone: the monotone search sees a 2-1 bead that
costs a little more than a 1-1, against a skip that costs a quantile of
unrelated pairs.  The evidence that a sentence at the edge of a merged bead
renders nothing (the bead matches better without it, the sentence itself
matches the other side no better than the document's weakest pairs, and no
clause of the other side renders it: `subalign.checks.merged_suspects`) is
acted on here, once, for `subalign align` and `subalign run` alike: the
aligner's output, the report and the cues then carry it.

Before that, two repairs undo the other ways the search hides such a
sentence: `repair_shifts`, pairing it with the next sentence's rendering and
taking up the shift in a 2-1 bead further on; `repair_stolen_lines`, pairing
it with one of the lines that render its neighbour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .checks import CheckThresholds, refine_merged
from .embed import Embedder
from .model import AlignedPair, Alignment, Bead, Lang, Sentence


def refine_alignment(alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None) -> Alignment:
    """A transcript's alignment with the sentences merged beads do not need as pairs of their own."""
    alignment = repair_shifts(alignment, embedder, thresholds)
    alignment = repair_stolen_lines(alignment, embedder, thresholds)
    return refine_merged(alignment, embedder, thresholds)


def refine_beads(
    beads: Sequence[Bead],
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    *,
    src_chinese: bool,
    tgt_chinese: bool,
    thresholds: CheckThresholds | None = None,
) -> list[Bead]:
    """`refine_alignment` for the beads of two sentence lists (either direction, English and Chinese)."""
    if src_chinese == tgt_chinese:
        return list(beads)  # the evidence is about a text and its translation into the other language

    def sentences(texts: Sequence[str], ids: Sequence[int], chinese: bool) -> tuple[Sentence, ...]:
        lang = Lang.ZH if chinese else Lang.EN
        return tuple(Sentence(lang, i, texts[i], "01", 0, 0, len(texts[i])) for i in ids)

    pairs = []
    for b in beads:
        s, t = sentences(src, b.src, src_chinese), sentences(tgt, b.tgt, tgt_chinese)
        en, zh = (t, s) if src_chinese else (s, t)
        pairs.append(AlignedPair("01", en, zh, b.score))
    refined = refine_alignment(Alignment(pairs), embedder, thresholds)
    out: list[Bead] = []
    for p in refined.pairs:
        en_ids, zh_ids = tuple(x.index for x in p.en), tuple(x.index for x in p.zh)
        src_ids, tgt_ids = (zh_ids, en_ids) if src_chinese else (en_ids, zh_ids)
        out.append(Bead(src_ids, tgt_ids, p.score if src_ids and tgt_ids else None))
    return out


#: How much better (summed cosine) a block's re-pairing must be than the beads the aligner chose.
#: Chosen on the development halves of benchmarks/null_beads.py (0.05 | 0.1 | 0.2: TED 0.881 | 0.865 |
#: 0.859, Bible 0.713 | 0.704 | 0.704; before the repair 0.854 and 0.704).
SHIFT_MARGIN = 0.05
#: Beads around a merged bead that a shift may run through.
SHIFT_REACH = 2
# (beads before, beads after) the merged bead in a block; at least one: the merged bead alone is
# `refine_merged`'s case.
_SHIFT_BLOCKS = [(b, a) for b in range(SHIFT_REACH + 1) for a in range(SHIFT_REACH + 1 - b) if a + b]


def repair_shifts(alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None) -> Alignment:
    """Untranslated sentences the aligner hid by shifting: a merged bead and the 1-1 beads next to it, re-paired.

    When a sentence has no rendering, the monotone search may pair it with
    the next sentence's rendering and the next sentence with the one after,
    until a 2-1 bead takes up the shift.  For each 2-1 (or 1-2) bead and the
    runs of up to `SHIFT_REACH` 1-1 beads before or after it, every way of
    leaving one sentence of the longer side alone and pairing the rest one
    to one in order is scored by its summed cosine; the best replaces the
    beads when it beats them by `SHIFT_MARGIN` and the sentence left alone
    matches none of the block's other side as well as the document's low
    pairs do.  Short fragments are never left alone (their embedding says
    too little, as in `refine_merged`).
    """
    from .checks import _low_score

    th = thresholds or CheckThresholds()
    low = _low_score(alignment, th)
    if low is None:
        return alignment
    pairs = list(alignment.pairs)
    texts = sorted({s.text for p in pairs for s in (*p.en, *p.zh)})
    if not texts:
        return alignment
    row = {t: k for k, t in enumerate(texts)}
    vecs = embedder.encode(texts)

    def sim(a: Sentence, b: Sentence) -> float:
        return float(vecs[row[a.text]] @ vecs[row[b.text]])

    out: list[AlignedPair] = []
    k = 0
    while k < len(pairs):
        p = pairs[k]
        long_is_en = len(p.en) == 2 and len(p.zh) == 1
        merged = long_is_en or (len(p.en) == 1 and len(p.zh) == 2)
        best: tuple[int, int, _Repair] | None = None
        for before, after in _SHIFT_BLOCKS if merged and p.score is not None else []:
            if before > len(out) or k + after >= len(pairs):
                continue
            block = [*out[len(out) - before :], *pairs[k : k + after + 1]]
            repair = _best_repair(block, p, long_is_en, sim, low, th)
            if repair is not None and (best is None or repair.gain > best[2].gain):
                best = (before, after, repair)
        if best is None:
            out.append(p)
            k += 1
            continue
        before, after, repair = best
        del out[len(out) - before :]
        out += [_pair(p.section, a, b, sim(a, b), long_is_en) for a, b in repair.pairs[: repair.at]]
        out.append(
            AlignedPair(p.section, (repair.alone,), (), None)
            if long_is_en
            else AlignedPair(p.section, (), (repair.alone,), None)
        )
        out += [_pair(p.section, a, b, sim(a, b), long_is_en) for a, b in repair.pairs[repair.at :]]
        k += after + 1
    return Alignment(out, alignment.fragments)


@dataclass(frozen=True)
class _Repair:
    """A block re-paired one to one with one sentence left alone (at position ``at`` of the longer side)."""

    gain: float
    at: int
    alone: Sentence
    pairs: list[tuple[Sentence, Sentence]]


def _best_repair(
    block: list[AlignedPair],
    merged: AlignedPair,
    long_is_en: bool,
    sim: Callable[[Sentence, Sentence], float],
    low: float,
    th: CheckThresholds,
) -> _Repair | None:
    """The best way to leave one sentence of the block's longer side alone and pair the rest in order, if any."""
    if any(q.section != merged.section for q in block):
        return None
    if not all(len(q.en) == 1 and len(q.zh) == 1 and q.score is not None for q in block if q is not merged):
        return None
    en = [s for q in block for s in q.en]
    zh = [s for q in block for s in q.zh]
    current = sum(q.score for q in block if q.score is not None)
    long_side, short_side = (en, zh) if long_is_en else (zh, en)
    best: _Repair | None = None
    for j, alone in enumerate(long_side):
        if _short(alone, th):
            continue  # a fragment's embedding says too little (as in `refine_merged`)
        pairs = list(zip(long_side[:j] + long_side[j + 1 :], short_side, strict=True))
        gain = sum(sim(a, b) for a, b in pairs) - current
        if gain < SHIFT_MARGIN or max(sim(alone, b) for b in short_side) >= low:
            continue
        if best is None or gain > best.gain:
            best = _Repair(gain, j, alone, pairs)
    return best


def _short(s: Sentence, th: CheckThresholds) -> bool:
    if s.lang is Lang.ZH:
        return len(s.text.strip()) < th.addition_min_chars
    return len(s.text.split()) < th.merged_omission_min_words


def _pair(section: str, a: Sentence, b: Sentence, score: float, long_is_en: bool) -> AlignedPair:
    en, zh = (a, b) if long_is_en else (b, a)
    return AlignedPair(section, (en,), (zh,), score)


#: How much a stolen-line repair must buy (summed cosine: the neighbour's gain plus how far the weak
#: pair lies below the document's low pairs).  Chosen on the development halves of
#: benchmarks/null_beads.py (0.1 | 0.15 | 0.2: Bible 0.868 | 0.871 | 0.852, TED 0.863 | 0.865 | 0.869).
STOLEN_MARGIN = 0.15
#: How much better (cosine) the neighbour's bead must match with the line (as `SHIFT_MARGIN`).  With
#: STOLEN_MARGIN 0.15, 0 | 0.05 on the development halves: Bible deleted verses 0.871 | 0.859, TED
#: deleted segments 0.865 | 0.869, TED strict 0.919 | 0.920 (0.921 without the repair).
STOLEN_NEIGHBOUR_MARGIN = 0.05
#: Passes at most: a repair can make the next one possible (two untranslated sentences in a row).
STOLEN_ROUNDS = 3
#: Most sentences one side of a bead may hold after taking a line (the aligner's ``max_side``).
_MAX_SIDE = 4
# Whether the sentence left alone may be English (True) or Chinese (False).  Only English: on the
# development halves every Chinese line the repair left alone was a fragment of a real rendering
# (Bible 7 of 7 with no Chinese added, TED 5 of 5), as Chinese splits a sentence into more lines.
_ALONE_SIDES = (True,)


@dataclass(frozen=True)
class _Steal:
    """A weak pair (``at``) whose line joins the bead ``into`` (giving ``merged``); ``alone`` is left unaligned."""

    gain: float
    at: int
    into: int
    alone: Sentence
    merged: AlignedPair


def repair_stolen_lines(
    alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None
) -> Alignment:
    """Weak pairs whose line belongs to the next bead or the one before: the other sentence left alone.

    When a sentence has no rendering and its neighbour is rendered in two
    lines, the search may pair the sentence with one of those lines (a pair
    that scores near unrelated text) rather than leave it alone.  For a 1-1
    pair scoring below the document's low pairs, the line is joined to the
    neighbouring bead on its side (past sentences of the other language
    already left alone) when all of these hold: the line matches the
    neighbour's sentence better than its own; the sentence left alone
    matches neither the line nor the neighbour's sentences on the line's
    side as well as the low pairs do; the neighbour's bead matches better
    by `STOLEN_NEIGHBOUR_MARGIN`; and the repair buys at least
    `STOLEN_MARGIN`, the neighbour's gain plus how far the weak pair lies
    below the low pairs.  Only English is left
    alone (`_ALONE_SIDES`); short fragments never are (as in
    `refine_merged`).  Up to `STOLEN_ROUNDS` passes: two untranslated
    sentences in a row are repaired one after the other.
    """
    from .checks import _low_score

    th = thresholds or CheckThresholds()
    low = _low_score(alignment, th)
    if low is None:
        return alignment
    for _ in range(STOLEN_ROUNDS):
        repaired = _steal_round(alignment, embedder, low, th)
        if repaired is alignment:
            break
        alignment = repaired
    return alignment


def _neighbour(pairs: Sequence[AlignedPair], k: int, step: int, en_alone: bool) -> int | None:
    """The bead next to ``k`` (``step`` -1 or +1) a line may join, past sentences of the alone side left alone."""
    n = k + step
    while 0 <= n < len(pairs) and pairs[n].section == pairs[k].section:
        q = pairs[n]
        if q.en and q.zh and q.score is not None:
            return n
        if not (q.en if en_alone else q.zh) or (q.zh if en_alone else q.en):
            return None  # a sentence of the line's own side left alone: the line cannot pass it
        n += step
    return None


def _steal_round(alignment: Alignment, embedder: Embedder, low: float, th: CheckThresholds) -> Alignment:
    """One pass of `repair_stolen_lines` (the same alignment when nothing changes)."""
    from .checks import _encode_joined

    pairs = list(alignment.pairs)
    candidates: list[tuple[int, int, bool, AlignedPair]] = []  # (weak pair, neighbour, English alone, merged)
    for k, p in enumerate(pairs):
        if not (len(p.en) == 1 and len(p.zh) == 1 and p.score is not None and p.score < low):
            continue
        for en_alone in _ALONE_SIDES:
            for step in (-1, 1):
                n = _neighbour(pairs, k, step, en_alone)
                if n is None:
                    continue
                q = pairs[n]
                alone = p.en[0] if en_alone else p.zh[0]
                if _short(alone, th):
                    continue
                side = q.zh if en_alone else q.en
                if len(side) >= _MAX_SIDE:
                    continue
                line = p.zh if en_alone else p.en
                joined = (*side, *line) if n < k else (*line, *side)
                merged = (
                    AlignedPair(q.section, q.en, joined, None)
                    if en_alone
                    else AlignedPair(q.section, joined, q.zh, None)
                )
                candidates.append((k, n, en_alone, merged))
    if not candidates:
        return alignment
    singles = sorted({s.text for k, n, _, _ in candidates for q in (pairs[k], pairs[n]) for s in (*q.en, *q.zh)})
    joins: dict[str, tuple[Sentence, ...]] = {}
    for _, n, _, m in candidates:
        for q in (m, pairs[n]):
            joins.setdefault(q.en_text, q.en)
            joins.setdefault(q.zh_text, q.zh)
    joined_texts = sorted(set(joins) - set(singles))
    vecs = _encode_joined(embedder, [*singles, *joined_texts], {t: joins[t] for t in joined_texts})
    row = {t: r for r, t in enumerate([*singles, *joined_texts])}

    def cos(a: str, b: str) -> float:
        return float(vecs[row[a]] @ vecs[row[b]])

    steals: list[_Steal] = []
    for k, n, en_alone, m in candidates:
        p, q = pairs[k], pairs[n]
        alone = p.en[0] if en_alone else p.zh[0]
        others = (*p.zh, *q.zh) if en_alone else (*p.en, *q.en)
        if max(cos(alone.text, o.text) for o in others) >= low:
            continue
        line = p.zh[0] if en_alone else p.en[0]
        theirs = q.en_text if en_alone else q.zh_text
        if cos(line.text, theirs) <= cos(line.text, alone.text):
            continue  # the line renders its own pair's sentence more than the neighbour's
        merged_score = cos(m.en_text, m.zh_text)
        # What the repair buys: the neighbour's better match, and a weak pair traded for a
        # sentence alone (worth what the document's low pairs are).
        gain = merged_score - (q.score or 0.0) + low - (p.score or 0.0)
        if merged_score >= (q.score or 0.0) + STOLEN_NEIGHBOUR_MARGIN and gain >= STOLEN_MARGIN:
            steals.append(_Steal(gain, k, n, alone, AlignedPair(m.section, m.en, m.zh, merged_score)))
    # The strongest evidence first; a pair takes part in one repair at most.
    taken: set[int] = set()
    chosen: dict[int, _Steal] = {}
    for st in sorted(steals, key=lambda x: -x.gain):
        if st.at in taken or st.into in taken:
            continue
        taken |= {st.at, st.into}
        chosen[st.at] = st
    if not chosen:
        return alignment
    replaced: dict[int, list[AlignedPair]] = {}
    for st in chosen.values():
        p = pairs[st.at]
        alone_pair = (
            AlignedPair(p.section, (st.alone,), (), None)
            if st.alone.lang is Lang.EN
            else AlignedPair(p.section, (), (st.alone,), None)
        )
        replaced[st.at] = [alone_pair]
        replaced[st.into] = [st.merged]
    out: list[AlignedPair] = []
    for k, p in enumerate(pairs):
        out += replaced.get(k, [p])
    return Alignment(out, alignment.fragments)
