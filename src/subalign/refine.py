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
"""

from __future__ import annotations

from collections.abc import Sequence

from .checks import CheckThresholds, refine_merged
from .embed import Embedder
from .model import AlignedPair, Alignment, Bead, Lang, Sentence


def refine_alignment(alignment: Alignment, embedder: Embedder, thresholds: CheckThresholds | None = None) -> Alignment:
    """A transcript's alignment with the sentences merged beads do not need as pairs of their own."""
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
