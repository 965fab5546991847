"""From timed pairs to subtitle cues a professional would ship.

1. Chinese additions (no English) join the cue of the next pair with English
   in the same section (padding such as "对方打趣说：" stays before the line it
   introduces), else the previous one; they are also reported as additions.
2. A pair that fits one cue (both languages break into the profile's lines,
   duration within the maximum) becomes one cue.  A longer pair is cut into
   clauses on both sides (punctuation; sentence ends first), the clauses are
   aligned to each other *inside the pair* with the same m:n aligner as the
   sentences (embeddings, length), and consecutive clause beads are grouped
   into as few cues as fit, with balanced durations.  So each cue's Chinese
   renders that cue's English.  A bead that still does not fit is cut in two
   in step (English at the best word break, Chinese at the matching position,
   at punctuation when near).
3. Times: a pair's span is shared by its cues in proportion to English
   length.  Then short neighbours merge when the result fits, cues shorter
   than the minimum borrow time from their neighbours, gaps below the
   chaining threshold close to the minimum gap, and times snap to frames.

No text is dropped or repeated: every English word and Chinese character of
the pairs lands in exactly one cue (tests check it on generated pairs and on
the sample).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .align import AlignerConfig, Calibration, align_windows, span_windows_steps
from .embed import Embedder
from .model import Cue, Lang, Sentence, TimedPair
from .spans import SpanSource, SpanSteps, gather, run_steps
from .style import (
    PROFILES,
    ZH_BREAK_AFTER,
    StyleProfile,
    break_lines,
    en_break_penalty,
    line_length,
    line_limit,
    reading_chars,
    zh_allowed_breaks,
)

# Clause boundaries: after these marks (with closing quotes/brackets) and space.
_EN_CLAUSE = re.compile(r"(?<=[,;:.!?…—])[\"'”’)\]]*\s+|\s+(?=—)|(?<=--)\s+")
_ZH_CLAUSE = re.compile(r"(?<=[，、；：。！？…—,;:!?])[”’」』）》】\"')\]]*")


@dataclass(frozen=True)
class Piece:
    """A run of English and the Chinese that renders it, inside one pair."""

    en: str
    zh: str


@dataclass
class _Draft:
    """A cue being built: text, time, provenance."""

    start: float
    end: float
    en: str
    zh: str
    section: str
    estimated: bool
    en_ids: tuple[int, ...]
    zh_ids: tuple[int, ...]
    speaker: str | None = None
    #: Two speakers' turns, one line each (the profile's ``dialogue = "dash"``).
    dialogue: bool = False

    @property
    def duration(self) -> float:
        return self.end - self.start


def en_clauses(text: str) -> list[str]:
    """English text cut after clause punctuation; joining with spaces gives it back."""
    parts = [p.strip() for p in _EN_CLAUSE.split(text)]
    return [p for p in parts if p]


def zh_clauses(text: str) -> list[str]:
    """Chinese text cut after clause punctuation; joining gives it back."""
    out, pos = [], 0
    for m in _ZH_CLAUSE.finditer(text):
        if m.end() > pos:
            out.append(text[pos : m.end()])
            pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return [p for p in (x.strip() for x in out) if p]


def _weights(pieces: Sequence[Piece]) -> list[float]:
    """Each piece's share of the pair's time: the mean of its English and Chinese shares.

    Both languages say the same thing; averaging their relative lengths gives
    a piece with little English but much Chinese a fair time, never zero.
    """
    total_en = sum(len(p.en) for p in pieces)
    total_zh = sum(len(p.zh) for p in pieces)
    out = []
    for p in pieces:
        shares = []
        if total_en:
            shares.append(len(p.en) / total_en)
        if total_zh:
            shares.append(len(p.zh) / total_zh)
        out.append(sum(shares) / len(shares) if shares else 1.0 / len(pieces))
    return out


def _join_en(parts: Sequence[str]) -> str:
    return " ".join(p for p in parts if p)


def _join_zh(parts: Sequence[str]) -> str:
    return "".join(parts)


def reading_time(en: str, zh: str, profile: StyleProfile) -> float:
    """Seconds a viewer needs to read the cue at the profile's reading speeds."""
    return max(reading_chars(en, Lang.EN) / profile.en_cps, reading_chars(zh, Lang.ZH) / profile.zh_cps)


def fits(en: str, zh: str, duration: float, profile: StyleProfile) -> bool:
    """Whether one cue can hold this English and Chinese for ``duration`` seconds.

    A long span is a reason to split only when the text needs more reading
    time than one cue may show; a short line over a long pause stays one cue
    (its display is capped at the maximum duration).
    """
    if en and break_lines(en, Lang.EN, profile) is None:
        return False
    if zh and break_lines(zh, Lang.ZH, profile) is None:
        return False
    return duration <= profile.max_duration + 1e-9 or reading_time(en, zh, profile) <= profile.max_duration


