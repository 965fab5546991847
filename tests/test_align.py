from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subalign.align import (
    AlignerConfig,
    _refine_boundaries,
    _Scorer,
    align_texts,
    calibrate,
    embed_windows,
    format_beads,
)
from subalign.model import Bead
from test_properties import episodes

from conftest import TokenEmbedder


def _beads(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def _check_cover(beads: list[Bead], n: int, m: int) -> None:
    """Every unit exactly once, in order: the aligner may not drop or repeat text."""
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))


def test_one_to_one(fake_embedder: TokenEmbedder) -> None:
    en = [f"English sentence #{i}." for i in range(6)]
    zh = [f"中文句子#{i}。" for i in range(6)]
    beads = align_texts(en, zh, fake_embedder, src_chinese=False, tgt_chinese=True)
    assert _beads(beads) == [((i,), (i,)) for i in range(6)]
    assert all(b.score is not None and b.score > 0.99 for b in beads)


def test_merges_splits_omissions_and_additions(fake_embedder: TokenEmbedder) -> None:
    # EN 0 | 1 2 | 3 | 4 (dropped) | 5 | 6 | (added) | 7
    en = ["#0", "#1 first half", "#2 second half", "#3", "#4 untranslated", "#5", "#6", "#7"]
    zh = ["#0", "#1 #2", "#3a #3", "#3b #3", "#5", "#6", "#99", "#7"]
    beads = align_texts(en, zh, fake_embedder, src_chinese=False, tgt_chinese=True)
    _check_cover(beads, len(en), len(zh))
    got = _beads(beads)
    assert ((1, 2), (1,)) in got
    assert ((3,), (2, 3)) in got
    assert ((4,), ()) in got
    assert ((), (6,)) in got
    null = [b for b in beads if not b.src or not b.tgt]
    assert all(b.score is None for b in null)


def test_one_chinese_sentence_may_render_five_english_ones(fake_embedder: TokenEmbedder) -> None:
    """A 5-1 bead (``max_fan``): beyond ``max_side`` the English would be left beside it as untranslated."""
    en = [f"#{i}" for i in range(8)]
    zh = ["#0", "#1 #2 #3 #4 #5", "#6", "#7"]
    beads = align_texts(en, zh, fake_embedder, src_chinese=False, tgt_chinese=True)
    assert _beads(beads) == [((0,), (0,)), ((1, 2, 3, 4, 5), (1,)), ((6,), (2,)), ((7,), (3,))]
    back = align_texts(zh, en, fake_embedder, src_chinese=True, tgt_chinese=False)
    assert ((1,), (1, 2, 3, 4, 5)) in _beads(back)
    narrow = align_texts(en, zh, fake_embedder, src_chinese=False, tgt_chinese=True, config=AlignerConfig(max_fan=4))
    assert [b for b in narrow if not b.tgt]  # four in the bead at most: the rest left alone
    assert AlignerConfig().bead_types().count((5, 1)) == 1 and (6, 1) not in AlignerConfig().bead_types()
    assert (3, 3) not in AlignerConfig().bead_types()


def test_banded_search_matches_exhaustive_search(fake_embedder: TokenEmbedder) -> None:
    """Coarse-to-fine must find the same path as the full DP on a long document."""
    rng = random.Random(7)
    en, zh = [], []
    k = 0
    while len(en) < 600:
        r = rng.random()
        if r < 0.1:  # 2-1 merge
            en += [f"#{k}", f"#{k + 1}"]
            zh.append(f"#{k} #{k + 1}")
            k += 2
        elif r < 0.15:  # omission
            en.append(f"#{k} dropped")
            k += 1
        else:
            en.append(f"#{k}")
            zh.append(f"#{k}")
            k += 1
    banded = AlignerConfig(coarse_cells=5_000, band=6)
    full = AlignerConfig(coarse_cells=10**9)
    sw = embed_windows(en, fake_embedder, 4, " ")
    tw = embed_windows(zh, fake_embedder, 4, "")
    from subalign.align import align_windows

    a = align_windows(sw, tw, banded)
    b = align_windows(sw, tw, full)
    _check_cover(a, len(en), len(zh))
    assert _beads(a) == _beads(b)


