"""Monotonic m:n sentence alignment over overlap-window embeddings.

The aligner sees two sequences of units (sentences or paragraphs) and the
embeddings of every *window* of up to ``max_side`` consecutive units on each
side.  A bead joins ``a`` source units to ``b`` target units; its cost is the
cosine distance of the two windows, normalised by how far each window lies
from random windows of the other side (so hub-like windows do not win
everywhere, and the scale is calibrated per model and per document), times a
size factor that makes one large bead cost more than the small beads it could
be split into.  Leaving a unit unaligned (1-0, 0-1) costs a quantile of the
costs of random 1-1 pairs of the same document.

Search is coarse-to-fine: the sequences are halved (averaging neighbouring
vectors) until small, aligned exhaustively there, and the path is refined in
a narrow band at each finer level, so time and memory grow linearly with
document length.

A last pass moves the boundary between each two neighbouring beads by up to
``refine_max_move`` units on either side where that lowers the two beads'
summed distance *without* the size factor.  The size factor decides how many
beads there are; it also makes the DP push a short sentence ("事就这样成了。",
"and it was so") into whichever neighbour is already large, and the
unweighted distance puts it back where its meaning belongs (Bible strict F1
0.963 -> 0.981, TED strict 0.916 -> 0.924; see benchmarks/README.md).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .embed import CachedEmbedder, Embedder, FloatMatrix
from .model import AlignedPair, Alignment, Bead, Section, Sentence
from .spans import SpanRequests, SpanSource, SpanSteps, concatenations, run_steps

IntArray = npt.NDArray[np.int64]

_BEAD_OVERHEAD = 1e-4


@dataclass(frozen=True)
class AlignerConfig:
    """Tunable numbers of the aligner, named in one place.

    ``max_bead``: largest ``a + b`` of a bead; ``max_side``: largest ``a`` or
    ``b``; ``max_fan``: largest ``k`` of a one-to-many bead (``k``-1 or
    1-``k``), beyond ``max_side``: one Chinese sentence with no punctuation
    inside (a subtitle-style track, an LLM's condensed rendering, TED's
    unpunctuated segments run together) renders five English sentences, which a
    4-1 bead leaves beside it as untranslated (on the faithful 5.6-hour episode
    of `benchmarks/long_episode.py`, 11 of its 36 omission warnings, all false;
    6 would take 2 more for 4% more time on the sample). ``band``: half width,
    in units, of the search corridor around the projected coarse path.
    ``coarse_cells``: above this many DP cells the problem is halved first.
    ``skip_quantile``: quantile of random 1-1 costs that a 1-0 or 0-1 bead
    costs. ``size_exponent``: cost grows with ``(a*b) ** size_exponent``.
    ``length_weight``: weight of the penalty on beads whose length ratio departs
    from the document's. ``skip_exclude_best``: per source unit, this many best
    targets are left out when measuring what unrelated pairs cost.
    ``default_skip``: the skip cost of documents too small to calibrate (costs
    are normalised so unrelated text costs about 1). ``refine_max_move``: how
    many units the boundary pass may move from a bead to its neighbour (0 turns
    the pass off); ``refine_rounds``: passes at most.
    """

    max_bead: int = 5
    max_side: int = 4
    max_fan: int = 5
    band: int = 10
    coarse_cells: int = 60_000
    skip_quantile: float = 0.1
    size_exponent: float = 1.0
    length_weight: float = 0.3
    random_samples: int = 200
    skip_exclude_best: int = 3
    min_calibration_units: int = 12
    default_skip: float = 0.7
    seed: int = 1234
    refine_max_move: int = 2
    refine_rounds: int = 5

    @property
    def widest(self) -> int:
        """The most units a bead holds on one side (``max_side`` or ``max_fan``): the widest window needed."""
        return max(self.max_side, self.max_fan)

    def bead_types(self) -> list[tuple[int, int]]:
        types = [(1, 0), (0, 1)]
        for a in range(1, self.max_side + 1):
            for b in range(1, self.max_side + 1):
                if a + b <= self.max_bead:
                    types.append((a, b))
        for k in range(self.max_side + 1, self.max_fan + 1):
            types += [(k, 1), (1, k)]
        return types


@dataclass(frozen=True)
class Windows:
    """Embeddings and lengths of all windows of one side.

    ``vecs[k]`` has one row per window of ``k`` consecutive units starting at
    each position (``n - k + 1`` rows); ``lengths[k]`` the windows' text
    lengths in characters.
    """

    vecs: dict[int, FloatMatrix]
    lengths: dict[int, npt.NDArray[np.float64]]

    @property
    def size(self) -> int:
        return int(self.vecs[1].shape[0]) if 1 in self.vecs else 0

    def slice(self, start: int, stop: int) -> Windows:
        """The windows lying wholly inside units ``start..stop-1``."""
        n = stop - start
        return Windows(
            {k: v[start : stop - k + 1] for k, v in self.vecs.items() if k <= n},
            {k: v[start : stop - k + 1] for k, v in self.lengths.items() if k <= n},
        )


def window_texts(units: Sequence[str], k: int, joiner: str) -> list[str]:
    """Texts of all windows of ``k`` consecutive units."""
    return [joiner.join(units[i : i + k]) for i in range(len(units) - k + 1)]


def window_counts(n: int, max_side: int) -> dict[int, int]:
    """How many windows of each size 1..``max_side`` a sequence of ``n`` units has."""
    return {k: n - k + 1 for k in range(1, min(max_side, n) + 1)}


#: Units per span request when windows are read from spans: bounds one pass's tokens.
_SPAN_BLOCK = 48


def embed_windows(
    units: Sequence[str],
    embedder: Embedder,
    max_side: int,
    joiner: str,
    keep: Callable[[int, int], bool] | None = None,
    like: Windows | None = None,
) -> Windows:
    """Embed every window of 1..``max_side`` units.

    Single units are embedded as texts through the run's store (they are the
    sentences every stage shares); longer windows are joins of their units'
    pooled features (USE, `subalign.spans.concatenations`) or spans of the
    joined units (other models: one pass per block of units instead of one
    text per window).  With ``keep``, only the windows ``(size, start)`` it
    accepts are embedded, for callers that know which windows they will
    read; the others keep their vectors from ``like`` (windows of the same
    units embedded before) or get zero vectors.  Lengths are always exact.
    Windows read from spans of prepared texts: `span_windows_steps`.
    """
    sizes = window_counts(len(units), max_side)
    if not sizes:
        return Windows({}, {})
    lens: dict[int, npt.NDArray[np.float64]] = {}
    rows: dict[int, list[int]] = {}
    for k, count in sizes.items():
        lens[k] = np.array([len(t) for t in window_texts(units, k, joiner)], dtype=np.float64)
        rows[k] = [i for i in range(count) if keep is None or keep(k, i)]
    got: dict[int, FloatMatrix] = {}
    longer = {k: idx for k, idx in rows.items() if idx and k > 1}
    if isinstance(embedder, CachedEmbedder) and embedder.pooling:
        # Windows from their units' pooled features: no second pass over the text.
        if rows.get(1):
            got[1] = embedder.encode([units[i] for i in rows[1]])
        if longer:
            got.update(concatenations(embedder, units, joiner, longer))
    else:
        if rows.get(1):
            got[1] = embedder.encode([units[i] for i in rows[1]])
        if longer:
            got.update(run_steps(_window_span_steps(units, joiner, longer), SpanSource(embedder)))
    dim = next((v.shape[1] for v in got.values()), like.vecs[1].shape[1] if like is not None else 1)
    out: dict[int, FloatMatrix] = {}
    for k, idx in rows.items():
        block = got.get(k, np.zeros((0, dim), dtype=np.float32))
        if keep is None:
            out[k] = block
        else:
            full = like.vecs[k].copy() if like is not None and k in like.vecs else None
            if full is None:
                full = np.zeros((len(lens[k]), dim), dtype=np.float32)
            full[idx] = block
            out[k] = full
    return Windows(out, lens)


def span_windows_steps(units: Sequence[str], max_side: int, joiner: str) -> SpanSteps[Windows]:
    """Every window of 1..``max_side`` units, all read as spans of the joined units (`SpanSteps`).

    For a caller that batches its requests with others' (the cue builder's
    clause windows, read from the texts it prepared).
    """
    sizes = window_counts(len(units), max_side)
    lens = {k: np.array([len(t) for t in window_texts(units, k, joiner)], dtype=np.float64) for k in sizes}
    got = (yield from _window_span_steps(units, joiner, {k: list(range(n)) for k, n in sizes.items()})) if sizes else {}
    return Windows(got, lens)


def _window_span_steps(
    units: Sequence[str], joiner: str, wanted: dict[int, list[int]]
) -> SpanSteps[dict[int, FloatMatrix]]:
    max_side = max(wanted)
    requests: SpanRequests = []
    where: list[tuple[int, int, int, int]] = []  # (size, row in wanted[size], request, span in request)
    starts = sorted({i for idx in wanted.values() for i in idx})
    first = 0
    while first < len(starts):
        b = starts[first]
        block_end = b + _SPAN_BLOCK
        last = first
        while last < len(starts) and starts[last] < block_end:
            last += 1
        end = min(len(units), block_end + max_side - 1)
        offsets, pos = [], 0
        for u in units[b:end]:
            offsets.append(pos)
            pos += len(u) + len(joiner)
        text = joiner.join(units[b:end])
        spans: list[tuple[int, int]] = []
        block_starts = set(starts[first:last])
        for k, idx in wanted.items():
            for row, i in enumerate(idx):
                if i in block_starts:
                    a = offsets[i - b]
                    z = offsets[i - b + k - 1] + len(units[i + k - 1])
                    where.append((k, row, len(requests), len(spans)))
                    spans.append((a, z))
        requests.append((text, spans))
        first = last
    vecs = yield requests
    dim = vecs[0].shape[1] if vecs else 1
    out = {k: np.zeros((len(idx), dim), dtype=np.float32) for k, idx in wanted.items()}
    for k, row, r, j in where:
        out[k][row] = vecs[r][j]
    return out


def averaged_windows(vecs: FloatMatrix, lengths: npt.NDArray[np.float64], max_side: int) -> Windows:
    """Windows built by summing unit vectors (used on coarse levels)."""
    out_v: dict[int, FloatMatrix] = {}
    out_l: dict[int, npt.NDArray[np.float64]] = {}
    n = vecs.shape[0]
    csum = np.vstack([np.zeros((1, vecs.shape[1]), dtype=np.float64), np.cumsum(vecs, axis=0, dtype=np.float64)])
    lsum = np.concatenate([[0.0], np.cumsum(lengths)])
    for k in range(1, min(max_side, n) + 1):
        s = csum[k:] - csum[:-k]
        norms = np.linalg.norm(s, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        out_v[k] = (s / norms).astype(np.float32)
        out_l[k] = lsum[k:] - lsum[:-k]
    return Windows(out_v, out_l)


@dataclass(frozen=True)
class Calibration:
    """What the costs are measured against, taken from a whole document.

    ``src_pool``/``tgt_pool``: random windows of each side (a window's
    distance to them says how far it lies from unrelated text);
    ``skip``: the cost of leaving one unit unaligned; ``log_ratio``: the
    document's log length ratio (target/source).  Aligning a slice of a
    document (the sentences of one paragraph bead) reuses the document's
    calibration: a handful of sentences cannot tell what "random" looks like.
    """

    src_pool: FloatMatrix
    tgt_pool: FloatMatrix
    skip: float
    log_ratio: float


def _pool_picks(rng: np.random.Generator, total: int, config: AlignerConfig) -> npt.NDArray[np.int64]:
    """Random rows of the pool of all ``total`` windows (sizes in increasing order, stacked)."""
    picks: npt.NDArray[np.int64] = rng.integers(0, total, size=min(config.random_samples, total))
    return picks


def calibration_windows(
    src_counts: dict[int, int], tgt_counts: dict[int, int], config: AlignerConfig
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The windows ``(size, start)`` of each side that `calibrate` draws.

    The same draws as `calibrate` makes, so a caller can embed only these and
    the windows it aligns.
    """
    rng = np.random.default_rng(config.seed)

    def windows(counts: dict[int, int]) -> set[tuple[int, int]]:
        sizes = sorted(counts)
        offsets = np.cumsum([0] + [counts[k] for k in sizes])
        out = set()
        for row in _pool_picks(rng, sum(counts.values()), config):
            b = int(np.searchsorted(offsets, row, side="right")) - 1
            out.add((sizes[b], int(row - offsets[b])))
        return out

    return windows(src_counts), windows(tgt_counts)