def _en_cut_candidates(text: str, k: int) -> list[int]:
    """Up to ``k`` word boundaries to cut English in two, best first.

    The line-break rules decide which boundaries are allowed and preferred
    (after punctuation, before a conjunction; never article|noun, first|last
    name, pronoun|verb); among them, the nearer the middle the better.  If
    every boundary is forbidden, any one may be used: the text must fit.
    """
    spaces = [m.start() for m in re.finditer(" ", text)]
    mid = len(text) / 2
    scored = []
    for i in spaces:
        left, right = text[:i].rsplit(" ", 1)[-1], text[i + 1 :].split(" ", 1)[0]
        penalty = en_break_penalty(left, right) if left and right else None
        if penalty is not None:
            scored.append((abs(i - mid) / len(text) + 0.1 * penalty, i))
    if not scored:
        scored = [(abs(i - mid) / len(text), i) for i in spaces]
    return [i for _, i in sorted(scored)[:k]]


def _zh_cut_candidates(text: str, fraction: float, k: int, breaks: Sequence[int] | None = None) -> list[int]:
    """Up to ``k`` positions to cut Chinese near ``fraction`` of its length, best first.

    The line-break rules decide what is allowed (never inside a Latin word or
    number, never before punctuation; ``breaks``: those positions, when the
    caller has them); a cut right after punctuation, or at a space beside a
    Latin word, is preferred when it is near the target.
    """
    if len(text) < 2:
        return []
    target = fraction * len(text)
    scored: list[tuple[float, int]] = []
    for pos in zh_allowed_breaks(text) if breaks is None else breaks:
        a, b = text[pos - 1], text[pos]
        bonus = 0.15 if a in ZH_BREAK_AFTER else (0.05 if a.isspace() or b.isspace() else 0.0)
        scored.append((abs(pos - target) / len(text) - bonus, pos))
    scored.sort()
    return [pos for _, pos in scored[:k]]


def _best_cut_steps(en: str, zh: str, scored: bool) -> SpanSteps[tuple[int, int | None] | None]:
    """English and Chinese cut positions so each half of the Chinese renders its English half.

    Without a model (``scored`` false): the best English boundary and the
    Chinese position at the same share of the text.  With one: among the few
    best English boundaries and, for each, the best Chinese positions (word
    boundaries), the pair of cuts whose halves match each other best and the
    other half least (embeddings of the pieces).
    """
    en_cands = _en_cut_candidates(en, _EN_CANDIDATES if scored else 1)
    if not en_cands:
        return None
    if not zh:
        return en_cands[0], None
    options: list[tuple[int, int, int]] = []  # (rank, en cut, zh cut)
    breaks = zh_allowed_breaks(zh) if len(zh) >= 2 else []
    for rank_e, i in enumerate(en_cands):
        frac = i / len(en)
        for rank_z, j in enumerate(_zh_cut_candidates(zh, frac, _CUT_CANDIDATES if scored else 1, breaks)):
            options.append((rank_e + rank_z, i, j))
    if not options:
        return en_cands[0], None
    if not scored or len(options) == 1:
        return options[0][1], options[0][2]
    # Every half is a span of the pair's English or Chinese: one pass over each.
    zh_cuts = sorted({j for _, _, j in options})
    en_rows, zh_rows = yield [
        (en, [s for i in en_cands for s in ((0, i), (i, len(en)))]),
        (zh, [s for j in zh_cuts for s in ((0, j), (j, len(zh)))]),
    ]
    en_at = {i: k for k, i in enumerate(en_cands)}
    zh_at = {j: k for k, j in enumerate(zh_cuts)}
    # Similarity of the halves, less their crossed similarity, less a little for
    # leaving the heuristics' order: every option's score from four products.
    ea, eb, za, zb = en_rows[0::2], en_rows[1::2], zh_rows[0::2], zh_rows[1::2]
    own = ea @ za.T + eb @ zb.T
    crossed = ea @ zb.T + eb @ za.T
    e = np.array([en_at[i] for _, i, _ in options])
    z = np.array([zh_at[j] for _, _, j in options])
    scores = own[e, z].astype(np.float64) - _CROSS_WEIGHT * crossed[e, z] - 0.01 * np.array([r for r, _, _ in options])
    best = options[int(np.argmax(scores))]  # the first of equals, in the heuristics' order
    return best[1], best[2]


