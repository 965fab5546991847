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
from dataclasses import dataclass, replace

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
#: Beads around a merged bead that a shift may run through.  On the development halves (2 | 3 | 4):
#: Bible deleted verses 0.865 | 0.872 | 0.874.
SHIFT_REACH = 3
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
    renders none of the block's other side: it matches none of it as well
    as the document's low pairs do, or every line matches the sentence it is
    now paired with as well as the low pairs do and better than the one
    left alone.  Short fragments are never left alone (their embedding says
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
        if gain < SHIFT_MARGIN:
            continue
        # The sentence left alone renders none of the lines: it matches none as well as the
        # document's weak pairs do, or each line is a translation of its new partner (as good as
        # the weak pairs) that matches it better (repetitive text: "he sent forth a raven" beside
        # "he sent forth a dove" shares words with every line).
        if max(sim(alone, b) for b in short_side) >= low and not all(
            sim(a, b) >= low and sim(a, b) > sim(alone, b) for a, b in pairs
        ):
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


#: How much a stolen-line repair must buy (summed cosine: the neighbours' gain plus how far the weak
#: pair lies below the document's low pairs).  Chosen on the development halves of
#: benchmarks/null_beads.py (0.1 | 0.15 | 0.2: Bible 0.868 | 0.871 | 0.852, TED 0.863 | 0.865 | 0.869).
STOLEN_MARGIN = 0.15
#: How much better (cosine) a neighbour's bead must match with the lines (as `SHIFT_MARGIN`).  With
#: STOLEN_MARGIN 0.15, 0 | 0.05 on the development halves: Bible deleted verses 0.871 | 0.859, TED
#: deleted segments 0.865 | 0.869, TED strict 0.919 | 0.920 (0.921 without the repair).
STOLEN_NEIGHBOUR_MARGIN = 0.05
#: Passes at most: a repair can make the next one possible (two untranslated sentences in a row).
STOLEN_ROUNDS = 3
#: Most lines a weak pair may hold and give back (the first to the bead before, the second to the
#: bead after, or both to one): development halves, 1 | 2 | 3: Bible 0.869 | 0.872 | 0.872.
STOLEN_MAX_LINES = 2
#: Most Chinese sentences a bead may hold after taking lines (the aligner's ``max_side``).
_MAX_SIDE = 4


@dataclass(frozen=True)
class _Move:
    """Lines of a weak pair that the neighbouring bead ``into`` takes (giving ``merged``)."""

    into: int
    lines: tuple[Sentence, ...]
    merged: AlignedPair

    @property
    def text(self) -> str:
        """The lines read together (Chinese: no space between them)."""
        return "".join(s.text for s in self.lines)


@dataclass(frozen=True)
class _Steal:
    """A weak pair (``at``) whose lines go to the beads next to it (``moves``); its English is left alone."""

    gain: float
    at: int
    moves: tuple[_Move, ...]


def repair_stolen_lines(
    alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None
) -> Alignment:
    """Weak pairs whose Chinese lines belong to the beads next to them: the English left alone.

    When a sentence has no rendering and its neighbour is rendered in two
    lines, the search may pair the sentence with one of those lines (a pair
    that scores near unrelated text) rather than leave it alone; with two
    lines, it may hold the end of one neighbour's rendering and the start of
    the other's.  For a 1-1 or 1-2 pair scoring below the document's low
    pairs, its lines are joined to the neighbouring beads on their side (the
    first line to the bead before and the second to the bead after, or both
    to one of them; past English sentences already left alone) when all of
    these hold: the lines match the neighbour's English better than their
    own; the English left alone matches none of the lines nor the
    neighbours' Chinese as well as the low pairs do; each neighbour's bead
    matches better by `STOLEN_NEIGHBOUR_MARGIN`; and the repair buys at
    least `STOLEN_MARGIN`, the neighbours' gain plus how far the weak pair
    lies below the low pairs.  Short fragments are never left alone (as in
    `refine_merged`).  Up to `STOLEN_ROUNDS` passes: two untranslated
    sentences in a row are repaired one after the other.

    Only English is left alone: on the development halves every Chinese line
    the same rule left alone was a fragment of a real rendering (Bible 7 of
    7 with no Chinese added, TED 5 of 5), as Chinese splits a sentence into
    more lines.
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


def _neighbour(pairs: Sequence[AlignedPair], k: int, step: int) -> int | None:
    """The bead next to ``k`` (``step`` -1 or +1) a Chinese line may join, past English left alone."""
    n = k + step
    while 0 <= n < len(pairs) and pairs[n].section == pairs[k].section:
        q = pairs[n]
        if q.en and q.zh and q.score is not None:
            return n
        if q.zh:
            return None  # Chinese left alone: the line cannot pass it
        n += step
    return None


def _moves(pairs: Sequence[AlignedPair], k: int) -> list[tuple[_Move, ...]]:
    """Every way to give the lines of the weak pair ``k``, in order, to the beads next to it."""
    p = pairs[k]
    before, after = _neighbour(pairs, k, -1), _neighbour(pairs, k, 1)
    out = []
    for cut in range(len(p.zh) + 1):
        moves = []
        for n, lines in ((before, p.zh[:cut]), (after, p.zh[cut:])):
            if not lines:
                continue
            if n is None or len(pairs[n].zh) + len(lines) > _MAX_SIDE:
                break
            q = pairs[n]
            joined = (*q.zh, *lines) if n < k else (*lines, *q.zh)
            moves.append(_Move(n, lines, AlignedPair(q.section, q.en, joined, None)))
        else:
            out.append(tuple(moves))
    return out


def _steal_round(alignment: Alignment, embedder: Embedder, low: float, th: CheckThresholds) -> Alignment:
    """One pass of `repair_stolen_lines` (the same alignment when nothing changes)."""
    from .checks import _encode_joined

    pairs = list(alignment.pairs)
    candidates: list[tuple[int, tuple[_Move, ...]]] = []
    for k, p in enumerate(pairs):
        if not (len(p.en) == 1 and 1 <= len(p.zh) <= STOLEN_MAX_LINES and p.score is not None and p.score < low):
            continue
        if not _short(p.en[0], th):
            candidates += [(k, moves) for moves in _moves(pairs, k)]
    if not candidates:
        return alignment
    singles = {
        s.text for k, moves in candidates for q in (pairs[k], *(pairs[m.into] for m in moves)) for s in (*q.en, *q.zh)
    }
    joins: dict[str, tuple[Sentence, ...]] = {}
    for _, moves in candidates:
        for m in moves:
            q = pairs[m.into]
            joins.setdefault(q.en_text, q.en)
            joins.setdefault(q.zh_text, q.zh)
            joins.setdefault(m.merged.zh_text, m.merged.zh)
            joins.setdefault(m.text, m.lines)
    texts = [*sorted(singles), *sorted(set(joins) - singles)]
    vecs = _encode_joined(embedder, texts, {t: joins[t] for t in texts if t not in singles})
    row = {t: r for r, t in enumerate(texts)}

    def cos(a: str, b: str) -> float:
        return float(vecs[row[a]] @ vecs[row[b]])

    steals: list[_Steal] = []
    for k, moves in candidates:
        p = pairs[k]
        alone = p.en[0].text
        if max(cos(alone, z.text) for m in moves for z in (*p.zh, *pairs[m.into].zh)) >= low:
            continue
        # What the repair buys: the neighbours' better match, and a weak pair traded for a
        # sentence alone (worth what the document's low pairs are).
        gain = low - (p.score or 0.0)
        scored_moves = []
        for m in moves:
            q = pairs[m.into]
            merged_score = cos(m.merged.en_text, m.merged.zh_text)
            if cos(m.text, q.en_text) <= cos(m.text, alone):
                break  # the lines render their own pair's English more
            if merged_score < (q.score or 0.0) + STOLEN_NEIGHBOUR_MARGIN:
                break  # the neighbour does not need them
            gain += merged_score - (q.score or 0.0)
            scored_moves.append(replace(m, merged=replace(m.merged, score=merged_score)))
        else:
            if gain >= STOLEN_MARGIN:
                steals.append(_Steal(gain, k, tuple(scored_moves)))
    # The strongest evidence first; a pair takes part in one repair at most.
    replaced: dict[int, AlignedPair] = {}
    for st in sorted(steals, key=lambda x: -x.gain):
        if st.at in replaced or any(m.into in replaced for m in st.moves):
            continue
        p = pairs[st.at]
        replaced[st.at] = AlignedPair(p.section, p.en, (), None)
        replaced.update((m.into, m.merged) for m in st.moves)
    if not replaced:
        return alignment
    return Alignment([replaced.get(k, p) for k, p in enumerate(pairs)], alignment.fragments)