def calibrate(src: Windows, tgt: Windows, config: AlignerConfig) -> Calibration:
    """Calibration of one document pair (both sides non-empty)."""
    rng = np.random.default_rng(config.seed)

    def sample(w: Windows) -> FloatMatrix:
        pool = np.vstack([w.vecs[k] for k in sorted(w.vecs)])
        picked: FloatMatrix = pool[_pool_picks(rng, pool.shape[0], config)]
        return picked

    total_s = float(src.lengths[1].sum()) or 1.0
    total_t = float(tgt.lengths[1].sum()) or 1.0
    cal = Calibration(sample(src), sample(tgt), config.default_skip, math.log(total_t / total_s))
    n, m = src.size, tgt.size
    if m < config.min_calibration_units or n < config.min_calibration_units:
        return cal  # too small to tell unrelated pairs from translations
    scorer = _Scorer.build(src, tgt, [(1, 1)], config, cal)
    rows = rng.choice(n, size=min(n, 300), replace=False)
    cols = np.arange(m)
    costs = np.stack([scorer.pair_costs(1, 1, np.full(m, r), cols) for r in rows])
    # Each row's best few columns may be its translation: drop them, keep the unrelated pairs.
    costs.sort(axis=1)
    unrelated = costs[:, config.skip_exclude_best :].ravel()
    skip = float(np.quantile(unrelated, config.skip_quantile))
    return Calibration(cal.src_pool, cal.tgt_pool, skip, cal.log_ratio)