# Measured with benchmarks/cues.py (own-Chinese-best share, USE / e5 judge):
# 3 English candidates, no cross term 0.880 / 0.848; 8 and 0.5: 0.902 / 0.871.
_EN_CANDIDATES = 8
_CUT_CANDIDATES = 24
# Weight of the crossed similarities (A's English with B's Chinese and back):
# a cut is good when each half matches its own half *better than the other*.
_CROSS_WEIGHT = 0.5


def _force_split_steps(
    piece: Piece, duration: float, profile: StyleProfile, scored: bool, depth: int = 0
) -> SpanSteps[list[Piece]]:
    """Cut a piece in two, in step, until every part fits (or cannot be cut); both halves side by side."""
    # Every cut makes both parts shorter, so this ends; the depth limit only guards against a bug.
    if fits(piece.en, piece.zh, duration, profile) or depth > 64:
        return [piece]
    cut = yield from _best_cut_steps(piece.en, piece.zh, scored)
    if cut is None:
        # English too short to cut ("Yeah,") beside long Chinese: cut the Chinese alone.
        cands = _zh_cut_candidates(piece.zh, 0.5, 1) if piece.zh else []
        if not cands:
            return [piece]
        en_a, en_b, zh_a, zh_b = piece.en, "", piece.zh[: cands[0]], piece.zh[cands[0] :]
    else:
        i, j = cut
        en_a, en_b = piece.en[:i].strip(), piece.en[i:].strip()
        zh_a, zh_b = (piece.zh[:j], piece.zh[j:]) if j is not None else (piece.zh, "")
    a, b = Piece(en_a, zh_a), Piece(en_b, zh_b)
    da = duration * _weights([a, b])[0]
    halves = yield from gather(
        [
            _force_split_steps(a, da, profile, scored, depth + 1),
            _force_split_steps(b, duration - da, profile, scored, depth + 1),
        ]
    )
    return halves[0] + halves[1]


# The clause aligner must not leave clauses out: a skip costs more than any pair.
_CLAUSE_ALIGNER = AlignerConfig(max_bead=6, max_side=4, max_fan=4, length_weight=0.6)
_CLAUSE_SKIP = 3.0


def _clause_beads_steps(en_units: list[str], zh_units: list[str], scored: bool) -> SpanSteps[list[Piece]]:
    """In-step clause groups of one pair (every clause in exactly one group)."""
    if len(en_units) == 1 or len(zh_units) == 1 or not scored:
        return _length_beads(en_units, zh_units)
    sw, tw = yield from gather(
        [
            span_windows_steps(en_units, _CLAUSE_ALIGNER.max_side, " "),
            span_windows_steps(zh_units, _CLAUSE_ALIGNER.max_side, ""),
        ]
    )
    total_en = sum(len(u) for u in en_units) or 1
    total_zh = sum(len(u) for u in zh_units) or 1
    pool_src = sw.vecs[1]
    pool_tgt = tw.vecs[1]
    cal = Calibration(pool_src, pool_tgt, _CLAUSE_SKIP, math.log(total_zh / total_en))
    beads = align_windows(sw, tw, _CLAUSE_ALIGNER, cal)
    pieces: list[Piece] = []
    pending_zh = ""
    for b in beads:
        en = _join_en([en_units[i] for i in b.src])
        zh = _join_zh([zh_units[j] for j in b.tgt])
        if not en:
            # Chinese clause with no English: keep it with its neighbour.
            if pieces:
                pieces[-1] = Piece(pieces[-1].en, pieces[-1].zh + zh)
            else:
                pending_zh += zh
            continue
        if not zh and pieces:
            pieces[-1] = Piece(_join_en([pieces[-1].en, en]), pieces[-1].zh)
            continue
        pieces.append(Piece(en, pending_zh + zh))
        pending_zh = ""
    if pending_zh:  # only when no clause had English, which the caller rules out
        pieces.append(Piece("", pending_zh))
    return pieces


def _length_beads(en_units: list[str], zh_units: list[str]) -> list[Piece]:
    """Without a model: pair clauses by cumulative length (monotone)."""
    if len(en_units) == 1 or len(zh_units) == 1:
        return [Piece(_join_en(en_units), _join_zh(zh_units))]
    total_en = sum(len(u) for u in en_units)
    total_zh = sum(len(u) for u in zh_units)
    # Each Chinese clause goes with the English clause its midpoint falls in.
    groups: list[list[str]] = [[] for _ in en_units]
    bounds, acc = [], 0
    for u in en_units:
        acc += len(u)
        bounds.append(acc / total_en)
    pos = 0
    for u in zh_units:
        mid = (pos + len(u) / 2) / total_zh
        pos += len(u)
        k = next(i for i, b in enumerate(bounds) if mid <= b or i == len(bounds) - 1)
        groups[k].append(u)
    pieces: list[Piece] = []
    for en, zh in zip(en_units, groups, strict=True):
        if not zh and pieces:
            pieces[-1] = Piece(_join_en([pieces[-1].en, en]), pieces[-1].zh)
        else:
            pieces.append(Piece(en, _join_zh(zh)))
    return pieces


