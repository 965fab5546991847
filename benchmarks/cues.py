#!/usr/bin/env python3
"""Does each split cue's Chinese render its own English?  (issue: professional cues)

Builds the cues of the sample episode (or any transcript) with the default
profile, then for every *split* cue -- a cue holding part of a sentence that
also reaches another cue -- compares the similarity of the cue's English to
its own Chinese with the similarity to the Chinese of the neighbouring cues.
Prints the share of split cues whose own Chinese is the most similar, for the
in-step splitter (clause alignment with embeddings) and for the length-only
splitter (ablation), judged by USE and, when a model folder is given, by a
second model that did not take part in the splitting.  Also prints the hard
lint violations of the bilingual cues and the time taken.

    python benchmarks/cues.py [TRANSCRIPT] [--duration 44:10] [--judge models/multilingual-e5-small]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from subalign.align import align_transcript
from subalign.cues import build_cues
from subalign.embed import make_embedder
from subalign.lint import LintCue, is_hard, lint_cues
from subalign.media import parse_duration
from subalign.model import Cue
from subalign.readers import read_transcript
from subalign.refine import refine_alignment
from subalign.segment import segment_sections
from subalign.style import PROFILES
from subalign.timing import estimate_from_duration

ROOT = Path(__file__).resolve().parents[1]


def split_cue_indices(cues: list[Cue]) -> list[int]:
    count = Counter(i for c in cues for i in c.en_ids)
    return [k for k, c in enumerate(cues) if c.zh and any(count[i] > 1 for i in c.en_ids)]


def own_best_share(cues: list[Cue], idx: list[int], judge) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    flat = lambda t: t.replace("\n", " ")  # noqa: E731
    en = judge.encode([flat(c.en) for c in cues])
    zh = judge.encode([c.zh.replace("\n", "") or " " for c in cues])
    wins = total = 0
    for k in idx:
        neighbours = [j for j in (k - 1, k + 1) if 0 <= j < len(cues) and cues[j].zh]
        if not neighbours:
            continue
        own = float(en[k] @ zh[k])
        other = max(float(en[k] @ zh[j]) for j in neighbours)
        wins += own > other
        total += 1
    return (wins / total if total else float("nan")), total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("transcript", nargs="?", type=Path, default=ROOT / "samples" / "no-priors-ep80-karpathy.md")
    ap.add_argument("--duration", default="44:10")
    ap.add_argument("--judge", default=None, help="a second model folder (sentence-transformers) to judge with")
    args = ap.parse_args()
    profile = PROFILES["netflix"]
    use = make_embedder(None)
    segmented = segment_sections(read_transcript(args.transcript).sections)
    alignment = refine_alignment(align_transcript(segmented, use), use)  # as the pipeline does
    timed = estimate_from_duration(alignment.pairs, parse_duration(args.duration))
    judges = {"USE": use}
    if args.judge:
        judges[Path(args.judge).name] = make_embedder(args.judge)
    print(
        f"command: python benchmarks/cues.py {args.transcript.name} --duration {args.duration}"
        + (f" --judge {args.judge}" if args.judge else "")
    )
    print(
        f"{'splitter':<26}{'cues':>6}{'split':>7}"
        + "".join(f"{'own best (' + j + ')':>34}" for j in judges)
        + f"{'hard violations':>17}{'seconds':>9}"
    )
    for name, embedder in (("in-step (clause alignment)", use), ("length only (ablation)", None)):
        t0 = time.perf_counter()
        cues = build_cues(timed, profile, embedder)
        secs = time.perf_counter() - t0
        idx = split_cue_indices(cues)
        shares = [own_best_share(cues, idx, j) for j in judges.values()]
        lint = [LintCue(c.index, c.start, c.end, tuple((c.zh + "\n" + c.en).split("\n"))) for c in cues]
        hard = sum(1 for v in lint_cues(lint, profile) if is_hard(v) and v.rule != "duration below minimum")
        cols = "".join(f"{s:>28.3f} ({n:>3})" for s, n in shares)
        print(f"{name:<26}{len(cues):>6}{len(idx):>7}{cols}{hard:>17}{secs:>9.1f}")
    print("target: own Chinese most similar in >= 0.90 of split cues")
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
