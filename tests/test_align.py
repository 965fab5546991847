from __future__ import annotations

import random

import pytest

from subalign.align import AlignerConfig, align_texts, embed_windows, format_beads
from subalign.model import Bead

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