def _boundary_cost(en: str) -> float:
    """How bad it is to end a cue after this English: sentence ends are free."""
    end = en.rstrip("\"'”’)]")
    if end[-1:] in ".!?…":
        return 0.0
    if end[-1:] in ";:—":
        return 0.3
    if end[-1:] == ",":
        return 0.6
    return 1.0


def _group(pieces: list[Piece], duration: float, profile: StyleProfile) -> list[Piece]:
    """Contiguous groups of pieces: as few as fit, ending at strong boundaries (DP)."""
    n = len(pieces)
    weights = _weights(pieces)
    inf = math.inf
    best: list[tuple[float, int]] = [(0.0, -1)] + [(inf, -1)] * n
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            en = _join_en([p.en for p in pieces[i:j]])
            zh = _join_zh([p.zh for p in pieces[i:j]])
            dur = duration * sum(weights[i:j])
            if j - i > 1 and not fits(en, zh, dur, profile):
                break  # longer groups only get longer; a single unfit piece is cut later
            short = max(0.0, profile.min_duration - dur)
            cost = best[i][0] + 1.0 + short * 2.0 + (0.5 * _boundary_cost(en) if j < n else 0.0)
            if cost < best[j][0]:
                best[j] = (cost, i)
    out: list[Piece] = []
    j = n
    while j > 0:
        i = best[j][1]
        out.append(Piece(_join_en([p.en for p in pieces[i:j]]), _join_zh([p.zh for p in pieces[i:j]])))
        j = i
    out.reverse()
    return out


def split_pair(
    en: str, zh: str, duration: float, profile: StyleProfile, model: Embedder | SpanSource | None
) -> list[Piece]:
    """The pieces (future cues) of one pair's text spoken over ``duration`` seconds.

    ``model`` scores the cuts (a `SpanSource` whose prepared texts include
    ``en`` and ``zh`` reads them from one batch); ``None`` cuts by length.
    """
    source = model if isinstance(model, SpanSource) or model is None else SpanSource(model)
    return run_steps(split_pair_steps(en, zh, duration, profile, source is not None), source)


def split_pair_steps(en: str, zh: str, duration: float, profile: StyleProfile, scored: bool) -> SpanSteps[list[Piece]]:
    """`split_pair` as `SpanSteps`: the cut search of many pairs can then share each model pass (`gather`)."""
    if fits(en, zh, duration, profile) or not en:
        return [Piece(en, zh)]
    en_units = en_clauses(en)
    zh_units = zh_clauses(zh) if zh else []
    beads = [Piece(u, "") for u in en_units] if not zh_units else (
        yield from _clause_beads_steps(en_units, zh_units, scored)
    )
    grouped = _group(beads, duration, profile)
    weights = _weights(grouped)
    parts = yield from gather(
        [_force_split_steps(g, duration * w, profile, scored) for g, w in zip(grouped, weights, strict=True)]
    )
    out = [p for part in parts for p in part]
    return (yield from _rebalance_steps(out, duration, profile)) if scored else out


# Chinese cut positions tried around each boundary between a pair's pieces,
# and how much better (own minus crossed similarity) a new cut must score.
# benchmarks/cues.py, own-Chinese-best share USE / e5: 4 positions 0.914 /
# 0.881, 8: 0.923 / 0.889, 16: 0.929 / 0.889.
_REBALANCE_CANDIDATES = 8
_REBALANCE_MARGIN = 0.02