def test_either_side_empty(fake_embedder: TokenEmbedder) -> None:
    assert _beads(align_texts(["#1", "#2"], [], fake_embedder, src_chinese=False, tgt_chinese=True)) == [
        ((0,), ()),
        ((1,), ()),
    ]
    assert _beads(align_texts([], ["#1"], fake_embedder, src_chinese=False, tgt_chinese=True)) == [((), (0,))]


def _scorer(en: list[str], zh: list[str], embedder: TokenEmbedder) -> _Scorer:
    cfg = AlignerConfig()
    sw, tw = embed_windows(en, embedder, cfg.max_side, " "), embed_windows(zh, embedder, cfg.max_side, "")
    return _Scorer.build(sw, tw, [(1, 1)], cfg, calibrate(sw, tw, cfg))


def test_boundary_pass_gives_a_short_sentence_back_to_its_bead(fake_embedder: TokenEmbedder) -> None:
    # "#9" (like 事就这样成了 for "and it was so") belongs to the first English
    # sentence; a DP that weighs big beads more may hand it to the second.
    en = ["#0 #1 #9", "#2 #3"]
    zh = ["#0 #1", "#9", "#2 #3"]
    scorer = _scorer(en, zh, fake_embedder)
    wrong = [((0,), (0,)), ((1,), (1, 2))]
    assert _refine_boundaries(wrong, scorer, AlignerConfig()) == [((0,), (0, 1)), ((1,), (2,))]
    assert _refine_boundaries(wrong, scorer, AlignerConfig(refine_max_move=0)) == wrong


