#!/usr/bin/env python3
"""How much evidence of a deleted clause is there?  The ceiling of partial-omission detection.

For every pair the length check looks at (English of 40+ characters), four
measurements the checks can make with the default model:

- ``length z``: robust z of the pair's log length ratio within its document;
- ``similarity z``: robust z of the pair's score within its document;
- ``clause cover``: the worst-matched English clause's best cosine to a run
  of 1-3 Chinese clauses (or the whole Chinese);
- ``clause gain``: how much the pair's cosine rises without that clause.

They are printed for the pairs holding a clipped Chinese sentence (the
partial-omission suite of ``benchmarks/quality.py``: the sample's five
draws, and one TED draw with another seed) and for every pair of the
unperturbed documents.  Then a logistic regression on all four, fitted on
TED (the clipped pairs of seed ``--fit-seed`` against every unperturbed
pair), is read at the score that flags 0.2 %, 0.5 % and 1 % of the
unperturbed TED pairs: the share of the sample's clipped pairs it would
find there.  The false-finding target leaves room for about 0.1 %.

    python benchmarks/signals.py [--shared ../shared] [--fit-seed 99]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import quality as Q

from subalign import checks as C
from subalign.embed import Embedder, make_embedder
from subalign.model import Alignment, Lang

FEATURES = ("length z", "similarity z", "clause cover", "clause gain")


def pair_features(alignment: Alignment, embedder: Embedder) -> list[tuple[str, list[float | None]]]:
    """(Chinese text, the four measurements) of each pair the length check reads; clause ones None for one clause."""
    th = C.CheckThresholds()
    scores = [p.score for p in alignment.pairs if p.en and p.zh and p.score is not None]
    median, sigma = C._robust_stats(scores)
    rows: list[tuple[str, list[float | None]]] = []
    for p, z in C._length_z(alignment, th):
        sim_z = (p.score - median) / sigma if p.score is not None else 0.0
        clauses = [
            c.strip() for c in C._EN_CLAUSE_SPLIT.split(p.en_text) if len(C._EN_FILLERS.sub(" ", c).split()) >= 3
        ]
        cover = gain = None
        if len(clauses) >= 2:
            spans = [*C._clause_spans(p.zh_text, Lang.ZH), p.zh_text]
            cover = float((embedder.encode(clauses) @ embedder.encode(spans).T).max(axis=1).min())
            missing = C._missing_clause(p, embedder)
            gain = missing[2] - missing[1] if missing else None
        rows.append((p.zh_text, [z, sim_z, cover, gain]))
    return rows


def clipped(docs: list[Q.Doc], embedder: Embedder, seeds: range, per_doc: int) -> list[list[float | None]]:
    """Measurements of the pairs that hold a clipped Chinese sentence, over draws ``seeds``.

    Every kind is drawn, in the suites' order, so that the partial omissions
    are those `benchmarks/quality.py` scores.
    """
    pool = [s for d in docs for s in d.zh if len(s) >= 8]
    out = []
    for seed in seeds:
        rng = random.Random(seed)
        for kind in Q.ACCEPT:
            for d, zh, par, perts in Q.perturbed_copies(docs, kind, rng, per_doc, pool):
                if kind != "partial_omission":
                    continue
                alignment, _ = Q.align_and_check(d, zh, par, embedder)
                targets = {p.zh_text for p in perts}
                out += [f for text, f in pair_features(alignment, embedder) if any(t in text for t in targets)]
    return out


def unperturbed(docs: list[Q.Doc], embedder: Embedder) -> list[list[float | None]]:
    out = []
    for d in docs:
        alignment, _ = Q.align_and_check(d, d.zh, d.zh_par, embedder)
        out += [f for _, f in pair_features(alignment, embedder)]
    return out


def design(rows: list[list[float | None]]) -> npt.NDArray[np.float64]:
    """Features with clause ones 0 where missing, a has-clauses indicator and an intercept."""
    return np.array([[*(v if v is not None else 0.0 for v in r), float(r[2] is not None), 1.0] for r in rows])


def logistic(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], ridge: float = 1e-3) -> npt.NDArray[np.float64]:
    """Weights of a ridge-regularised logistic regression, by Newton's method."""
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + ridge * np.eye(len(w))
        step = np.linalg.solve(hessian, x.T @ (p - y) + ridge * w)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Q.ROOT.parent / "shared")
    ap.add_argument("--seed", type=int, default=7, help="first of the sample's draws (as benchmarks/quality.py)")
    ap.add_argument("--sample-draws", type=int, default=5)
    ap.add_argument("--fit-seed", type=int, default=99, help="the TED draw the regression is fitted on")
    args = ap.parse_args()
    print("command: python benchmarks/signals.py " + " ".join(sys.argv[1:]))
    embedder = make_embedder(None)
    sample_docs = Q.sample_docs(embedder)
    ted_docs = Q.ted_docs(args.shared)[0]
    sets = {
        "sample, clipped": clipped(sample_docs, embedder, range(args.seed, args.seed + args.sample_draws), 10),
        "sample, unperturbed": unperturbed(sample_docs, embedder),
        "TED, clipped": clipped(ted_docs, embedder, range(args.fit_seed, args.fit_seed + 1), 3),
        "TED, unperturbed": unperturbed(ted_docs, embedder),
    }
    print(f"\n{'pairs':<22}{'n':>6}   " + "".join(f"{f + ' p10/p50/p90':>28}" for f in FEATURES))
    for name, rows in sets.items():
        cells = []
        for k in range(len(FEATURES)):
            values = [v for r in rows if (v := r[k]) is not None]
            p10, p50, p90 = np.percentile(values, [10, 50, 90]) if values else (np.nan,) * 3
            cells.append(f"{p10:+.2f} / {p50:+.2f} / {p90:+.2f}")
        print(f"{name:<22}{len(rows):>6}   " + "".join(f"{c:>28}" for c in cells))

    x = design(sets["TED, clipped"] + sets["TED, unperturbed"])
    y = np.array([1.0] * len(sets["TED, clipped"]) + [0.0] * len(sets["TED, unperturbed"]))
    w = logistic(x, y)
    weights = ", ".join(f"{f} {v:+.2f}" for f, v in zip(FEATURES, w[:4], strict=True))
    print(f"\nlogistic regression fitted on TED, weights: {weights}")
    ted_scores = design(sets["TED, unperturbed"]) @ w
    for rate in (0.002, 0.005, 0.01):
        bar = np.quantile(ted_scores, 1 - rate)
        found = {name: float(np.mean(design(sets[name]) @ w > bar)) for name in ("sample, clipped", "TED, clipped")}
        flagged = int(np.sum(design(sets["sample, unperturbed"]) @ w > bar))
        print(
            f"  flagging {rate:.1%} of unperturbed TED pairs: finds {found['sample, clipped']:.2f} of the sample's "
            f"clipped pairs, {found['TED, clipped']:.2f} of TED's; flags {flagged} unperturbed sample pairs"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