def _rebalance_steps(pieces: list[Piece], duration: float, profile: StyleProfile) -> SpanSteps[list[Piece]]:
    """Move each Chinese boundary between a pair's pieces to where the halves match their English best.

    The clause aligner pairs whole clauses; a translator often moves a few
    words across a clause boundary.  With the English fixed, the Chinese cut
    may move to a nearby word boundary if each half then matches its own
    English better than the other's (own minus crossed similarity), and both
    still fit.  Each boundary is judged after the one before it has moved.
    """
    out = list(pieces)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        joint = a.zh + b.zh
        if not a.en or not b.en or len(joint) < 2:
            continue
        here = len(a.zh)
        cands = sorted(
            (p for p in zh_allowed_breaks(joint) if p != here),
            key=lambda p: (abs(p - here), p),
        )[:_REBALANCE_CANDIDATES]
        if not cands:
            continue
        cands = [here, *cands]
        english = f"{a.en} {b.en}"
        en_rows, zh_rows = yield [
            (english, [(0, len(a.en)), (len(a.en) + 1, len(english))]),
            (joint, [s for p in cands for s in ((0, p), (p, len(joint)))]),
        ]
        ea, eb = en_rows[0], en_rows[1]
        scores = [
            float(ea @ za + eb @ zb) - _CROSS_WEIGHT * float(ea @ zb + eb @ za)
            for za, zb in zip(zh_rows[0::2], zh_rows[1::2], strict=True)
        ]
        # The best-scoring cut that still fits both pieces (checked in that order: most fit).
        weights = _weights(out)
        da, db = duration * weights[k], duration * weights[k + 1]
        for best in sorted(range(1, len(cands)), key=lambda i: -scores[i]):
            if scores[best] <= scores[0] + _REBALANCE_MARGIN:
                break
            p = cands[best]
            if fits(a.en, joint[:p], da, profile) and fits(b.en, joint[p:], db, profile):
                out[k], out[k + 1] = Piece(a.en, joint[:p]), Piece(b.en, joint[p:])
                break
    return out


def _ids_in_span(sentences: Sequence[Sentence], offsets: list[tuple[int, int]], a: int, b: int) -> tuple[int, ...]:
    """Ids of the sentences whose characters (``offsets`` in the joined text) overlap ``a..b``."""
    return tuple(s.index for s, (sa, sb) in zip(sentences, offsets, strict=True) if sa < b and sb > a)


