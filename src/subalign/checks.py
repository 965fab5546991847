"""Translation checks on aligned pairs, and the quality gate.

Each check is a pure function from the alignment to a list of
:class:`~subalign.model.Finding`.  Thresholds are named in
:class:`CheckThresholds`; similarity thresholds are never one cosine for all
models -- they are derived from the distribution of the document's own pair
scores (robust z-score against the median and MAD), because models differ
widely in where their cosines sit (e5: 0.82-0.87, USE: 0.2-0.9).

:func:`alignment_gate` returns the reasons not to trust an alignment, as
ffsubsync's quality gate does: an empty list means trust.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .consistency import (
    GlossaryEntry,
    check_glossary,
    cleared_by_glossary,
    every_place_of_flagged_renderings,
    with_groups,
)
from .embed import Embedder, FloatMatrix
from .glossary import is_standard_rendering, rendered_in, stands_for
from .model import AlignedPair, Alignment, Finding, KeptFragment, Lang, Sentence, Severity
from .numbers import (
    chinese_numbers,
    chinese_ordinals,
    code_mismatch,
    codes,
    english_numbers,
    english_ordinals,
    number_mismatch,
    same_code,
)


@dataclass(frozen=True)
class CheckThresholds:
    """Every limit the checks and the gate use, in one place.

    ``low_similarity_z``: a 1-1 or m:n pair whose score lies this many robust
    standard deviations below the document's median is reported (4.5: at
    3.5 most reports on well-translated TED talks were free renderings the
    model scores low; see benchmarks/README.md); as
    information only when its English is shorter than
    ``low_similarity_min_words`` words (the embedding of "Spread the word." or
    "And I said, 'Yes.'" says little about a free rendering of it).
    ``low_similarity_unrelated_quantile``: with a model, a pair that matches
    no better than this share of the document's unrelated pairings is
    reported too (see `check_low_similarity`).
    ``gate_max_unaligned_share``: more than this share of sentences (either
    language) left unaligned means the alignment itself is suspect.
    ``length_ratio_z``: a pair (English of at least ``length_min_chars``)
    whose log length ratio lies this many robust deviations from the
    document's is reported.
    ``addition_min_chars``: a Chinese sentence with no English at least this
    long is a warning (shorter ones, lead-ins the translator adds, are
    information).
    ``merged_omission_min_words``: an English sentence folded into a merged
    pair that seems untranslated is a warning from this many words on (and
    shorter ones are not tested for misplaced Chinese).
    ``misplaced_margin``, ``misplaced_min_distance``: see `check_misplaced`.
    ``partial_omission_z``: Chinese this many robust deviations shorter than
    the document's usual length ratio is a partial omission when no model is
    at hand; with one, ``partial_length_alone_z`` is enough on its own, and
    from ``partial_clause_z`` on the pair is tested clause by clause: the
    English clause that matches the Chinese worst is reported when the pair
    matches better without it by more than ``partial_clause_gain`` (0.02,
    chosen on TED's development talks with `benchmarks/quality.py`'s suite:
    partial-omission F1 0.738 | 0.732 | 0.729 | 0.692 at 0 | 0.01 | 0.02 |
    0.03, findings on the unperturbed talks 97 | 95 | 93 | 87; held out
    0.683 -> 0.689 and 52 -> 51 at 0.02; the faithful long episode's clause
    findings 16 -> 12, held out 12 -> 9).
    ``gate_min_median_margin``: the document's median pair score must exceed
    its 10th percentile of scores by this much, else the model cannot tell
    translations from non-translations in this document.
    ``room_next_door_z``, ``room_next_door_share``: English left with no
    Chinese beside a line whose Chinese is long for its own English (this
    many robust deviations) and holds at least this share of the Chinese
    both English texts would need (at the document's usual ratio) is
    probably rendered there: information, not a warning (see
    `check_omissions`).
    ``rendered_next_door_slack``, ``rendered_next_door_margin``: the edge of
    a neighbouring line's Chinese renders English left alone when it matches
    it at least as well as the document's weak pairs and better than every
    English sentence of that line; or, this much below the weak pairs, when
    it matches it by this margin better than each of them (chosen on the
    development halves: TED's deleted lines all stay warnings, and the
    faithful long episode's omission warnings fall from 52 to 35; held out:
    120 of 120 kept, 45 to 30; see benchmarks/README.md).
    ``merged_short_z``, ``merged_short_gain_slack``, ``merged_short_own_slack``,
    ``merged_short_clause_margin``: the length evidence for a sentence of a
    merged pair (`_length_says_unrendered`): Chinese this many robust
    deviations short for the pair's English; leaving the sentence out may
    cost the match this much; the sentence matches the Chinese at most this
    much above the document's weak pairs; and a clause clears it only this
    much above them.  Chosen on the development half of the Bible's deleted
    verses (3 draws; F1 0.849 without, 0.867 with 1.5 / 0.02 / 0.1, and
    0.865 with the clause margin, which the sample's condensed translation
    needs: "They're not building a single thing." is rendered in a clause of
    "Tesla 不是在制造单个产品，而是…"); held out 0.790 -> 0.809.
    ``merged_later_gain``: after `refine_merged`'s first pass, a second
    sentence comes out of a pair only when the pair matches this much better
    without it (at any gain, the faithful long episode's unpunctuated Chinese
    paragraphs lost three sentences they render; none at 0.05).
    """

    low_similarity_z: float = 4.5
    low_similarity_min_words: int = 5
    low_similarity_unrelated_quantile: float = 0.75
    gate_max_unaligned_share: float = 0.2
    gate_min_median_margin: float = 0.05
    min_pairs_for_calibration: int = 8
    length_ratio_z: float = 4.0
    partial_omission_z: float = 3.0
    partial_length_alone_z: float = 3.5
    partial_clause_z: float = 2.0
    merged_gain: float = 0.0
    partial_clause_gain: float = 0.02
    merged_own_quantile: float = 0.1
    length_min_chars: int = 40
    addition_min_chars: int = 12
    merged_omission_min_words: int = 5
    misplaced_margin: float = 0.2
    misplaced_min_distance: int = 3
    room_next_door_z: float = 2.0
    room_next_door_share: float = 0.8
    rendered_next_door_slack: float = 0.1
    rendered_next_door_margin: float = 0.05
    merged_short_z: float = 1.5
    merged_short_gain_slack: float = 0.02
    merged_short_own_slack: float = 0.1
    merged_short_clause_margin: float = 0.1
    merged_later_gain: float = 0.05


def _robust_stats(scores: Sequence[float]) -> tuple[float, float]:
    median = statistics.median(scores)
    mad = statistics.median(abs(s - median) for s in scores)
    return median, max(1.4826 * mad, 1e-6)


def _low_score(alignment: Alignment, th: CheckThresholds) -> float | None:
    """The document's ``merged_own_quantile`` pair score: what its weakest translations reach (None: too few pairs)."""
    scores = sorted(p.score for p in alignment.pairs if p.en and p.zh and p.score is not None)
    if len(scores) < th.min_pairs_for_calibration:
        return None
    return scores[int(th.merged_own_quantile * (len(scores) - 1))]


def _similarity(embedder: Embedder, texts: set[str]) -> Callable[[str, str], float]:
    """Cosine between any two of ``texts``, each embedded once."""
    ordered = sorted(texts)
    index = {t: k for k, t in enumerate(ordered)}
    vecs = embedder.encode(ordered) if ordered else np.zeros((0, 1), dtype=np.float32)

    def sim(a: str, b: str) -> float:
        return float(vecs[index[a]] @ vecs[index[b]])

    return sim


def _encode_joined(embedder: Embedder, texts: Sequence[str], joins: dict[str, tuple[Sentence, ...]]) -> FloatMatrix:
    """Vectors of ``texts``, those that join consecutive sentences (``joins``) read from the sentences' pooled rows.

    A pooling store (USE) embeds a run of sentences from what it holds for
    each (`subalign.spans.concatenations`), without another pass of the
    model; other texts, and every text for other models, are embedded as
    they are.
    """
    from .embed import CachedEmbedder
    from .spans import concatenations

    if not (isinstance(embedder, CachedEmbedder) and embedder.pooling):
        return embedder.encode(list(texts))
    out = np.zeros((len(texts), 512), dtype=np.float32)
    plain: list[int] = []
    runs: dict[Lang, dict[int, list[tuple[int, int]]]] = {Lang.EN: {}, Lang.ZH: {}}  # lang -> size -> (row, first)
    for row, text in enumerate(texts):
        sents = joins.get(text, ())
        consecutive = len(sents) > 1 and all(b.index == a.index + 1 for a, b in itertools.pairwise(sents))
        if consecutive and len({s.lang for s in sents}) == 1:
            runs[sents[0].lang].setdefault(len(sents), []).append((row, sents[0].index))
        else:
            plain.append(row)
    if plain:
        out[plain] = embedder.encode([texts[r] for r in plain])
    for lang, by_size in runs.items():
        if not by_size:
            continue
        wanted_sents = {s.index: s.text for t in texts for s in joins.get(t, ()) if s.lang is lang}
        first, last = min(wanted_sents), max(wanted_sents)
        # Units cover the indices spanned; ones no run needs are never read (only the runs' own joints are).
        units = [wanted_sents.get(i, "") for i in range(first, last + 1)]
        got = concatenations(
            embedder,
            units,
            " " if lang is Lang.EN else "",
            {k: [start - first for _, start in rows] for k, rows in by_size.items()},
        )
        for k, rows in by_size.items():
            out[[r for r, _ in rows]] = got[k]
    return out


def _finding(p: AlignedPair, kind: str, severity: Severity, message: str, **measured: float) -> Finding:
    """A finding located at pair ``p`` with the measured value and its limit, if any."""
    return Finding.at(p, kind, severity, message, measured.get("value"), measured.get("threshold"))


def _neighbours(alignment: Alignment) -> dict[int, list[AlignedPair]]:
    """The pairs just before and after each pair (same section), keyed by ``id(pair)``.

    Translations move a clause, a name or a number across a line boundary
    (TED's Chinese lines often end with the start of the next English
    sentence); what a neighbour carries is shifted, not lost or invented.
    """
    pairs = alignment.pairs
    return {
        id(p): [q for q in pairs[max(0, k - 1) : k + 2] if q is not p and q.section == p.section]
        for k, p in enumerate(pairs)
    }


def check_omissions(
    alignment: Alignment, embedder: Embedder | None = None, thresholds: CheckThresholds | None = None
) -> list[Finding]:
    """English sentences with no Chinese rendering.

    With ``embedder``, a sentence that a run of clauses at the edge of a
    neighbouring line's Chinese renders (or, where lines run together with
    no punctuation, its characters at the edge: about as many as the
    sentence would take, and twice that) -- at least as well as the
    document's low pairs match, and better than any English sentence of that
    line does -- is information only: the translator moved it into the next
    (or previous) sentence ("所以与其说这是一个单一的系统，…" opening the
    line after "So maybe it's not correct to think about it.").
    """
    th = thresholds or CheckThresholds()
    rendered = _rendered_by_neighbour(alignment, embedder, th) if embedder is not None else {}
    room = _room_next_door(alignment, th)
    out = []
    for p in alignment.omissions:
        span = rendered.get(id(p))
        if span is None and id(p) in room:
            q = room[id(p)]
            msg = (
                "English with no Chinese of its own; the neighbouring line's Chinese is long enough to render "
                f"it too ({len(q.zh_text)} characters for {len(q.en_text)} + {len(p.en_text)} of English)"
            )
            out.append(_finding(p, "omission", Severity.INFO, msg))
        elif span is None:
            out.append(_finding(p, "omission", Severity.WARNING, "English left untranslated"))
        else:
            msg = f'English with no Chinese of its own; the neighbouring line seems to render it: "{span}"'
            out.append(_finding(p, "omission", Severity.INFO, msg))
    return out


def _room_next_door(alignment: Alignment, th: CheckThresholds) -> dict[int, AlignedPair]:
    """For each English sentence left with no Chinese (by ``id``): a neighbouring line whose Chinese has room for it.

    Consecutive such sentences are taken together: the line before or after
    the run must have room for all of them.

    One Chinese sentence often renders several English ones (unpunctuated
    subtitle-style Chinese, a translator's long sentence); when it renders
    more than the aligner's largest bead holds, the rest of the English is
    left alone beside it.  The length evidence: that neighbour's Chinese is
    long for its own English (``room_next_door_z`` robust deviations) and at
    least ``room_next_door_share`` of what both English texts need at the
    document's usual ratio.
    """
    scored = _length_z(alignment, th)
    if not scored or not alignment.omissions:
        return {}
    z_of = {id(p): z for p, z in scored}
    ratio = statistics.median(_zh_length(p.zh_text) / _en_length(p.en_text) for p, _ in scored)
    pairs = alignment.pairs
    out: dict[int, AlignedPair] = {}
    k = 0
    while k < len(pairs):
        if not (pairs[k].en and not pairs[k].zh):
            k += 1
            continue
        # A run of English sentences left alone, and the lines on either side of it.
        end = k
        while end + 1 < len(pairs) and pairs[end + 1].en and not pairs[end + 1].zh and (
            pairs[end + 1].section == pairs[k].section
        ):
            end += 1
        run = pairs[k : end + 1]
        run_en = sum(_en_length(p.en_text) for p in run)
        for j in (k - 1, end + 1):
            if not 0 <= j < len(pairs):
                continue
            q = pairs[j]
            if q.section != pairs[k].section or not q.en or not q.zh or z_of.get(id(q), 0.0) < th.room_next_door_z:
                continue
            if _zh_length(q.zh_text) >= th.room_next_door_share * ratio * (_en_length(q.en_text) + run_en):
                out.update((id(p), q) for p in run)
                break
        k = end + 1
    return out


def _rendered_by_neighbour(alignment: Alignment, embedder: Embedder, th: CheckThresholds) -> dict[int, str]:
    """The Chinese clause run of a neighbouring line that renders each unaligned English sentence, by ``id``."""
    omissions = alignment.omissions
    low = _low_score(alignment, th)
    if low is None or not omissions:
        return {}
    near = _neighbours(alignment)
    both = [q for q in alignment.pairs if q.en and q.zh]
    # Chinese characters per English character in this document: how long a rendering would be.
    ratio = sum(len(q.zh_text) for q in both) / max(1, sum(len(q.en_text) for q in both))
    jobs = [
        (p, span, [s.text for s in q.en])
        for p in omissions
        for q in near[id(p)]
        if q.en and q.zh and p.en_text.strip(" .") not in q.en_text
        for span in _boundary_spans(q, p, Lang.ZH, expected=max(2, round(len(p.en_text) * ratio)))
    ]
    if not jobs:
        return {}
    sim = _similarity(embedder, {t for p, span, rivals in jobs for t in (p.en_text, span, *rivals)})
    out: dict[int, str] = {}
    for p, span, rivals in jobs:
        own = sim(p.en_text, span)
        best_rival = max(sim(r, span) for r in rivals)
        clear = own >= low - th.rendered_next_door_slack and own >= best_rival + th.rendered_next_door_margin
        if ((own >= low and own > best_rival) or clear) and id(p) not in out:
            out[id(p)] = span
    return out


def check_additions(alignment: Alignment, thresholds: CheckThresholds | None = None) -> list[Finding]:
    """Chinese sentences that render no English sentence.

    A short lead-in the translator adds ("对方打趣说：", "是的。") is for
    information; a whole added sentence (at least ``addition_min_chars``
    characters, not ending in a colon) is a warning.
    """
    th = thresholds or CheckThresholds()
    out = []
    for p in alignment.additions:
        text = p.zh_text.strip()
        whole = len(text) >= th.addition_min_chars and not text.endswith(("：", ":"))
        severity = Severity.WARNING if whole else Severity.INFO
        out.append(_finding(p, "addition", severity, "Chinese with no English source"))
    return out


def check_low_similarity(
    alignment: Alignment, thresholds: CheckThresholds | None = None, embedder: Embedder | None = None
) -> list[Finding]:
    """Pairs whose similarity is an outlier low for this document and model.

    Two limits, both from this document: ``low_similarity_z`` robust
    deviations below the median pair, and (with ``embedder``) the similarity
    that ``low_similarity_unrelated_quantile`` of the document's *unrelated*
    pairings stay under -- each English paired with the Chinese half the
    document away.  The second matters for free translations, whose scores
    spread so widely that the first limit falls below zero: a pair that
    matches no better than most unrelated pairs is not a translation.

    With ``embedder``, a pair that makes its neighbour match at least as well
    when the two are read together is information only: the lines split the
    content differently ("Take tuna, a major drawback." ↔ "最大的弊病就是，",
    the tuna having gone into the line before), nothing is lost.
    """
    th = thresholds or CheckThresholds()
    scored = [p for p in alignment.pairs if p.en and p.zh and p.score is not None]
    if len(scored) < th.min_pairs_for_calibration:
        return []
    median, sigma = _robust_stats([p.score for p in scored if p.score is not None])
    limit = median - th.low_similarity_z * sigma
    unrelated = (
        _unrelated_similarity(scored, embedder, th.low_similarity_unrelated_quantile) if embedder is not None else None
    )
    flag_below = limit if unrelated is None else max(limit, unrelated)
    low = [p for p in scored if p.score is not None and p.score < flag_below]
    shifted = _split_across_lines(alignment, low, embedder) if embedder is not None else set()
    displaced = _displaced(alignment, low, embedder, th) if embedder is not None else {}
    out = []
    for p in low:
        assert p.score is not None
        if id(p) in displaced:
            out.append(displaced[id(p)])
            continue
        if p.score < limit:
            message = f"meaning may differ: similarity {p.score:.3f} is far below this document's median {median:.3f}"
        else:
            message = (
                f"meaning may differ: similarity {p.score:.3f} is no higher than unrelated pairs of this "
                f"document reach ({100 * th.low_similarity_unrelated_quantile:.0f}th percentile {unrelated:.3f})"
            )
        short = len(p.en_text.split()) < th.low_similarity_min_words
        severity = Severity.INFO if short or id(p) in shifted else Severity.WARNING
        if short:
            message += " (a short sentence: a weak signal)"
        elif id(p) in shifted:
            message += " (read with the neighbouring line it matches: the lines split the content differently)"
        bar = limit if p.score < limit or unrelated is None else unrelated
        out.append(_finding(p, "low_similarity", severity, message, value=round(p.score, 4), threshold=round(bar, 4)))
    return out


def _unrelated_similarity(pairs: list[AlignedPair], embedder: Embedder, quantile: float) -> float:
    """The ``quantile`` of similarities between each pair's English and the Chinese of the pair half the list away."""
    n = len(pairs)
    en = embedder.encode([p.en_text for p in pairs])
    zh = embedder.encode([p.zh_text for p in pairs])
    sims = np.einsum("ij,ij->i", en, np.roll(zh, -(n // 2), axis=0))
    return float(np.quantile(sims, quantile))


def _split_across_lines(alignment: Alignment, pairs: list[AlignedPair], embedder: Embedder) -> set[int]:
    """``id`` of each of ``pairs`` that, read together with a neighbouring pair, leaves that pair's match no worse."""
    near = _neighbours(alignment)
    jobs = []
    for p in pairs:
        for q in near[id(p)]:
            if q.en and q.zh and q.score is not None:
                first, second = (q, p) if q.en[0].index < p.en[0].index else (p, q)
                jobs.append((p, q, f"{first.en_text} {second.en_text}", first.zh_text + second.zh_text))
    if not jobs:
        return set()
    vecs = embedder.encode([t for _, _, en, zh in jobs for t in (en, zh)])
    return {id(p) for k, (p, q, _, _) in enumerate(jobs) if float(vecs[2 * k] @ vecs[2 * k + 1]) >= (q.score or 0.0)}


def _displaced(
    alignment: Alignment, pairs: list[AlignedPair], embedder: Embedder, th: CheckThresholds
) -> dict[int, Finding]:
    """Omission or addition findings for low-similarity pairs that belong to a neighbour, by ``id``.

    When the translation of a sentence is missing, an aligner may pair the
    sentence with its neighbour's Chinese rather than leave it unaligned (and
    an added Chinese sentence with its neighbour's English).  The pair's
    Chinese then joins the neighbouring pair's without making it match worse,
    while the English sentence adds nothing to that joined pair and no run of
    its clauses renders it -- the test `check_merged` applies to a sentence
    inside a merged pair: the English is untranslated.  The same test with
    the languages swapped finds an added Chinese sentence.
    """
    low = _low_score(alignment, th)
    near = _neighbours(alignment)
    if low is None:
        return {}
    # (pair, neighbour, tested language, its sentence, its side joined, the other side joined, neighbour's text)
    jobs = []
    for p in pairs:
        for q in near[id(p)]:
            if q.en and q.zh and q.score is not None:
                before = q.en[0].index < p.en[0].index
                zh = q.zh_text + p.zh_text if before else p.zh_text + q.zh_text
                en = f"{q.en_text} {p.en_text}" if before else f"{p.en_text} {q.en_text}"
                jobs.append((p, q, Lang.EN, p.en_text, en, zh, q.en_text))
                jobs.append((p, q, Lang.ZH, p.zh_text, zh, en, q.zh_text))
    if not jobs:
        return {}
    sim = _similarity(embedder, {t for job in jobs for t in job[3:]})
    out: dict[int, Finding] = {}
    for p, q, lang, own, own_joined, other_joined, q_own in jobs:
        if id(p) in out:
            continue
        with_q = sim(q_own, other_joined)
        if with_q < (q.score or 0.0) or with_q - sim(own_joined, other_joined) <= th.merged_gain:
            continue
        spans = _clause_spans(other_joined, Lang.ZH if lang is Lang.EN else Lang.EN)
        if spans:
            span_vecs = embedder.encode([own, *spans])
            if float((span_vecs[1:] @ span_vecs[0]).max()) >= low:
                continue
        if lang is Lang.EN:
            kind, short = "omission", len(own.split()) < th.merged_omission_min_words
            what = "English probably untranslated: the Chinese paired with it"
        else:
            kind, short = "addition", len(own.strip()) < th.addition_min_chars
            what = "Chinese probably added: the English paired with it"
        out[id(p)] = _finding(
            p,
            kind,
            Severity.INFO if short else Severity.WARNING,
            f"{what} (similarity {p.score or 0.0:.3f}) belongs with the neighbouring line, which matches "
            f'as well with it ({with_q:.3f}): "{q_own}"',
            value=round(p.score or 0.0, 4),
            threshold=round(low, 4),
        )
    return out


@dataclass(frozen=True)
class MergedSuspect:
    """A sentence at the edge of a merged pair that the pair's match does not need (see `check_merged`)."""

    pair: AlignedPair
    edge: Sentence
    side: str  # "en": untranslated English; "zh": added Chinese
    own: float  # the sentence's similarity to the other side
    low: float  # the document's low pair score it is below
    short: bool  # a fragment too short for its embedding to say much: information only
    rest_score: float  # the pair's similarity without it


def merged_suspects(
    alignment: Alignment,
    embedder: Embedder,
    thresholds: CheckThresholds | None = None,
    *,
    among: set[int] | None = None,
) -> list[MergedSuspect]:
    """Untranslated or added sentences hidden inside m:n pairs: the evidence `refine_merged` acts on.

    An aligner folds an untranslated sentence into its neighbour's pair (a
    2-1 bead) as readily as it reports it.  For each sentence at the edge of
    a multi-sentence side: if the pair's similarity rises when it is left
    out, and its own similarity to the other side is among the document's
    lowest pair scores, it is a suspect (untranslated English, added
    Chinese) -- unless a run of up to three clauses of the other side
    matches it at least that well (a long sentence that renders it in one
    clause), and better than the sentences that otherwise claim that run
    (the pair's other sentences, or the neighbouring line's own).  When the
    pair's Chinese is also short for its English (``partial_clause_z``
    robust deviations, the length evidence of a missing part), an English
    sentence below the document's median pair score is enough.  Thresholds
    come from this document's scores.  ``among``: the ``id`` of the pairs to
    judge (all by default; the document's scores still come from every pair).
    """
    th = thresholds or CheckThresholds()
    low = _low_score(alignment, th)
    if low is None:
        return []
    jobs: list[tuple[AlignedPair, Sentence, str, str, str, str]] = []
    joins: dict[str, tuple[Sentence, ...]] = {}
    for p in alignment.pairs:
        if not p.en or not p.zh or (among is not None and id(p) not in among):
            continue
        joins[p.en_text], joins[p.zh_text] = p.en, p.zh
        for side, sents, other, join in (("en", p.en, p.zh_text, " "), ("zh", p.zh, p.en_text, "")):
            if len(sents) < 2:
                continue
            full = join.join(s.text for s in sents)
            for edge, others in ((sents[0], sents[1:]), (sents[-1], sents[:-1])):
                rest = join.join(s.text for s in others)
                joins[rest] = others
                jobs.append((p, edge, side, full, rest, other))
    if not jobs:
        return []
    texts = sorted({t for _, e, _, full, rest, other in jobs for t in (e.text, full, rest, other)})
    index = {t: k for k, t in enumerate(texts)}
    vecs = _encode_joined(embedder, texts, joins)
    median = statistics.median(p.score for p in alignment.pairs if p.en and p.zh and p.score is not None)
    short_zh = _short_chinese(alignment, th)
    length_z = _length_ratio_z(alignment, th)
    by_length: set[int] = set()
    suspects = []
    for p, edge, side, full, rest, other in jobs:
        o = vecs[index[other]]
        gain = float(vecs[index[rest]] @ o - vecs[index[full]] @ o)
        own = float(vecs[index[edge.text]] @ o)
        bar = median if side == "en" and id(p) in short_zh else low
        if gain > th.merged_gain and own < bar:
            suspects.append((p, edge, side, own, float(vecs[index[rest]] @ o)))
        elif side == "en" and length_z is not None and _length_says_unrendered(length_z, p, rest, gain, own, low, th):
            suspects.append((p, edge, side, own, float(vecs[index[rest]] @ o)))
            by_length.add(id(edge))
    # A long sentence on the other side may render the suspect in one of its
    # clauses ("… 我就要结束我的演讲了" for "So, I'm going to wrap up now."),
    # or the neighbouring line may (a sentence moved across a line boundary):
    # whole-text similarity dilutes that, so a run of clauses, here or next
    # door, matching it at least as well as the document's low pairs clears it.
    # A clause already taken by another sentence -- of this pair or of the neighbour it
    # comes from -- that it matches better renders that sentence, not the suspect.
    near = _neighbours(alignment)
    spans: dict[int, list[tuple[str, list[str]]]] = {}
    for p, edge, side, _, _ in suspects:
        span_lang = Lang.ZH if side == "en" else Lang.EN
        own_side = p.en if side == "en" else p.zh
        rivals = [s.text for s in own_side if s is not edge]
        spans[id(edge)] = [(t, rivals) for t in _clause_spans(p.zh_text if side == "en" else p.en_text, span_lang)] + [
            (t, [s.text for s in (q.en if side == "en" else q.zh)])
            for q in near[id(p)]
            # a neighbour holding the very same words is a duplicated line, not a shift
            if edge.text.strip(" 。.") not in (q.en_text + q.zh_text)
            for t in _boundary_spans(q, p, span_lang)
        ]
    sim = _similarity(
        embedder,
        {t for v in spans.values() for span, rivals in v for t in (span, *rivals)}
        | {edge.text for _, edge, _, _, _ in suspects},
    )
    out: list[MergedSuspect] = []
    for p, edge, side, own, rest_score in suspects:
        # Where only the Chinese's length says the sentence is missing, a clause must render it
        # clearly: the Bible's neighbouring verses share words with any clause.
        bar = low + (th.merged_short_clause_margin if id(edge) in by_length else 0.0)
        if any(
            sim(edge.text, t) >= bar and all(sim(edge.text, t) >= sim(r, t) for r in rivals)
            for t, rivals in spans[id(edge)]
        ):
            continue
        if side == "zh" and _best_rendering_of_a_clause(p, edge, embedder):
            continue
        # A short fragment inside a merged pair ("不是吗？", "And I said, 'No.'") has a low
        # similarity to anything; it is reported for information only.
        if side == "zh":
            short = len(edge.text.strip()) < th.addition_min_chars
        else:
            short = len(edge.text.split()) < th.merged_omission_min_words
        out.append(MergedSuspect(p, edge, side, own, low, short, rest_score))
    return out


#: Passes of `refine_merged` at most: a sentence moved out can uncover the next (two untranslated
#: sentences in one 3-1 pair).  On the development half of the Bible's deleted verses (3 draws,
#: with the length evidence of `_length_says_unrendered`): one pass 0.855, until nothing moves
#: 0.865, with ``merged_later_gain`` 0.863 (held out 0.799 -> 0.809 -> 0.802).
MERGED_ROUNDS = 3


def refine_merged(alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None) -> Alignment:
    """The alignment with each untranslated or added sentence of a merged pair as a 1-0 or 0-1 pair of its own.

    Used by `subalign align` and `subalign run` alike, so that the aligner's
    output, the report and the cues carry what the evidence says (short
    fragments, whose evidence is weak, stay where they are).  Repeated until
    nothing moves (`MERGED_ROUNDS` at most): with one sentence out, the
    next one in is judged on the pair that remains.
    """
    th = thresholds or CheckThresholds()
    # After the first pass the evidence must be clear: each sentence out shortens the pair, and
    # small gains in a row would peel a whole paragraph off its unpunctuated Chinese.
    later = replace(th, merged_gain=th.merged_later_gain, merged_short_gain_slack=-th.merged_later_gain)
    kept: dict[tuple[Lang, int], KeptFragment] = {}
    among: set[int] | None = None  # the first pass judges every pair, later ones those that lost a sentence
    for round_ in range(MERGED_ROUNDS):
        alignment, shortened, found = _refine_merged_once(alignment, embedder, th if round_ == 0 else later, among)
        kept.update(((k.lang, k.index), k) for k in found)
        if not shortened:
            break
        among = shortened
    return Alignment(list(alignment.pairs), list(kept.values()))


def _refine_merged_once(
    alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds, among: set[int] | None
) -> tuple[Alignment, set[int], list[KeptFragment]]:
    """One pass of `refine_merged` over the pairs ``among``: the alignment, the ``id`` of the pairs that lost a
    sentence, and the fragments kept in place."""
    splits: dict[int, list[MergedSuspect]] = {}
    kept: list[KeptFragment] = []
    for s in merged_suspects(alignment, embedder, thresholds, among=among):
        if s.short:
            kept.append(_kept(s))
        else:
            splits.setdefault(id(s.pair), []).append(s)
    if not splits:
        return alignment, set(), kept
    out: list[AlignedPair] = []
    shortened: set[int] = set()
    for p in alignment.pairs:
        todo = splits.get(id(p))
        if not todo:
            out.append(p)
            continue
        en, zh = list(p.en), list(p.zh)
        before: list[AlignedPair] = []
        after: list[AlignedPair] = []
        for s in todo:
            side = en if s.side == "en" else zh
            if len(side) < 2 or s.edge not in side:
                kept.append(_kept(s))  # both edges of a two-sentence side: keep one
                continue
            alone = (
                AlignedPair(p.section, (s.edge,), (), None)
                if s.side == "en"
                else AlignedPair(p.section, (), (s.edge,), None)
            )
            (before if side[0] is s.edge else after).append(alone)
            side.remove(s.edge)
        score = min(s.rest_score for s in todo) if len(todo) == 1 else p.score
        rest = AlignedPair(p.section, tuple(en), tuple(zh), score)
        if before or after:
            shortened.add(id(rest))
        out += [*before, rest, *after]
    return Alignment(out, alignment.fragments), shortened, kept


def _kept(s: MergedSuspect) -> KeptFragment:
    return KeptFragment(s.edge.lang, s.edge.index, s.own, s.low, s.short)


def check_merged(alignment: Alignment) -> list[Finding]:
    """Untranslated or added sentences the refinement pass left inside merged pairs (`Alignment.fragments`).

    The refinement pass (`refine_merged`, on the evidence of
    `merged_suspects`) has already moved the sentences a merged pair does
    not need into pairs of their own, which `check_omissions` and
    `check_additions` report; what it kept in place is reported here: a
    short fragment for information, an edge it could not move as a warning.
    """
    where: dict[tuple[Lang, int], AlignedPair] = {}
    for p in alignment.pairs:
        for s in (*p.en, *p.zh):
            where[(s.lang, s.index)] = p
    out = []
    for frag in alignment.fragments:
        holder = where.get((frag.lang, frag.index))
        if holder is None:
            continue
        p = holder
        edge = next(s for s in (*p.en, *p.zh) if (s.lang, s.index) == (frag.lang, frag.index))
        english = frag.lang is Lang.EN
        kind, lang = ("omission", "English") if english else ("addition", "Chinese")
        msg = (
            f"{lang} sentence inside a merged pair adds nothing to the match (similarity {frag.similarity:.3f}, "
            f"this document's 10th percentile {frag.threshold:.3f}): probably {'untranslated' if english else 'added'}"
        )
        out.append(
            Finding(
                kind=kind,
                severity=Severity.INFO if frag.short else Severity.WARNING,
                message=msg,
                section=p.section,
                en=(edge.index,) if english else tuple(x.index for x in p.en),
                zh=(edge.index,) if not english else tuple(x.index for x in p.zh),
                en_text=edge.text if english else p.en_text,
                zh_text=edge.text if not english else p.zh_text,
                value=round(frag.similarity, 4),
                threshold=round(frag.threshold, 4),
            )
        )
    return out


def _length_z(alignment: Alignment, th: CheckThresholds) -> list[tuple[AlignedPair, float]]:
    """Pairs with English of ``length_min_chars`` or more, each with the robust z of its log length ratio.

    Empty when fewer than ``min_pairs_for_calibration`` such pairs tell what
    this translation's usual ratio is.
    """
    z = _length_ratio_z(alignment, th)
    if z is None:
        return []
    return [(p, z(p.en_text, p.zh_text)) for p in _length_pairs(alignment, th)]


def _length_pairs(alignment: Alignment, th: CheckThresholds) -> list[AlignedPair]:
    return [p for p in alignment.pairs if p.en and p.zh and len(p.en_text) >= th.length_min_chars]


def _length_ratio_z(alignment: Alignment, th: CheckThresholds) -> Callable[[str, str], float] | None:
    """The robust z of any (English, Chinese) text pair's log length ratio, against this document's pairs.

    None when fewer than ``min_pairs_for_calibration`` pairs have English of
    ``length_min_chars`` or more.
    """
    pairs = _length_pairs(alignment, th)
    if len(pairs) < th.min_pairs_for_calibration:
        return None
    median, sigma = _robust_stats([math.log(_zh_length(p.zh_text) / _en_length(p.en_text)) for p in pairs])
    return lambda en, zh: (math.log(_zh_length(zh) / _en_length(en)) - median) / sigma


def _length_says_unrendered(
    length_z: Callable[[str, str], float], pair: AlignedPair, rest: str, gain: float, own: float, low: float,
    th: CheckThresholds,
) -> bool:
    """An English edge sentence of a merged pair that the pair's Chinese is too short to hold.

    Joined English dilutes little in a sentence embedding: a verse with no
    rendering next to one that shares its words (the Bible's "And the
    magicians did so ...") barely lowers the pair's similarity.  The
    Chinese's length says more: when it is ``merged_short_z`` robust
    deviations short for the pair's English, and fits the English without
    the sentence better, the sentence is a suspect if leaving it out costs
    the pair at most ``merged_short_gain_slack`` of similarity and it
    matches the Chinese at most ``merged_short_own_slack`` above the
    document's weak pairs.
    """
    z_full = length_z(pair.en_text, pair.zh_text)
    if z_full >= -th.merged_short_z or abs(length_z(rest, pair.zh_text)) >= abs(z_full):
        return False
    return gain > -th.merged_short_gain_slack and own < low + th.merged_short_own_slack


def _short_chinese(alignment: Alignment, th: CheckThresholds) -> set[int]:
    """``id`` of the pairs whose Chinese is at least ``partial_clause_z`` robust deviations short for its English."""
    return {id(p) for p, z in _length_z(alignment, th) if z < -th.partial_clause_z}


def _best_rendering_of_a_clause(pair: AlignedPair, edge: Sentence, embedder: Embedder) -> bool:
    """Whether a Chinese sentence of ``pair`` renders some English clause better than the rest of its Chinese does.

    Then it is that clause's rendering ("我后来慢慢明白了为什么。" for "…, and
    I learned why."), not an addition, however low its similarity to the
    whole English.  Measured on additions only: on the English side
    (omissions) the same test also cleared real ones, Chinese clauses being
    short fragments whose similarity to a sentence is noisy.
    """
    clauses = _clause_spans(pair.en_text, Lang.EN, widest=1)
    rest = "".join(s.text for s in pair.zh if s is not edge)
    spans = [*_clause_spans(rest, Lang.ZH), rest]
    if not clauses or not rest:
        return False
    vecs = embedder.encode([edge.text, *clauses, *spans])
    own = vecs[1 : 1 + len(clauses)] @ vecs[0]
    others = (vecs[1 : 1 + len(clauses)] @ vecs[1 + len(clauses) :].T).max(axis=1)
    return bool((own > others).any())


def check_misplaced(
    alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None
) -> list[Finding]:
    """Chinese that renders a different English sentence of the section far better than its own.

    A translation pasted in the wrong place, or a paragraph rendered twice,
    pairs Chinese with English it does not translate while the English it
    does translate sits elsewhere.  For each 1-1 pair: if some English
    sentence of the same section, at least ``misplaced_min_distance``
    sentences away, matches the Chinese better by ``misplaced_margin`` and at
    least as well as the document's median pair, it is reported.  Sentences
    shorter than ``merged_omission_min_words`` words take no part: short
    replies ("Sure.", "Yeah, exactly.") are interchangeable.
    """
    th = thresholds or CheckThresholds()
    scores = sorted(p.score for p in alignment.pairs if p.en and p.zh and p.score is not None)
    if len(scores) < th.min_pairs_for_calibration:
        return []
    median = scores[len(scores) // 2]
    out = []
    by_section: dict[str, list[AlignedPair]] = {}
    for p in alignment.pairs:
        by_section.setdefault(p.section, []).append(p)
    for pairs in by_section.values():
        english = [s for p in pairs for s in p.en]
        ones = [p for p in pairs if len(p.en) == 1 and len(p.zh) == 1]
        if len(english) <= th.misplaced_min_distance or not ones:
            continue
        en_vecs = embedder.encode([s.text for s in english])
        zh_vecs = embedder.encode([p.zh[0].text for p in ones])
        position = {s.index: k for k, s in enumerate(english)}
        sims = zh_vecs @ en_vecs.T
        # "Sure." and "Yeah, exactly." are interchangeable: short sentences take no part.
        long_enough = np.array([len(s.text.split()) >= th.merged_omission_min_words for s in english])
        at = np.arange(len(english))
        for row, p in zip(sims, ones, strict=True):
            k = position[p.en[0].index]
            if not long_enough[k]:
                continue
            own = float(row[k])
            far = long_enough & (np.abs(at - k) >= th.misplaced_min_distance)
            if not far.any():
                continue
            j = int(np.argmax(np.where(far, row, -np.inf)))  # the first of equals, as before
            other = float(row[j])
            if other - own > th.misplaced_margin and other >= median:
                out.append(
                    _finding(
                        p,
                        "low_similarity",
                        Severity.WARNING,
                        f"the Chinese renders another English sentence better ({other:.3f} vs {own:.3f} here): "
                        f'"{english[j].text}"',
                        value=round(other - own, 4),
                        threshold=th.misplaced_margin,
                    )
                )
    return out


def run_checks(
    alignment: Alignment,
    thresholds: CheckThresholds | None = None,
    embedder: Embedder | None = None,
    glossary: list[GlossaryEntry] | None = None,
) -> list[Finding]:
    """All checks, findings ranked by severity then position, repeats of one issue grouped.

    ``embedder`` (the alignment's model) enables the checks that compare
    parts of a pair; without it they are skipped.  ``glossary`` adds the
    user's terms (see :mod:`subalign.consistency`).
    """
    misplaced = check_misplaced(alignment, embedder, thresholds) if embedder is not None else []
    # One drift finding a pair: "renders another sentence better" says more than "low similarity".
    located = {(f.en, f.zh) for f in misplaced}
    low = [f for f in check_low_similarity(alignment, thresholds, embedder) if (f.en, f.zh) not in located]
    findings = (
        check_merged(alignment)
        + misplaced
        + check_omissions(alignment, embedder, thresholds)
        + check_additions(alignment, thresholds)
        + low
        + check_numbers(alignment)
        + check_entities(alignment)
        + check_untranslated(alignment)
        + check_length_ratio(alignment, thresholds, embedder)
    )
    from .terms import dropped_names, inconsistent_renderings  # terms reads names with this module's `entities`

    findings += inconsistent_renderings(alignment, glossary)
    findings += dropped_names(alignment, glossary, _low_score(alignment, thresholds or CheckThresholds()))
    if glossary:
        findings = cleared_by_glossary(findings, glossary) + check_glossary(alignment, glossary)
    findings += every_place_of_flagged_renderings(alignment, findings)
    return sorted(with_groups(findings), key=lambda f: (f.severity.rank, f.section, f.en[:1] or f.zh[:1]))


def alignment_gate(alignment: Alignment, thresholds: CheckThresholds | None = None) -> list[str]:
    """Reasons not to trust this alignment as a whole (empty: trust it)."""
    th = thresholds or CheckThresholds()
    reasons = []
    n_en = sum(len(p.en) for p in alignment.pairs)
    n_zh = sum(len(p.zh) for p in alignment.pairs)
    om = sum(len(p.en) for p in alignment.omissions)
    add = sum(len(p.zh) for p in alignment.additions)
    if n_en and om / n_en > th.gate_max_unaligned_share:
        reasons.append(
            f"{om} of {n_en} English sentences ({om / n_en:.0%}) have no Chinese "
            f"(limit {th.gate_max_unaligned_share:.0%}): is this the right translation?"
        )
    if n_zh and add / n_zh > th.gate_max_unaligned_share:
        reasons.append(
            f"{add} of {n_zh} Chinese sentences ({add / n_zh:.0%}) have no English "
            f"(limit {th.gate_max_unaligned_share:.0%}): is this the right translation?"
        )
    scores = sorted(p.score for p in alignment.pairs if p.en and p.zh and p.score is not None)
    if len(scores) >= th.min_pairs_for_calibration:
        median = statistics.median(scores)
        p10 = scores[len(scores) // 10]
        if median - p10 < th.gate_min_median_margin:
            reasons.append(
                f"pair similarities are flat (median {median:.3f}, 10th percentile {p10:.3f}): "
                "the model cannot separate translations here"
            )
    return reasons


# -- content checks ---------------------------------------------------------------

# Capitalised English words that are not names (sentence starts are skipped separately).
_NOT_NAMES = frozenset(
    [
        "I",
        "I'm",
        "I've",
        "I'd",
        "I'll",
        "OK",
        "Okay",
        "Yeah",
        "Yes",
        "No",
        "So",
        "And",
        "But",
        "Or",
        "Because",
        "Like",
        "Well",
        "Oh",
        "Um",
        "Uh",
        "Mr",
        "Mrs",
        "Dr",
        "The",
        "A",
        "An",
        "It",
        "It's",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "What",
        "When",
        "Where",
        "Why",
        "How",
        "Who",
        "Which",
        "If",
        "Then",
        "Now",
        "Also",
        "Just",
        "Even",
        "We",
        "You",
        "He",
        "She",
        "They",
        "My",
        "Your",
        "Our",
        "Their",
        "His",
        "Her",
        "Its",
        "Is",
        "Are",
        "Was",
        "Were",
        "Do",
        "Does",
        "Did",
        "Can",
        "Could",
        "Would",
        "Should",
    ]
)
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-']*[A-Za-z0-9+#]|[A-Za-z]")


def entities(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """Names, brands and acronyms in English text.

    Capitalised words not at a sentence start, all-caps words and
    letter+digit tokens (``G1``, ``CS231N``, ``RoPE``); at a sentence start,
    only words in ``known`` (lower-case names seen mid-sentence elsewhere in
    the document).
    """
    return list(_entities(text, known))


@functools.lru_cache(maxsize=8192)
def _entities(text: str, known: frozenset[str]) -> tuple[str, ...]:
    # Checks ask for the same pair's names several times (with and without ``known``).
    out = []
    for m in _LATIN_TOKEN.finditer(text):
        tok = m.group(0).rstrip(".'")
        if tok in _NOT_NAMES:
            continue
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        sentence_start = j < 0 or text[j] in '.!?"“:'
        mixed = any(c.isdigit() for c in tok) or (sum(c.isupper() for c in tok) >= 2)
        if mixed or (tok[:1].isupper() and (not sentence_start or tok.lower() in known)):
            out.append(tok)
    return tuple(out)


def check_numbers(alignment: Alignment) -> list[Finding]:
    """Pairs whose numbers differ between the languages (digits, number words, 万/亿).

    A number the neighbouring line carries has moved across the line
    boundary: a difference is not reported when the neighbours account for
    every value one side lacks and every value it has too many.
    """
    near = _neighbours(alignment)
    out = []
    for p in alignment.pairs:
        if not p.en or not p.zh:
            continue
        only_en, only_zh = number_mismatch(p.en_text, p.zh_text)
        if only_en or only_zh:
            next_door_zh = {v for q in near[id(p)] for v in (*chinese_numbers(q.zh_text), *chinese_ordinals(q.zh_text))}
            next_door_en = {v for q in near[id(p)] for v in (*english_numbers(q.en_text), *english_ordinals(q.en_text))}
            if set(only_en) <= next_door_zh and set(only_zh) <= next_door_en:
                only_en, only_zh = [], []
        has_zh = bool(chinese_numbers(p.zh_text))
        has_digits_en = bool(re.search(r"\d", p.en_text))
        if only_en and only_zh:
            msg = f"numbers differ: English has {_fmt(only_en)}, Chinese has {_fmt(only_zh)}"
            out.append(_finding(p, "number_mismatch", Severity.ERROR, msg, value=float(len(only_en) + len(only_zh))))
        elif only_en and not has_zh and has_digits_en and any(v >= 10 or v != int(v) for v in only_en):
            msg = f"number missing in Chinese: {_fmt(only_en)}"
            out.append(_finding(p, "number_mismatch", Severity.WARNING, msg, value=float(len(only_en))))
        codes_en, codes_zh = code_mismatch(p.en_text, p.zh_text)
        if codes_en and not (only_en and only_zh):
            msg = f"names with digits differ: English has {', '.join(codes_en)}, Chinese has {', '.join(codes_zh)}"
            out.append(_finding(p, "number_mismatch", Severity.ERROR, msg, value=float(len(codes_en) + len(codes_zh))))
    return out


def _fmt(values: Sequence[float]) -> str:
    """Numbers as a reviewer reads them: 250,000,000 rather than 2.5e+08."""
    return ", ".join(f"{int(v):,}" if v == int(v) and abs(v) < 1e15 else f"{v:,.6g}" for v in values)


def check_entities(alignment: Alignment) -> list[Finding]:
    """Latin names and acronyms of the English that the Chinese drops or renders inconsistently.

    The document decides: a name the translation keeps in Latin letters in
    most of its occurrences should be kept everywhere; a name that appears
    once and is not kept is reported for a reviewer to confirm its rendering
    (translators routinely mistranslate brands: "Unitree" -> "优趣科技").  A
    name the translation always renders in Chinese ("San Francisco" ->
    "旧金山") is consistent and not reported.  Latin names in the Chinese that
    the English does not have are reported too (a changed name).  A standard
    rendering (`subalign.glossary`: 人工智能 for "AI") counts as the name.
    """
    known = frozenset(n.lower() for p in alignment.pairs for n in entities(p.en_text))
    near = _neighbours(alignment)
    occurrences: dict[str, list[tuple[AlignedPair, bool]]] = {}
    for p in alignment.pairs:
        if not p.en or not p.zh:
            continue
        for name in dict.fromkeys(entities(p.en_text, known)):
            occurrences.setdefault(name.lower(), []).append((p, name.lower() in p.zh_text.lower()))
    out = []
    for name, occ in occurrences.items():
        kept = sum(1 for _, k in occ if k)
        for p, k in occ:
            if k or rendered_in(name, p.zh_text) or _shifted(name, p, near[id(p)]):
                continue
            if kept == 0 and len(occ) > 1:
                continue  # always rendered in Chinese: consistent
            display = next(e for e in entities(p.en_text, known) if e.lower() == name)
            how = f"kept in Latin letters in {kept} of {len(occ)} places" if kept else "appears once"
            # Kept in most places, so dropped here: a warning.  Mostly translated
            # ("America" -> 美国 with the odd "Repower America" kept), or a single
            # translated name: for information.
            severity = Severity.WARNING if kept * 2 > len(occ) else Severity.INFO
            out.append(
                _finding(
                    p,
                    "entity",
                    severity,
                    f"'{display}' is not in the Chinese ({how}): check its rendering",
                    value=float(kept),
                    threshold=float(len(occ)),
                )
            )
    en_names_all = set(known)
    for p in alignment.pairs:
        if not p.en or not p.zh:
            continue
        en_flat = p.en_text.lower().replace(" ", "")
        en_names = {n.lower() for n in entities(p.en_text, known)}
        # Glosses the translator adds in brackets, "监督信号（Supervision Signal）", are not names.
        outside = _BRACKETED.sub("", p.zh_text)
        for tok in dict.fromkeys(_LATIN_TOKEN.findall(outside)):
            t = tok.rstrip(".'")
            looks_like_name = t[:1].isupper() or any(c.isdigit() for c in t)
            if (
                looks_like_name
                and len(t) > 1
                and t.lower() not in en_flat
                and t.lower() not in en_names_all
                and not _abbreviates(t, p.en_text)
                and not stands_for(t, p.en_text)
                and not _shifted(t.lower(), p, near[id(p)])
                # "CS231N" for "231N": the course's full name, letters put in front
                and not any(same_code(t.lower(), c) for c in codes(p.en_text))
            ):
                out.append(
                    _finding(
                        p, "entity", Severity.WARNING, f"'{t}' is in the Chinese but not in the English: check the name"
                    )
                )
        # A one-word gloss in brackets names something the English says: "大语言模型（LLM）",
        # "优趣科技（Unitree）".  Glosses of concepts ("（Supervision Signal）") are phrases, not checked.
        window = " ".join(q.en_text for q in (p, *near[id(p)]))
        window_flat = window.lower().replace(" ", "")
        for m in _BRACKETED.finditer(p.zh_text):
            for item in (i.strip() for i in re.split(r"[，,、;；]", m.group(0)[1:-1])):
                if (
                    re.fullmatch(r"[A-Z][A-Za-z0-9]+", item)
                    # its stem: "Generalization" for "generalized"
                    and item.lower()[: max(5, len(item) - 5)] not in window_flat
                    and not _abbreviates(item, window)
                    and not stands_for(item, window)
                ):
                    out.append(
                        _finding(
                            p,
                            "entity",
                            Severity.WARNING,
                            f"'{item}' is in the Chinese but not in the English: check the name",
                        )
                    )
        # A Chinese name given to an English brand, "优趣科技（Unitree）": the kind of
        # rendering translators get wrong; a reviewer should confirm it.
        for m in _CJK_NAME_GLOSS.finditer(p.zh_text):
            cjk, latin = m.group(1), m.group(2).strip()
            if latin.lower() in en_names and not latin.isupper() and not is_standard_rendering(latin, cjk):
                out.append(
                    replace(
                        _finding(
                            p,
                            "entity",
                            Severity.WARNING,
                            f"'{latin}' is rendered as '{cjk}': confirm this Chinese name",
                        ),
                        term=latin,
                        rendering=cjk,
                        group=f"rendering:{latin}={cjk}",
                    )
                )
    return out


def _shifted(name: str, pair: AlignedPair, neighbours: list[AlignedPair]) -> bool:
    """Whether ``name`` occurs as often in the Chinese as in the English of ``pair`` and its neighbours.

    Then a name missing from (or extra in) the pair's Chinese has moved across
    a line boundary ("… Joan Smalls和Liu Wen" for "… Joan Smalls." + "Liu
    Wen."); a name dropped in one of two lines that both say it has not.
    """
    window = (pair, *neighbours)
    en = sum(q.en_text.lower().replace(" ", "").count(name.replace(" ", "")) for q in window)
    zh = sum(q.zh_text.lower().replace(" ", "").count(name.replace(" ", "")) for q in window)
    return en == zh > 0


def _abbreviates(token: str, english: str) -> bool:
    """Whether an acronym in the Chinese shortens words of the English: F1 "Formula 1", GB "gigabytes".

    Its letters and digits, in order, within at most three consecutive
    English words, the first letter starting the first word.
    """
    if len(token) > 6 or not (token.isupper() or any(c.isdigit() for c in token)):
        return False
    want = token.lower()
    words = re.findall(r"[A-Za-z0-9]+", english.lower())
    for k, w in enumerate(words):
        if not w.startswith(want[0]):
            continue
        it = iter("".join(words[k : k + 3]))
        if all(c in it for c in want):
            return True
    return False


_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
# Two to four Han characters (a Chinese name) directly followed by a bracketed Latin name.
_CJK_NAME_GLOSS = re.compile(r"([\u4e00-\u9fff]{2,4})[（(]\s*([A-Za-z][A-Za-z0-9 .\-]{1,40})\s*[）)]")


def check_untranslated(alignment: Alignment, min_words: int = 4) -> list[Finding]:
    """Chinese that carries a run of English words (left untranslated), beyond names in brackets."""
    out = []
    for p in alignment.pairs:
        if not p.zh:
            continue
        text = _BRACKETED.sub("", p.zh_text)  # glosses such as （Supervision Signal）
        run_pattern = r"(?:[A-Za-z][A-Za-z'\-]*[ ,]+){" + str(min_words - 1) + r",}[A-Za-z][A-Za-z'\-]*"
        for run in re.findall(run_pattern, text):
            words = run.split()
            if sum(1 for w in words if w[:1].islower()) >= 2:
                out.append(
                    _finding(
                        p, "untranslated_english", Severity.WARNING, f"English left inside the Chinese: {run.strip()!r}"
                    )
                )
                break
    return out


# Spoken fillers a translation usually leaves out; they do not count towards
# the length the Chinese is expected to match.
_EN_FILLERS = re.compile(
    r"\b(?:you know|i mean|kind of|sort of|like|um|uh|so|well|actually|really|just|basically)\b,?\s*", re.I
)


# Memoised: the length models ask for each pair's lengths many times over.
@functools.lru_cache(maxsize=65_536)
def _en_length(text: str) -> float:
    """Letters and digits of the English, fillers left out."""
    return max(1.0, float(sum(c.isalnum() for c in _EN_FILLERS.sub(" ", text))))


@functools.lru_cache(maxsize=65_536)
def _zh_length(text: str) -> float:
    """Chinese characters, plus Latin letters and digits at 2.5 to one (a Latin name is not a Chinese word)."""
    han = sum("\u4e00" <= c <= "\u9fff" for c in text)
    latin = sum(c.isascii() and c.isalnum() for c in text)
    return max(1.0, han + latin / 2.5)


_EN_CLAUSE_SPLIT = re.compile(r"(?<=[,;:.!?])\s+|\s+(?:--|—|–)\s+")
_ZH_CLAUSE_SPLIT = re.compile(r"(?<=[，、；：。！？,;:])|\s+|——|--")


def _clauses(text: str, lang: Lang) -> tuple[list[str], str]:
    """The clauses of ``text`` and the string that joins them back."""
    split, join = (_EN_CLAUSE_SPLIT, " ") if lang is Lang.EN else (_ZH_CLAUSE_SPLIT, "")
    return [c.strip() for c in split.split(text) if c.strip()], join


def _clause_spans(text: str, lang: Lang, widest: int = 3) -> list[str]:
    """Runs of 1 to ``widest`` consecutive clauses of ``text`` (only when it has more than one clause)."""
    clauses, join = _clauses(text, lang)
    if len(clauses) < 2:
        return []
    spans = {join.join(clauses[i : i + n]) for n in range(1, widest + 1) for i in range(len(clauses) - n + 1)}
    return sorted(spans - {join.join(clauses)})


def _rendered_next_door(
    clause: str, pair: AlignedPair, neighbours: list[AlignedPair], embedder: Embedder, bar: float
) -> bool:
    """Whether the clauses of a neighbouring line's Chinese next to ``pair`` match ``clause`` at least ``bar``."""
    spans = [t for q in neighbours if q.zh for t in _boundary_spans(q, pair, Lang.ZH)]
    if not spans:
        return False
    vecs = embedder.encode([clause, *spans])
    return bool((vecs[1:] @ vecs[0]).max() >= bar)


def _boundary_spans(
    neighbour: AlignedPair, pair: AlignedPair, lang: Lang, widest: int = 3, expected: int | None = None
) -> list[str]:
    """The runs of 1 to ``widest`` clauses of ``neighbour``'s ``lang`` side that touch ``pair``.

    Content shifted across a line boundary sits at the boundary: the end of
    the line before, the start of the line after.  With ``expected`` (the
    characters the content would take), a side more than twice that long
    also gives its ``expected`` and twice ``expected`` characters at the
    boundary: lines run together with no punctuation have no clauses there.
    """
    text = neighbour.en_text if lang is Lang.EN else neighbour.zh_text
    clauses, join = _clauses(text, lang)
    if neighbour.en and pair.en:
        before = neighbour.en[0].index < pair.en[0].index
    else:
        before = bool(neighbour.zh and pair.zh and neighbour.zh[0].index < pair.zh[0].index)
    runs = [join.join(clauses[-n:] if before else clauses[:n]) for n in range(1, min(widest, len(clauses)) + 1)]
    if expected and len(text) > 2 * expected:
        runs += [text[-n:] if before else text[:n] for n in (expected, 2 * expected)]
    return list(dict.fromkeys(runs))


def _missing_clause(pair: AlignedPair, embedder: Embedder) -> tuple[str, float, float] | None:
    """The English clause of ``pair`` its Chinese seems to leave out: (clause, similarity with it, without it).

    Each English clause (split at , ; : . ! ? and dashes, at least 3 words) is
    matched against every Chinese clause and the whole Chinese; the one that
    matches worst is taken out of the English, and the pair's similarity is
    measured with and without it.  None when the English has fewer than two
    such clauses.
    """
    # A clause of fillers ("And you know,") is not content a translation owes.
    en = [c.strip() for c in _EN_CLAUSE_SPLIT.split(pair.en_text) if len(_EN_FILLERS.sub(" ", c).split()) >= 3]
    zh = [c.strip() for c in _ZH_CLAUSE_SPLIT.split(pair.zh_text) if len(c.strip()) >= 2]
    if len(en) < 2 or not zh:
        return None
    zh_vecs = embedder.encode([*zh, pair.zh_text])
    clause = en[int((embedder.encode(en) @ zh_vecs.T).max(axis=1).argmin())]
    rest = " ".join(pair.en_text.replace(clause, " ").split())
    whole, without = embedder.encode([pair.en_text, rest]) @ zh_vecs[-1]
    return clause, float(whole), float(without)


def check_length_ratio(
    alignment: Alignment, thresholds: CheckThresholds | None = None, embedder: Embedder | None = None
) -> list[Finding]:
    """Pairs whose Chinese is far shorter or longer than this document's translations usually are.

    Unusually short Chinese for a long English sentence is reported as a
    partial omission (a clause left out); unusually long Chinese as a length
    outlier (padding, or an alignment that swallowed a neighbour).  With
    ``embedder``, somewhat short Chinese is tested clause by clause and the
    finding names the English clause that seems missing.
    """
    th = thresholds or CheckThresholds()
    length_alone = th.partial_omission_z if embedder is None else th.partial_length_alone_z
    pairs_z = _length_z(alignment, th)
    if not pairs_z:
        return []
    # Short Chinese that the model still finds a better-than-usual match for
    # its English is a terse rendering ("我的祖父服毒自杀。"), not a gap.
    scores = [p.score for p in alignment.pairs if p.en and p.zh and p.score is not None]
    median_score = statistics.median(scores) if embedder is not None and scores else None
    near = _neighbours(alignment)
    out = []
    for p, z in pairs_z:
        missing = _missing_clause(p, embedder) if embedder is not None and z < -th.partial_clause_z else None
        # Below -length_alone the length speaks for itself; the clause only names what moved.
        clause_gap = (
            missing
            if missing is not None and z >= -length_alone and missing[2] - missing[1] > th.partial_clause_gain
            else None
        )
        short_alone = z < -length_alone and (p.score is None or median_score is None or p.score < median_score)
        # The clause the Chinese seems to lack may open or close the neighbouring line.
        if (
            (clause_gap or short_alone)
            and missing is not None
            and embedder is not None
            and median_score is not None
            and _rendered_next_door(missing[0], p, near[id(p)], embedder, median_score)
        ):
            continue
        if clause_gap is not None:
            clause, whole, without = clause_gap
            out.append(
                _finding(
                    p,
                    "partial_omission",
                    Severity.WARNING,
                    f'English clause may be missing from the Chinese: "{clause}" (the pair matches better '
                    f"without it, {without:.2f} vs {whole:.2f}; Chinese short for its English, robust z {z:+.1f})",
                    value=round(without - whole, 4),
                    threshold=th.partial_clause_gain,
                )
            )
        elif short_alone:
            out.append(
                _finding(
                    p,
                    "partial_omission",
                    Severity.WARNING,
                    f"Chinese unusually short for its English (robust z {z:+.1f}): part may be missing",
                    value=round(z, 2),
                    threshold=-length_alone,
                )
            )
        elif z > th.length_ratio_z:
            out.append(
                _finding(
                    p,
                    "length_ratio",
                    Severity.INFO,
                    f"Chinese unusually long for its English (robust z {z:+.1f})",
                    value=round(z, 2),
                    threshold=th.length_ratio_z,
                )
            )
    return out
