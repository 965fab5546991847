#!/usr/bin/env python3
"""Speed and memory of align + check on the sample episode, from a cold start.

A fresh process with an empty embedding cache: model load, reading,
segmentation, embedding, alignment and checks are all timed.  Prints one
line: wall seconds, sentence pairs per second, peak RSS.

    python benchmarks/speed.py [--threads N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    os.environ["SUBALIGN_CACHE_DIR"] = tempfile.mkdtemp(prefix="subalign-speed-")
    t0 = time.perf_counter()
    from subalign.align import align_transcript
    from subalign.checks import run_checks
    from subalign.embed import make_embedder
    from subalign.readers import read_transcript
    from subalign.refine import refine_alignment
    from subalign.segment import segment_sections

    embedder = make_embedder(None, threads=args.threads)
    segmented = segment_sections(read_transcript(ROOT / "samples" / "no-priors-ep80-karpathy.md").sections)
    alignment = refine_alignment(align_transcript(segmented, embedder), embedder)  # as the pipeline does
    findings = run_checks(alignment, embedder=embedder)
    wall = time.perf_counter() - t0
    n_en = sum(len(en) for _, en, _ in segmented)
    pairs = len(alignment.pairs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{wall:.1f} s wall for {n_en} EN sentences -> {pairs} pairs ({pairs / wall:.0f} pairs/s, "
        f"{n_en / wall:.0f} EN sentences/s), {len(findings)} findings, peak RSS {rss:.0f} MB, threads={args.threads}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
