#!/usr/bin/env python3
"""Omission F1 from `subalign align`'s own beads (issue 15): is an untranslated sentence a 1-0 bead?

Deletes 4% of the Chinese units at random (Bible: whole verses; TED: whole
segments), aligns English to the rest with `align_texts` as `subalign align`
does, and scores the English sentences left in 1-0 beads against the
English of the deleted units: with the refinement pass (the default) and
without it (`--no-refine`).  Nothing here was tuned on these sets (the pass
uses the checks' thresholds); the figures are printed for a development half
and a held-out half side by side (Bible: first and second half of the
verses; TED: the first 48 talks and the other 49), so a later change tuned
on one half can be judged on the other.

    python benchmarks/null_beads.py [--share 0.04] [--seed 7 [8 9 ...]]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval-data"

from subalign.align import align_texts  # noqa: E402
from subalign.embed import Embedder, make_embedder  # noqa: E402
from subalign.evaluate import resegment, ted_talks  # noqa: E402
from subalign.refine import refine_beads  # noqa: E402


def _delete(units: Sequence[tuple[list[int], list[int]]], share: float, rng: random.Random) -> set[int]:
    """Indices of the units whose Chinese is deleted (only units with both sides)."""
    both = [k for k, (e, z) in enumerate(units) if e and z]
    return set(rng.sample(both, max(1, round(share * len(both)))))


def _run(en: list[str], zh: list[str], units: list[tuple[list[int], list[int]]], share: float, seed: int,
         embedder: Embedder) -> dict[str, tuple[int, int, int]]:
    gone = _delete(units, share, random.Random(seed))
    gold = {i for k in gone for i in units[k][0]}
    drop = {j for k in gone for j in units[k][1]}
    kept = [t for j, t in enumerate(zh) if j not in drop]
    beads = align_texts(en, kept, embedder, src_chinese=False, tgt_chinese=True)
    out = {}
    for name, bs in (("no refinement", beads),
                     ("refined", refine_beads(beads, en, kept, embedder, src_chinese=False, tgt_chinese=True))):
        found = {i for b in bs if not b.tgt for i in b.src}
        out[name] = (len(found & gold), len(found), len(gold))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _f1(tp: int, n_pred: int, n_gold: int) -> str:
    p, r, f = _prf(tp, n_pred, n_gold)
    return f"P {p:.3f} R {r:.3f} F1 {f:.3f} ({tp} of {n_gold}, {n_pred} predicted)"


def deletion_counts(
    eval_data: Path, embedder: Embedder, share: float, seed: int
) -> dict[tuple[str, str], dict[str, tuple[int, int, int]]]:
    """(set, half) -> {"no refinement" | "refined": (found and deleted, found, deleted)}."""
    out: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {}
    # Bible: units are verses.
    bible = eval_data / "bible-en-zh"
    en = (bible / "en/001").read_text(encoding="utf-8").splitlines()
    zh = (bible / "zh/001").read_text(encoding="utf-8").splitlines()
    en_v, zh_v = (bible / "en.verse").read_text().split(), (bible / "zh.verse").read_text().split()
    verses = list(dict.fromkeys(en_v + zh_v))
    half = len(verses) // 2
    for part, chosen in (("development", verses[:half]), ("held-out", verses[half:])):
        keep = set(chosen)
        e_ids = [i for i, v in enumerate(en_v) if v in keep]
        z_ids = [j for j, v in enumerate(zh_v) if v in keep]
        e_txt, z_txt = [en[i] for i in e_ids], [zh[j] for j in z_ids]
        e_pos = {i: k for k, i in enumerate(e_ids)}
        z_pos = {j: k for k, j in enumerate(z_ids)}
        units = [([e_pos[i] for i in e_ids if en_v[i] == v], [z_pos[j] for j in z_ids if zh_v[j] == v])
                 for v in chosen]
        out[("Bible deleted verses", part)] = _run(e_txt, z_txt, units, share, seed, embedder)
    # TED: units are segments; talks in two halves.
    talks = ted_talks(eval_data / "iwslt17-ted-en-zh")
    half = len(talks) // 2
    for part, chosen in (("development", talks[:half]), ("held-out", talks[half:])):
        totals = {"no refinement": (0, 0, 0), "refined": (0, 0, 0)}
        for n, talk in enumerate(chosen):
            e, z, gold = resegment(talk)
            units = [(list(a), list(b)) for a, b in gold]
            for name, counts in _run(e, z, units, share, seed + n, embedder).items():
                totals[name] = tuple(x + y for x, y in zip(totals[name], counts, strict=True))  # type: ignore[assignment]
        out[("TED deleted segments", part)] = totals
    return out


def omission_from_beads(
    eval_data: Path, embedder: Embedder, share: float = 0.04, seed: int = 7
) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Omission P/R/F1 of `subalign align`'s refined beads: set -> half -> (P, R, F1) (for benchmarks/quality.py)."""
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for (name, part), counts in deletion_counts(eval_data, embedder, share, seed).items():
        out.setdefault(name, {})[part] = _prf(*counts["refined"])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--share", type=float, default=0.04)
    ap.add_argument("--seed", type=int, nargs="+", default=[7],
                    help="draws of deleted units (several: their counts pooled, as one draw varies by +-0.04)")
    args = ap.parse_args()
    print(f"command: python benchmarks/null_beads.py --share {args.share} --seed {' '.join(map(str, args.seed))}")
    embedder = make_embedder(None)
    t0 = time.perf_counter()
    pooled: dict[tuple[str, str, str], tuple[int, int, int]] = {}
    for seed in args.seed:
        for (name, part), res in deletion_counts(SHARED, embedder, args.share, seed).items():
            for kind, counts in res.items():
                if len(args.seed) > 1:
                    print(f"seed {seed}: {name}, {part} half, {kind:<14} {_f1(*counts)}")
                before = pooled.get((name, part, kind), (0, 0, 0))
                pooled[(name, part, kind)] = tuple(a + b for a, b in zip(before, counts, strict=True))  # type: ignore[assignment]
    for (name, part, kind), counts in pooled.items():
        print(f"{name}, {part} half, {kind:<14} {_f1(*counts)}" + (" (draws pooled)" if len(args.seed) > 1 else ""))
    print(f"{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
