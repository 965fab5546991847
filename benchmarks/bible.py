#!/usr/bin/env python3
"""Bible en->zh alignment benchmark: `subalign align` + `subalign eval`, cross-checked.

Runs the real CLI on ../shared/eval-data/bible-en-zh (5,000 EN / 6,301 ZH
sentences), scores the verse-merged prediction with subalign's own scorer and
with the reference scorer ../shared/tools/score_alignments.py, and prints the
figures with the command lines used.  Needs ../shared (benchmarks may read it;
tests never do).

    python benchmarks/bible.py [--shared ../shared] [--model M]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from subalign.evaluate import merge_to_units, read_alignment


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    data = args.shared / "eval-data" / "bible-en-zh"
    ref_scorer = args.shared / "tools" / "score_alignments.py"
    work = Path(tempfile.mkdtemp(prefix="subalign-bible-"))
    pred = work / "pred.align"
    align_cmd = [
        sys.executable,
        "-m",
        "subalign",
        "-q",
        "align",
        str(data / "en/001"),
        str(data / "zh/001"),
        "-o",
        str(pred),
    ] + (["--model", args.model] if args.model else [])
    t0 = time.perf_counter()
    subprocess.run(align_cmd, check=True)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    eval_cmd = [
        sys.executable,
        "-m",
        "subalign",
        "eval",
        "-g",
        str(data / "gold/001.align"),
        "-t",
        str(pred),
        "--src-units",
        str(data / "en.verse"),
        "--tgt-units",
        str(data / "zh.verse"),
        "--json",
    ]
    ours = json.loads(subprocess.run(eval_cmd, check=True, capture_output=True, text=True).stdout)
    # The reference scorer does not merge: give it the verse-merged prediction.
    merged = work / "pred.verse.align"
    en_units = (data / "en.verse").read_text().split()
    zh_units = (data / "zh.verse").read_text().split()
    beads = merge_to_units(read_alignment(pred), en_units, zh_units)
    merged.write_text("".join(f"{list(s)}:{list(t)}\n" for s, t in beads))
    ref_cmd = [sys.executable, str(ref_scorer), "-g", str(data / "gold/001.align"), "-t", str(merged), "--json"]
    ref = json.loads(subprocess.run(ref_cmd, check=True, capture_output=True, text=True).stdout)
    print("command: subalign", " ".join(align_cmd[3:]).replace(str(data), "$BIBLE"))
    print("score:   subalign", " ".join(eval_cmd[3:]).replace(str(data), "$BIBLE"))
    print(f"$BIBLE = {data}")
    print()
    print(f"{'metric':<22}{'subalign eval':>14}{'reference':>12}")
    for key in ("precision_strict", "recall_strict", "f1_strict", "f1_lax", "f1_exact"):
        print(f"{key:<22}{ours[key]:>14.4f}{ref[key]:>12.4f}")
    same = all(abs(ours[k] - ref[k]) < 1e-12 for k in ("f1_strict", "f1_lax", "f1_exact", "omission_f1"))
    print(f"scorers agree: {same}")
    print(f"align wall time (embedding included, cache as it is): {wall:.1f} s; peak RSS {peak_mb:.0f} MB")
    print("published strict F1: Bertalign (LaBSE) 0.979, Vecalign 0.978; Bertalign algorithm + USE here: 0.944")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
