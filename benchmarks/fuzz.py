#!/usr/bin/env python3
"""Fuzz every reader of user input: 10,000 mutated real-shaped files each (issue 13).

Seeds are the layouts people publish (`tests/inputs_gen.py`), YouTube's caption
formats and yt-dlp's ffmpeg SRT conversion (`tests/captions_gen.py`), our own
subtitle outputs (for `lint`) and TOML profiles; `tests/fuzz_gen.py` mutates
them (truncation, flipped bytes, lost or doubled line ends, BOM and NUL in the
middle, fragments of other formats spliced in).  A reader must succeed or
raise SubalignError with a one-line message; anything else is a crash and is
written to benchmarks/fuzz-crashes/.  Then the CLI itself is run on a sample of
mutated inputs: only the documented exit codes, no traceback, no output file
left behind on an error, the input untouched.

    python benchmarks/fuzz.py [--count 10000] [--cli 200]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fuzz_gen  # noqa: E402

DOCUMENTED = {0, 1, 2, 3, 4, 5}


def _cli_runs(seeds: dict[str, list[bytes]], count: int, tmp: Path, rng: random.Random) -> tuple[int, list[str]]:
    """`subalign lint` and `subalign run --timing estimate` on mutated files, as a user would run them."""
    problems: list[str] = []
    kinds = [("lint-srt", ".srt", "lint"), ("lint-vtt", ".vtt", "lint"), ("transcript-md", ".md", "run"),
             ("captions-srt", ".srt", "captions")]
    good = tmp / "good.md"
    good.write_bytes(seeds["transcript-md"][0])
    for k in range(count):
        name, suffix, how = kinds[k % len(kinds)]
        data = fuzz_gen.mutate(rng.choice(seeds[name]), rng, seeds[name])
        f = tmp / f"in{k}{suffix}"
        f.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        out = tmp / f"out{k}"
        if how == "lint":
            args = ["lint", str(f)]
        elif how == "run":
            args = ["run", str(f), "--duration", "1:00", "-o", str(out), "--no-cache"]
        else:
            args = ["run", str(good), "--captions", str(f), "-o", str(out), "--no-cache"]
        done = subprocess.run([sys.executable, "-m", "subalign", *args], capture_output=True, text=True, check=False)
        if done.returncode not in DOCUMENTED:
            problems.append(f"{name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
        if "Traceback" in done.stderr:
            problems.append(f"{name}: traceback: {done.stderr.strip()[-300:]}")
        if done.returncode >= 2 and out.exists() and any(out.iterdir()):
            problems.append(f"{name}: exit {done.returncode} left files in {out}")
        if hashlib.sha256(f.read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: the input file was changed")
        if done.returncode >= 2 and len(done.stderr.strip().splitlines()) != 1:
            problems.append(f"{name}: error is not one line: {done.stderr.strip()[-300:]}")
        shutil.rmtree(out, ignore_errors=True)
    return count, problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000, help="inputs per reader")
    parser.add_argument("--cli", type=int, default=200, help="mutated inputs run through the CLI")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    crashes_dir = ROOT / "benchmarks" / "fuzz-crashes"
    print(f"command: python benchmarks/fuzz.py --count {args.count} --cli {args.cli} --seed {args.seed}")
    total_crashes = 0
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        seeds = fuzz_gen.seeds(tmp, shutil.which("ffmpeg"))
        print(f"{'reader':16s} {'inputs':>7s} {'read':>7s} {'refused':>8s} {'crashes':>8s} {'s':>6s}")
        for target in fuzz_gen.targets(tmp):
            t0 = time.perf_counter()
            outcome = fuzz_gen.run(target, seeds[target.name], args.count, tmp, rng)
            crashes = outcome.crashes or []
            total_crashes += len(crashes)
            print(f"{target.name:16s} {outcome.inputs:7d} {outcome.accepted:7d} {outcome.refused:8d} "
                  f"{len(crashes):8d} {time.perf_counter() - t0:6.1f}")
            for n, (data, why) in enumerate(crashes[:5]):
                crashes_dir.mkdir(exist_ok=True)
                (crashes_dir / f"{target.name}-{n}{target.suffix}").write_bytes(data)
                print(f"   crash: {why[:200]}")
        t0 = time.perf_counter()
        runs, problems = _cli_runs(seeds, args.cli, tmp, rng)
        print(f"CLI: {runs} runs of lint/run on mutated inputs, {len(problems)} problems, "
              f"{time.perf_counter() - t0:.0f} s")
        for p in problems[:10]:
            print("   " + p)
    ok = total_crashes == 0 and not problems
    print("result:", "no traceback, only documented exit codes, no file left behind" if ok else "FAILURES")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