def test_bead_distance_is_the_dp_distance(fake_embedder: TokenEmbedder) -> None:
    """The boundary pass's scalar distance must equal the vectorised one the DP uses."""
    en = [f"#{i} and #{i + 1} here" for i in range(8)]
    zh = [f"#{i}#{i + 3}" for i in range(9)]
    scorer = _scorer(en, zh, fake_embedder)
    for a, b, i, j in [(1, 1, 0, 0), (2, 1, 3, 4), (1, 3, 5, 2), (4, 1, 4, 8), (3, 2, 0, 6)]:
        vectorised = scorer.distances(a, b, np.array([i]), np.array([j]))[0]
        assert scorer.bead_distance(tuple(range(i, i + a)), tuple(range(j, j + b))) == pytest.approx(vectorised)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_boundary_pass_keeps_order_and_never_raises_the_distance(data: st.DataObject) -> None:
    """Every unit stays in exactly one bead, in order, and the summed distance only falls."""
    embedder = TokenEmbedder()
    n = data.draw(st.integers(2, 9))
    m = data.draw(st.integers(2, 9))
    en = [f"#{data.draw(st.integers(0, 12))} #{i + 20}" for i in range(n)]
    zh = [f"#{data.draw(st.integers(0, 12))}" for _ in range(m)]
    scorer = _scorer(en, zh, embedder)
    # A random monotone split of both sides into the same number of non-empty beads.
    k = data.draw(st.integers(1, min(n, m)))
    cuts_en = sorted(data.draw(st.sets(st.integers(1, n - 1), min_size=k - 1, max_size=k - 1))) if k > 1 else []
    cuts_zh = sorted(data.draw(st.sets(st.integers(1, m - 1), min_size=k - 1, max_size=k - 1))) if k > 1 else []
    bounds_en, bounds_zh = [0, *cuts_en, n], [0, *cuts_zh, m]
    spans = [
        (tuple(range(bounds_en[x], bounds_en[x + 1])), tuple(range(bounds_zh[x], bounds_zh[x + 1]))) for x in range(k)
    ]
    refined = _refine_boundaries(spans, scorer, AlignerConfig())
    assert [i for s, _ in refined for i in s] == list(range(n))
    assert [j for _, t in refined for j in t] == list(range(m))
    assert all(s and t for s, t in refined)

    def total(sp: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> float | None:
        ds = [scorer.bead_distance(s, t) for s, t in sp]
        return None if any(d is None for d in ds) else sum(d for d in ds if d is not None)

    before, after = total(spans), total(refined)
    if before is not None:
        assert after is not None and after <= before + 1e-9


def test_format_beads_bertalign_convention() -> None:
    text = format_beads([Bead((0, 1), (0,), 0.81234), Bead((2,), (), None), Bead((), (1,), None)])
    assert text == "[0, 1]:[0]:0.8123\n[2]:[]\n[]:[1]\n"


@pytest.mark.slow
def test_real_model_aligns_english_and_chinese(use_embedder) -> None:  # type: ignore[no-untyped-def]
    """The bundled USE model on real sentences: a 2-1 merge and an untranslated sentence."""
    en = [
        "I spent maybe five years on self-driving.",
        "I think it's a fascinating space.",
        "Waymo in San Francisco is very common.",
        "Find us on twitter at no priors pod.",
        "Tesla has a software problem.",
        "Waymo has a hardware problem.",
    ]
    zh = [
        "我在自动驾驶领域投入了大约五年的时间，这是一个非常令人着迷的领域。",
        "在旧金山，Waymo 自动驾驶已经成为一种常见的出行方式。",
        "Tesla 面临的是软件问题。",
        "而 Waymo 面临的是硬件问题。",
    ]
    beads = align_texts(en, zh, use_embedder, src_chinese=False, tgt_chinese=True)
    assert _beads(beads) == [((0, 1), (0,)), ((2,), (1,)), ((3,), ()), ((4,), (2,)), ((5,), (3,))]
    # Either direction works.
    back = align_texts(zh, en, use_embedder, src_chinese=True, tgt_chinese=False)
    assert _beads(back) == [((0,), (0, 1)), ((1,), (2,)), ((), (3,)), ((2,), (4,)), ((3,), (5,))]


class _CountingEmbedder(TokenEmbedder):
    """The token fake, counting the texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return super().encode(texts)


def test_calibration_reads_only_the_windows_it_announces() -> None:
    from subalign.align import calibration_windows, window_counts

    emb = _CountingEmbedder()
    cfg = AlignerConfig()
    en = [f"Sentence #{i} is here." for i in range(40)]
    zh = [f"第#{i}句。" for i in range(37)]
    full_s, full_t = embed_windows(en, emb, 4, " "), embed_windows(zh, emb, 4, "")
    drawn_s, drawn_t = calibration_windows(window_counts(40, 4), window_counts(37, 4), cfg)
    part_s = embed_windows(en, emb, 4, " ", keep=lambda k, i: k == 1 or (k, i) in drawn_s)
    part_t = embed_windows(zh, emb, 4, "", keep=lambda k, i: k == 1 or (k, i) in drawn_t)
    a, b = calibrate(full_s, full_t, cfg), calibrate(part_s, part_t, cfg)
    assert np.array_equal(a.src_pool, b.src_pool) and np.array_equal(a.tgt_pool, b.tgt_pool)
    assert (a.skip, a.log_ratio) == (b.skip, b.log_ratio)
    assert any(k > 1 for k, _ in drawn_s)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_transcript_alignment_embeds_only_what_it_reads(data: st.DataObject) -> None:
    """Embedding only the windows inside paragraph beads changes nothing but the work done."""
    from pathlib import Path

    import subalign.align as align_module
    from subalign.align import align_transcript
    from subalign.readers import parse_document
    from subalign.segment import segment_sections
    from subalign.textio import DecodedText

    text = data.draw(episodes())
    segmented = segment_sections(parse_document(DecodedText(text, "utf-8", Path("gen.md"))).sections)
    selective = _CountingEmbedder()
    got = align_transcript(segmented, selective)
    every = _CountingEmbedder()
    original = align_module.embed_windows

    def embed_all(units, embedder, max_side, joiner, keep=None, like=None):  # type: ignore[no-untyped-def]
        return original(units, embedder, max_side, joiner)

    align_module.embed_windows = embed_all
    try:
        want = align_transcript(segmented, every)
    finally:
        align_module.embed_windows = original
    assert [(p.en, p.zh, p.score) for p in got.pairs] == [(p.en, p.zh, p.score) for p in want.pairs]
    assert selective.texts <= every.texts