@dataclass
class _Scorer:
    """Bead costs for one pair of window sets under a calibration."""

    src: Windows
    tgt: Windows
    types: list[tuple[int, int]]
    config: AlignerConfig
    norm_src: dict[int, npt.NDArray[np.float64]]
    norm_tgt: dict[int, npt.NDArray[np.float64]]
    skip: float
    log_ratio: float

    @classmethod
    def build(
        cls, src: Windows, tgt: Windows, types: list[tuple[int, int]], config: AlignerConfig, cal: Calibration
    ) -> _Scorer:
        # 1 - mean cosine to random windows of the other side: the distance a
        # window has to unrelated text.  Floors keep degenerate cases finite.
        norm_src = {
            k: np.maximum(1.0 - (v @ cal.tgt_pool.T).mean(axis=1), 0.05).astype(np.float64) for k, v in src.vecs.items()
        }
        norm_tgt = {
            k: np.maximum(1.0 - (v @ cal.src_pool.T).mean(axis=1), 0.05).astype(np.float64) for k, v in tgt.vecs.items()
        }
        return cls(src, tgt, types, config, norm_src, norm_tgt, cal.skip, cal.log_ratio)

    def distances(self, a: int, b: int, i: IntArray, j: IntArray) -> npt.NDArray[np.float64]:
        """Normalised, length-penalised distances of ``a`` source windows at ``i`` to ``b`` target at ``j``."""
        x = self.src.vecs[a][i]
        y = self.tgt.vecs[b][j]
        cos = np.minimum(np.einsum("ij,ij->i", x, y).astype(np.float64), 1.0)
        dist = 2.0 * (1.0 - cos) / (self.norm_src[a][i] + self.norm_tgt[b][j])
        ratio = np.log((self.tgt.lengths[b][j] + 1.0) / (self.src.lengths[a][i] + 1.0)) - self.log_ratio
        out: npt.NDArray[np.float64] = dist * (1.0 + self.config.length_weight * np.abs(ratio))
        return out

    def pair_costs(self, a: int, b: int, i: IntArray, j: IntArray) -> npt.NDArray[np.float64]:
        """Costs of beads with ``a`` source windows starting at ``i`` and ``b`` at ``j``."""
        # The small overhead breaks exact ties in favour of smaller beads.
        cost: npt.NDArray[np.float64] = self.distances(a, b, i, j) * float(a * b) ** self.config.size_exponent
        return cost + _BEAD_OVERHEAD * (a * b - 1)

    def bead_distance(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> float | None:
        """Distance of one bead of consecutive units, or None where no window that size exists."""
        a, b = len(src), len(tgt)
        if not a or not b or a not in self.src.vecs or b not in self.tgt.vecs:
            return None
        i, j = src[0], tgt[0]
        # Scalar arithmetic of `distances` for one bead: this runs once per candidate move.
        cos = min(float(self.src.vecs[a][i] @ self.tgt.vecs[b][j]), 1.0)
        dist = 2.0 * (1.0 - cos) / (float(self.norm_src[a][i]) + float(self.norm_tgt[b][j]))
        ratio = math.log((float(self.tgt.lengths[b][j]) + 1.0) / (float(self.src.lengths[a][i]) + 1.0)) - self.log_ratio
        return dist * (1.0 + self.config.length_weight * abs(ratio))

    def cosine(self, a: int, b: int, i: int, j: int) -> float:
        return float(self.src.vecs[a][i] @ self.tgt.vecs[b][j])


def _banded_dp(
    n: int,
    m: int,
    lo: list[int],
    hi: list[int],
    types: list[tuple[int, int]],
    scorer: _Scorer,
) -> list[tuple[int, int, int]]:
    """Cheapest monotone path from (0, 0) to (n, m) inside the band.

    Row ``i`` may use columns ``lo[i]..hi[i]`` inclusive.  Returns the path as
    ``(i, j, type index)`` of each bead's *end* cell, in order.
    """
    inf = math.inf
    cost_rows: list[list[float]] = []
    back_rows: list[list[int]] = []
    # Every bead cost of the band at once, one array call per bead type (a row at a time
    # was 13,000 small calls on the sample); each cell's value is the same either way.
    widths = [hi[i] - lo[i] + 1 for i in range(n + 1)]
    offsets = [0, *itertools.accumulate(widths)]
    cell_i = np.repeat(np.arange(n + 1), widths)
    cell_j = np.concatenate([np.arange(lo[i], hi[i] + 1) for i in range(n + 1)])
    band_costs: dict[int, list[float]] = {}
    for t, (a, b) in enumerate(types):
        if a == 0 or b == 0:
            continue
        valid = (cell_i >= a) & (cell_j >= b) & (cell_j - b <= m - b)
        costs = np.full(len(cell_i), inf)
        if valid.any():
            costs[valid] = scorer.pair_costs(a, b, cell_i[valid] - a, cell_j[valid] - b)
        band_costs[t] = costs.tolist()
    for i in range(n + 1):
        lo_i, width = lo[i], widths[i]
        per_type: list[tuple[int, int, int, list[float]]] = []
        for t, (a, b) in enumerate(types):
            if i < a:
                continue
            if a == 0 or b == 0:
                per_type.append((t, a, b, [scorer.skip] * width))
                continue
            per_type.append((t, a, b, band_costs[t][offsets[i] : offsets[i] + width]))
        row = [inf] * width
        back = [-1] * width
        if i == 0 and lo_i == 0:
            row[0] = 0.0
        for col in range(width):
            j = lo_i + col
            best = row[col]
            best_t = back[col]
            for t, a, b, costs in per_type:
                pj = j - b
                if pj < 0:
                    continue
                if a == 0:
                    k = col - b
                    if k < 0:
                        continue
                    prev_val = row[k]
                else:
                    pi = i - a
                    k = pj - lo[pi]
                    if k < 0 or k >= len(cost_rows[pi]):
                        continue
                    prev_val = cost_rows[pi][k]
                v = prev_val + costs[col]
                if v < best:
                    best = v
                    best_t = t
            row[col] = best
            back[col] = best_t
        cost_rows.append(row)
        back_rows.append(back)
    if not (lo[n] <= m <= hi[n]) or cost_rows[n][m - lo[n]] == inf:
        raise RuntimeError("alignment band does not reach the end")  # a bug, never user input
    path: list[tuple[int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = back_rows[i][j - lo[i]]
        path.append((i, j, t))
        a, b = types[t]
        i, j = i - a, j - b
    path.reverse()
    return path


def _full_band(n: int, m: int) -> tuple[list[int], list[int]]:
    return [0] * (n + 1), [m] * (n + 1)


def _band_around(points: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[list[int], list[int]]:
    """Per-row column ranges covering every path point ± ``width``, kept monotone."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for i, j in points:
        for r in range(max(0, i - width), min(n, i + width) + 1):
            lo[r] = min(lo[r], max(0, j - width))
            hi[r] = max(hi[r], min(m, j + width))
    # Make ranges monotone and connected so every row is reachable.
    for r in range(1, n + 1):
        lo[r] = max(lo[r], 0) if lo[r] <= hi[r] else lo[r - 1]
        hi[r] = max(hi[r], hi[r - 1])
    for r in range(n - 1, -1, -1):
        lo[r] = min(lo[r], lo[r + 1])
    lo[0] = 0
    hi[n] = m
    for r in range(n + 1):
        lo[r] = min(lo[r], hi[r])
    return lo, hi


def _halve(vecs: FloatMatrix, lengths: npt.NDArray[np.float64]) -> tuple[FloatMatrix, npt.NDArray[np.float64]]:
    n = vecs.shape[0]
    pairs = n // 2
    v = vecs[: 2 * pairs].reshape(pairs, 2, -1).sum(axis=1)
    ln = lengths[: 2 * pairs].reshape(pairs, 2).sum(axis=1)
    if n % 2:
        v = np.vstack([v, vecs[-1:]])
        ln = np.concatenate([ln, lengths[-1:]])
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (v / norms).astype(np.float32), ln


_COARSE_TYPES = [(1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2)]


def _coarse_path(
    src: FloatMatrix,
    src_len: npt.NDArray[np.float64],
    tgt: FloatMatrix,
    tgt_len: npt.NDArray[np.float64],
    config: AlignerConfig,
) -> list[tuple[int, int]]:
    """Path points (i, j) through the full grid, found coarse-to-fine."""
    n, m = src.shape[0], tgt.shape[0]
    sw = averaged_windows(src, src_len, 2)
    tw = averaged_windows(tgt, tgt_len, 2)
    types = [t for t in _COARSE_TYPES if max(t) <= min(2, n, m) or 0 in t]
    scorer = _Scorer.build(sw, tw, types, config, calibrate(sw, tw, config))
    if (n + 1) * (m + 1) <= config.coarse_cells or min(n, m) < 8:
        lo, hi = _full_band(n, m)
    else:
        hs, hsl = _halve(src, src_len)
        ht, htl = _halve(tgt, tgt_len)
        coarse = _coarse_path(hs, hsl, ht, htl, config)
        points = [(min(2 * i, n), min(2 * j, m)) for i, j in coarse]
        lo, hi = _band_around(points, n, m, config.band)
    path = _banded_dp(n, m, lo, hi, types, scorer)
    return [(0, 0)] + [(i, j) for i, j, _ in path]


def align_windows(
    src: Windows, tgt: Windows, config: AlignerConfig | None = None, calibration: Calibration | None = None
) -> list[Bead]:
    """Align two sequences given the embeddings of their windows.

    ``calibration`` defaults to one measured on these two sequences; pass the
    enclosing document's when aligning a slice of it.  Returns beads covering
    every unit of both sides exactly once, in order.
    """
    config = config or AlignerConfig()
    n, m = src.size, tgt.size
    if n == 0 or m == 0:
        return [Bead((i,), (), None) for i in range(n)] + [Bead((), (j,), None) for j in range(m)]
    types = [(a, b) for a, b in config.bead_types() if a <= max(src.vecs) and b <= max(tgt.vecs)]
    scorer = _Scorer.build(src, tgt, types, config, calibration or calibrate(src, tgt, config))
    if (n + 1) * (m + 1) <= config.coarse_cells:
        lo, hi = _full_band(n, m)
    else:
        points = _coarse_path(src.vecs[1], src.lengths[1], tgt.vecs[1], tgt.lengths[1], config)
        lo, hi = _band_around(points, n, m, config.band)
    path = _banded_dp(n, m, lo, hi, types, scorer)
    spans = []
    for i, j, t in path:
        a, b = types[t]
        spans.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
    spans = _refine_boundaries(spans, scorer, config)
    return [Bead(s, t, scorer.cosine(len(s), len(t), s[0], t[0]) if s and t else None) for s, t in spans]


Span = tuple[tuple[int, ...], tuple[int, ...]]


def _refine_boundaries(spans: list[Span], scorer: _Scorer, config: AlignerConfig) -> list[Span]:
    """Move units between neighbouring non-null beads where their summed unweighted distance falls."""
    spans = list(spans)
    limit = config.refine_max_move
    for _ in range(config.refine_rounds if limit else 0):
        moved = False
        for k in range(len(spans) - 1):
            (s1, t1), (s2, t2) = spans[k], spans[k + 1]
            if not (s1 and t1 and s2 and t2):
                continue
            d1, d2 = scorer.bead_distance(s1, t1), scorer.bead_distance(s2, t2)
            if d1 is None or d2 is None:
                continue
            best, best_split = d1 + d2, None
            cand: tuple[tuple[int, ...], ...]
            for q in range(1, limit + 1):
                for cand in (
                    (s1, t1[:-q], s2, t1[-q:] + t2),
                    (s1, t1 + t2[:q], s2, t2[q:]),
                    (s1[:-q], t1, s1[-q:] + s2, t2),
                    (s1 + s2[:q], t1, s2[q:], t2),
                ):
                    a1, b1, a2, b2 = cand
                    if len(a1) + len(b1) > config.max_bead or len(a2) + len(b2) > config.max_bead:
                        continue
                    e1, e2 = scorer.bead_distance(a1, b1), scorer.bead_distance(a2, b2)
                    if e1 is not None and e2 is not None and e1 + e2 < best:
                        best, best_split = e1 + e2, cand
            if best_split:
                spans[k], spans[k + 1] = (best_split[0], best_split[1]), (best_split[2], best_split[3])
                moved = True
        if not moved:
            break
    return spans


def joiner_for(lang_is_chinese: bool) -> str:
    """How units are joined into a window: no space between Chinese sentences."""
    return "" if lang_is_chinese else " "


def align_texts(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    *,
    src_chinese: bool,
    tgt_chinese: bool,
    config: AlignerConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Bead]:
    """Embed the windows of both sides and align them."""
    config = config or AlignerConfig()
    if progress:
        progress("embedding")
    sw = embed_windows(src, embedder, config.widest, joiner_for(src_chinese))
    tw = embed_windows(tgt, embedder, config.widest, joiner_for(tgt_chinese))
    if progress:
        progress("aligning")
    return align_windows(sw, tw, config)


def format_beads(beads: Sequence[Bead]) -> str:
    """Beads in the Bertalign/Vecalign text convention, one a line.

    ``[0, 1]:[0]:0.8123`` -- source ids, target ids, cosine of the bead;
    null beads have no score: ``[3]:[]``.
    """
    lines = []
    for b in beads:
        head = f"[{', '.join(map(str, b.src))}]:[{', '.join(map(str, b.tgt))}]"
        lines.append(head if b.score is None else f"{head}:{b.score:.4f}")
    return "\n".join(lines) + ("\n" if lines else "")


# --------------------------------------------------------------------------
# transcripts: sections -> paragraphs -> sentences


@dataclass(frozen=True)
class TranscriptAlignerConfig:
    """How a whole transcript is aligned.

    Paragraphs are aligned first (translators merge and split paragraphs, but
    rarely move sentences across them), then sentences inside each paragraph
    bead.  When the two sides' paragraph counts differ by more than
    ``max_paragraph_ratio`` the paragraphs carry no usable evidence and the
    section's sentences are aligned directly.
    """

    sentences: AlignerConfig = AlignerConfig()
    # No boundary pass between paragraphs: it was measured on sentences only,
    # and on the sample it moved a paragraph the translator had folded into
    # its neighbour ("Does that make sense to you?") out of its bead.
    paragraphs: AlignerConfig = AlignerConfig(max_bead=4, max_side=3, max_fan=3, refine_max_move=0)
    max_paragraph_ratio: float = 2.0


def _section_beads(
    section: Section,
    en: Sequence[Sentence],
    zh: Sequence[Sentence],
    embedder: Embedder,
    config: TranscriptAlignerConfig,
) -> list[Bead]:
    """Beads over the section's sentence positions (0-based within the section)."""
    sc = config.sentences
    en_texts, zh_texts = [s.text for s in en], [s.text for s in zh]
    n_en, n_zh = len(section.en), len(section.zh)
    ratio = max(n_en, n_zh) / max(1, min(n_en, n_zh))
    if not en or not zh or min(n_en, n_zh) < 2 or ratio > config.max_paragraph_ratio:
        sw = embed_windows(en_texts, embedder, sc.widest, joiner_for(False))
        tw = embed_windows(zh_texts, embedder, sc.widest, joiner_for(True))
        return align_windows(sw, tw, sc, calibrate(sw, tw, sc) if en and zh else None)
    # Paragraph vectors pool the sentence vectors: no long texts to encode,
    # and on the sample at least as accurate as embedding whole paragraphs
    # (which blurs a paragraph's first and last sentences).
    sw = embed_windows(en_texts, embedder, sc.widest, joiner_for(False), keep=lambda k, i: k == 1)
    tw = embed_windows(zh_texts, embedder, sc.widest, joiner_for(True), keep=lambda k, i: k == 1)
    para_beads = align_windows(
        _pooled_paragraphs(sw, en, n_en, config.paragraphs.max_side),
        _pooled_paragraphs(tw, zh, n_zh, config.paragraphs.max_side),
        config.paragraphs,
    )
    # Sentence positions of each paragraph; a paragraph bead covers consecutive
    # paragraphs, hence a contiguous run of sentences on each side.
    en_first = _first_positions(en, n_en)
    zh_first = _first_positions(zh, n_zh)
    spans = [
        (
            (en_first[pb.src[0]], en_first[pb.src[-1] + 1]) if pb.src else (0, 0),
            (zh_first[pb.tgt[0]], zh_first[pb.tgt[-1] + 1]) if pb.tgt else (0, 0),
        )
        for pb in para_beads
    ]
    # Longer windows are embedded only where they are read: inside a paragraph
    # bead, or drawn by the calibration (about 40% of the text is spared).
    en_cal, zh_cal = calibration_windows(window_counts(len(en), sc.widest), window_counts(len(zh), sc.widest), sc)
    en_read, zh_read = (
        en_cal | _inside([e for e, _ in spans], sc.widest),
        zh_cal | _inside([z for _, z in spans], sc.widest),
    )
    sw = embed_windows(
        en_texts, embedder, sc.widest, joiner_for(False), keep=lambda k, i: k > 1 and (k, i) in en_read, like=sw
    )
    tw = embed_windows(
        zh_texts, embedder, sc.widest, joiner_for(True), keep=lambda k, i: k > 1 and (k, i) in zh_read, like=tw
    )
    cal = calibrate(sw, tw, sc)
    beads: list[Bead] = []
    for (e0, e1), (z0, z1) in spans:
        inner = align_windows(sw.slice(e0, e1), tw.slice(z0, z1), sc, cal)
        for b in inner:
            beads.append(Bead(tuple(e0 + i for i in b.src), tuple(z0 + j for j in b.tgt), b.score))
    return beads


def _inside(spans: list[tuple[int, int]], max_side: int) -> set[tuple[int, int]]:
    """The windows ``(size, start)`` of 2..``max_side`` units that lie wholly inside one of ``spans``."""
    return {(k, i) for a, b in spans for k in range(2, max_side + 1) for i in range(a, b - k + 1)}


def _pooled_paragraphs(w: Windows, sentences: Sequence[Sentence], n_paragraphs: int, max_side: int) -> Windows:
    """Windows of paragraphs whose vectors are the normalised sums of their sentences' vectors."""
    vecs = np.zeros((n_paragraphs, w.vecs[1].shape[1]), dtype=np.float64)
    lengths = np.zeros(n_paragraphs, dtype=np.float64)
    for pos, s in enumerate(sentences):
        vecs[s.paragraph] += w.vecs[1][pos]
        lengths[s.paragraph] += len(s.text)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return averaged_windows((vecs / norms).astype(np.float32), lengths, max_side)


def _first_positions(sentences: Sequence[Sentence], n_paragraphs: int) -> list[int]:
    """``out[p]`` = position of paragraph ``p``'s first sentence; ``out[n]`` = len."""
    out = [len(sentences)] * (n_paragraphs + 1)
    for pos in range(len(sentences) - 1, -1, -1):
        out[sentences[pos].paragraph] = pos
    # A paragraph with no sentence starts where the next one does.
    for p in range(n_paragraphs - 1, -1, -1):
        out[p] = min(out[p], out[p + 1])
    return out


def align_transcript(
    segmented: Sequence[tuple[Section, list[Sentence], list[Sentence]]],
    embedder: Embedder,
    config: TranscriptAlignerConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> Alignment:
    """Align every section of a segmented transcript, English to Chinese."""
    config = config or TranscriptAlignerConfig()
    result = Alignment()
    for section, en, zh in segmented:
        if progress:
            progress(f"section {section.label}")
        beads = _section_beads(section, en, zh, embedder, config)
        for b in beads:
            result.pairs.append(
                AlignedPair(section.label, tuple(en[i] for i in b.src), tuple(zh[j] for j in b.tgt), b.score)
            )
    return result