def _offsets(parts: Sequence[str], sep: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for p in parts:
        out.append((pos, pos + len(p)))
        pos += len(p) + sep
    return out


def _neighbour_for(k: int, timed: Sequence[TimedPair]) -> tuple[int, bool] | None:
    """Index of the English-bearing pair an addition at ``k`` joins, and whether it comes after."""
    section = timed[k].pair.section
    for j in range(k + 1, len(timed)):
        if timed[j].pair.en and timed[j].pair.section == section:
            return j, True
    for j in range(k - 1, -1, -1):
        if timed[j].pair.en and timed[j].pair.section == section:
            return j, False
    for j in range(len(timed)):
        if timed[j].pair.en:
            return j, j > k
    return None


def _speaker_runs(
    en_sents: Sequence[Sentence], zh: str, embedder: Embedder | None
) -> list[tuple[str | None, str, str]]:
    """The pair cut where its English changes speaker: ``(speaker, English, Chinese)`` per turn.

    A cue never holds two speakers, so a pair whose English sentences come
    from two turns is cut there; the Chinese is cut at the clause boundary
    whose halves render the two turns best (own similarity minus half the
    crossed one), or by length without a model.
    """
    runs: list[tuple[str | None, list[str]]] = []
    for s in en_sents:
        if runs and runs[-1][0] == s.speaker:
            runs[-1][1].append(s.text)
        else:
            runs.append((s.speaker, [s.text]))
    if len(runs) == 1:
        return [(runs[0][0], _join_en(runs[0][1]), zh)]
    out: list[tuple[str | None, str, str]] = []
    rest = zh
    for k, (speaker, texts) in enumerate(runs):
        en = _join_en(texts)
        if k == len(runs) - 1:
            out.append((speaker, en, rest))
            break
        later = _join_en([t for _, ts in runs[k + 1 :] for t in ts])
        cuts = sorted({0, len(rest), *(m.end() for m in _ZH_CLAUSE.finditer(rest))})
        share = len(en) / max(1, len(en) + len(later))
        if embedder is None or len(cuts) <= 2:
            cut = min(cuts, key=lambda c: abs(c - share * len(rest)))
        else:
            vecs = embedder.encode([en, later] + [x for c in cuts for x in (rest[:c], rest[c:])])
            ea, eb = vecs[0], vecs[1]
            scores = [
                float(ea @ za + eb @ zb) - _CROSS_WEIGHT * float(ea @ zb + eb @ za)
                for za, zb in zip(vecs[2::2], vecs[3::2], strict=True)
            ]
            cut = cuts[max(range(len(cuts)), key=scores.__getitem__)]
        out.append((speaker, en, rest[:cut]))
        rest = rest[cut:]
    return out


#: Pairs whose texts are prepared together for the cut scores (one batch of token features).
_PREPARED_PAIRS = 64


@dataclass(frozen=True)
class _PairToCut:
    """One pair's sentences (with the additions it carries), texts and duration, and its speaker turns."""

    at: int
    en_sents: list[Sentence]
    zh_sents: list[Sentence]
    en: str
    zh: str
    duration: float
    runs: list[tuple[str | None, str, str]]
    run_durations: list[float]


def _drafts(timed: Sequence[TimedPair], profile: StyleProfile, embedder: Embedder | None) -> list[_Draft]:
    before: dict[int, list[Sentence]] = {}
    after: dict[int, list[Sentence]] = {}
    for k, tp in enumerate(timed):
        if tp.pair.en:
            continue
        target = _neighbour_for(k, timed)
        if target is None:
            continue  # no English anywhere: nothing can be timed (the reader refuses such input)
        j, is_after = target
        (before if is_after else after).setdefault(j, []).extend(tp.pair.zh)
    source = SpanSource(embedder) if embedder is not None else None
    drafts: list[_Draft] = []
    with_english = [k for k, tp in enumerate(timed) if tp.pair.en]
    for at in range(0, len(with_english), _PREPARED_PAIRS):
        block = with_english[at : at + _PREPARED_PAIRS]
        pairs: list[_PairToCut] = []
        for k in block:
            tp = timed[k]
            en_sents = list(tp.pair.en)
            zh_sents = before.get(k, []) + list(tp.pair.zh) + after.get(k, [])
            en, zh = _join_en([s.text for s in en_sents]), _join_zh([s.text for s in zh_sents])
            runs = _speaker_runs(en_sents, zh, embedder)
            shares = _weights([Piece(e, z) for _, e, z in runs])
            d = tp.end - tp.start
            pairs.append(_PairToCut(k, en_sents, zh_sents, en, zh, d, runs, [d * w for w in shares]))
        if source is not None:
            # The block's pairs are cut from one batch of token features; only pairs that will be cut are scored.
            source.forget()
            source.prepare(t for c in pairs if not fits(c.en, c.zh, c.duration, profile) for t in (c.en, c.zh))
        # The cut search of every turn of the block side by side: each model pass serves them all.
        searches = [
            split_pair_steps(en, zh, d, profile, source is not None)
            for c in pairs
            for (_, en, zh), d in zip(c.runs, c.run_durations, strict=True)
        ]
        cut = iter(run_steps(gather(searches), source))
        for c in pairs:
            tp, en_sents, zh_sents = timed[c.at], c.en_sents, c.zh_sents
            placed: list[tuple[Piece, str | None, float]] = []
            for (speaker, _, _), d in zip(c.runs, c.run_durations, strict=True):
                pieces = next(cut)
                placed += [(p, speaker, d * w) for p, w in zip(pieces, _weights(pieces), strict=True)]
            en_off = _offsets([s.text for s in en_sents], 1)
            zh_off = _offsets([s.text for s in zh_sents], 0)
            starts = _piece_starts(tp, [(p.en, d) for p, _, d in placed])
            ends = [*starts[1:], tp.end]
            pe, pz = 0, 0
            for (p, speaker, _), a, b in zip(placed, starts, ends, strict=True):
                en_ids = _ids_in_span(en_sents, en_off, pe, pe + len(p.en))
                zh_ids = _ids_in_span(zh_sents, zh_off, pz, pz + len(p.zh)) if p.zh else ()
                pe += len(p.en) + 1
                pz += len(p.zh)
                drafts.append(_Draft(a, b, p.en, p.zh, tp.pair.section, tp.estimated, en_ids, zh_ids, speaker))
    if source is not None:
        source.forget()
    return drafts


def _piece_starts(tp: TimedPair, pieces: Sequence[tuple[str, float]]) -> list[float]:
    """Where each piece of a pair starts: its first English word's heard time where known, else by length.

    Pieces share the pair's span by their text (`_weights`); when the
    timing knows when a piece's first word was heard (captions with word
    times, or the speech), the piece starts there, never before the piece
    ahead of it nor past the pair's end.
    """
    out: list[float] = []
    t, word = tp.start, 0
    for k, (en, duration) in enumerate(pieces):
        heard = tp.word_starts[word] if k and word < len(tp.word_starts) else None
        start = t if heard is None else min(max(heard, out[-1] if out else tp.start), tp.end)
        out.append(start)
        t = start + duration if heard is not None else t + duration
        word += len(en.split())
    return out


def _dialogue_fits(a: _Draft, b: _Draft, profile: StyleProfile) -> bool:
    """Whether two turns fit one dash cue: one line each per language, hyphen included."""
    if profile.dialogue != "dash" or profile.max_lines < 2 or a.dialogue or b.dialogue:
        return False
    for text_a, text_b, lang in ((a.en, b.en, Lang.EN), (a.zh, b.zh, Lang.ZH)):
        for text in (text_a, text_b):
            if text and line_length("-" + text, lang) > line_limit(profile, lang):
                return False
        if bool(text_a) != bool(text_b):
            return False
    return True


def _merge_short(drafts: list[_Draft], profile: StyleProfile) -> list[_Draft]:
    out: list[_Draft] = []
    for d in drafts:
        if out:
            prev = out[-1]
            short = min(prev.duration, d.duration) < profile.merge_below
            same = prev.section == d.section and d.start - prev.end <= profile.chain_gap + 1e-9
            merged_ids = (tuple(dict.fromkeys(prev.en_ids + d.en_ids)), tuple(dict.fromkeys(prev.zh_ids + d.zh_ids)))
            if short and same and prev.speaker == d.speaker and not prev.dialogue:
                en = _join_en([prev.en, d.en])
                zh = _join_zh([prev.zh, d.zh])
                if fits(en, zh, d.end - prev.start, profile):
                    out[-1] = _Draft(
                        prev.start,
                        d.end,
                        en,
                        zh,
                        prev.section,
                        prev.estimated or d.estimated,
                        *merged_ids,
                        prev.speaker,
                    )
                    continue
            if short and same and prev.speaker != d.speaker and _dialogue_fits(prev, d, profile):
                span = d.end - prev.start
                if span <= profile.max_duration:
                    out[-1] = _Draft(
                        prev.start,
                        d.end,
                        f"-{prev.en}\n-{d.en}" if d.en else "",
                        f"-{prev.zh}\n-{d.zh}" if d.zh else "",
                        prev.section,
                        prev.estimated or d.estimated,
                        *merged_ids,
                        prev.speaker,
                        dialogue=True,
                    )
                    continue
        out.append(replace(d))
    return out


def _fix_times(drafts: list[_Draft], profile: StyleProfile) -> None:
    """Chaining, minimum duration, gaps, frame snapping; in place.

    A cue comes in on its speech onset and goes out at most
    ``profile.max_linger`` after its speech ends; the one exception is a cue
    shorter than the minimum duration, which borrows time (the gap after it,
    then the next cue's start, then the previous cue's end) up to the minimum.

    A cue only takes time its neighbours can spare (they stay at or above the
    minimum duration); times never move past a neighbour's neighbour, so the
    whole stays within the span the timing gave.  What cannot be fixed stays
    as it is and is reported by the linter.
    """
    fps = profile.fps
    gap = profile.min_gap
    low = profile.min_duration

    def snap(t: float) -> float:
        return round(t * fps) / fps

    for d in drafts:
        d.start, d.end = snap(d.start), snap(d.end)
    # Where each cue's speech ends, before any lengthening: chaining may not
    # hold a cue on screen longer than ``max_linger`` after it.
    speech_end = [d.end for d in drafts]
    n = len(drafts)

    def chain() -> None:
        # Close gaps of up to ``chain_gap`` to the minimum gap by ending later
        # (never by starting the next cue before its speech).
        for i in range(n - 1):
            d, nxt = drafts[i], drafts[i + 1]
            space = nxt.start - d.end
            if gap + 1e-9 < space <= profile.chain_gap + 1e-9:
                chained = snap(nxt.start - gap)
                if chained <= speech_end[i] + profile.max_linger + 1e-9:
                    d.end = chained

    # Chaining first: a short cue then finds its minimum duration in the gap
    # after it before borrowing from a neighbour.
    chain()
    for i, d in enumerate(drafts):
        if d.duration >= low - 1e-9:
            continue
        if i + 1 < n:  # take the gap after it, then from the next cue's start
            nxt = drafts[i + 1]
            free = max(0.0, nxt.start - gap - d.end)
            spare = max(0.0, nxt.duration - low)
            take = min(low - d.duration, free + spare)
            d.end = snap(d.end + take)
            nxt.start = max(nxt.start, snap(d.end + gap)) if take > 0 else nxt.start
        else:  # the last cue may run on after the speech
            d.end = snap(d.start + low)
        if d.duration < low - 1e-9 and i > 0:  # then from the previous cue's end
            prev = drafts[i - 1]
            spare = max(0.0, prev.duration - low)
            take = min(low - d.duration, spare)
            if take > 0:
                d.start = snap(d.start - take)
                prev.end = min(prev.end, snap(d.start - gap))
    for i in range(n - 1):
        d, nxt = drafts[i], drafts[i + 1]
        space = nxt.start - d.end
        if space < gap - 1e-9:
            # Too close: end earlier if this cue can spare it, else start the next one later.
            if d.duration - (gap - space) >= low - 1e-9:
                d.end = snap(nxt.start - gap)
            elif nxt.duration - (gap - space) >= low - 1e-9:
                nxt.start = snap(d.end + gap)
            else:
                d.end = snap(max(d.start, nxt.start - gap))
    chain()
    for d in drafts:
        if d.duration > profile.max_duration:
            d.end = snap(d.start + profile.max_duration)


def _guarantee_minimum(drafts: list[_Draft], profile: StyleProfile, end_limit: float | None) -> list[_Draft]:
    """Every cue at least the minimum duration and the minimum gap apart, inside ``end_limit``; in frames.

    `_fix_times` only takes time neighbours can spare; where speech is
    crowded (a condensed translation cut into many short pieces, estimated
    times, a duration shorter than the text) that is not enough.  Here a
    cue that is still short pushes the cues after it later, as little as
    needed (the push is absorbed by the next pause); at the end of the
    episode, cues are pulled earlier instead.  If the span is too short
    even so, a cue merges with its neighbour where the joined text fits;
    failing that, cues run past ``end_limit`` (the pipeline says so).
    """
    fps = profile.fps
    low = math.ceil(profile.min_duration * fps - 1e-6)
    high = math.floor(profile.max_duration * fps + 1e-6)
    gap = profile.min_gap_frames
    last = math.floor(end_limit * fps + 1e-9) if end_limit is not None else None
    while True:
        frames = [[round(d.start * fps), round(d.end * fps)] for d in drafts]
        for k, f in enumerate(frames):
            if k:
                f[0] = max(f[0], frames[k - 1][1] + gap)
            f[1] = min(max(f[1], f[0] + low), f[0] + high)
        if last is not None and frames and frames[-1][1] > last:
            for k in range(len(frames) - 1, -1, -1):
                f = frames[k]
                limit = last if k == len(frames) - 1 else frames[k + 1][0] - gap
                f[1] = min(f[1], limit)
                f[0] = min(f[0], f[1] - low)
        bad = [
            k for k, f in enumerate(frames) if f[1] - f[0] < low or f[0] < 0 or (k and f[0] < frames[k - 1][1] + gap)
        ]
        if not bad or len(drafts) < 2:
            break
        k = bad[0]
        j = k - 1 if k > 0 else k + 1
        a, b = (drafts[j], drafts[k]) if j < k else (drafts[k], drafts[j])
        en, zh = _join_en([a.en, b.en]), _join_zh([a.zh, b.zh])
        if a.dialogue or b.dialogue or not fits(en, zh, 0.0, profile):
            if last is None:
                break
            # The text needs more time than the episode has at the minimum duration
            # (a duration given too short): cues run past the end rather than vanish.
            last = None
            continue
        merged = _Draft(
            a.start,
            b.end,
            en,
            zh,
            a.section,
            a.estimated or b.estimated,
            tuple(dict.fromkeys(a.en_ids + b.en_ids)),
            tuple(dict.fromkeys(a.zh_ids + b.zh_ids)),
            a.speaker,
        )
        i = min(j, k)
        drafts = [*drafts[:i], merged, *drafts[i + 2 :]]
    for d, (first, last_frame) in zip(drafts, frames, strict=True):
        d.start, d.end = max(0, first) / fps, max(0, last_frame) / fps
    return drafts


def build_cues(
    timed: Sequence[TimedPair],
    profile: StyleProfile | None = None,
    embedder: Embedder | None = None,
    end_limit: float | None = None,
) -> list[Cue]:
    """Cues in time order under ``profile`` (default ``netflix``).

    ``embedder`` aligns clauses inside long pairs; without it clauses are
    paired by length alone.  ``end_limit`` is the end of the episode when
    known: no cue runs past it, whatever the rounding to frames.  Cue text
    carries its line breaks (``\\n``).
    """
    profile = profile or PROFILES["netflix"]
    drafts = _merge_short(_drafts(timed, profile, embedder), profile)
    _fix_times(drafts, profile)
    drafts = _guarantee_minimum(drafts, profile, end_limit)
    cues = []
    for n, d in enumerate(drafts, 1):
        if d.dialogue:
            en_lines, zh_lines = d.en.split("\n") if d.en else [], d.zh.split("\n") if d.zh else []
        else:
            en_lines = break_lines(d.en, Lang.EN, profile) or [d.en] if d.en else []
            zh_lines = break_lines(d.zh, Lang.ZH, profile) or [d.zh] if d.zh else []
        cues.append(
            Cue(
                index=n,
                start=round(d.start, 3),
                end=round(d.end, 3),
                en="\n".join(en_lines),
                zh="\n".join(zh_lines),
                estimated=d.estimated,
                en_ids=d.en_ids,
                zh_ids=d.zh_ids,
            )
        )
    return cues
