#!/usr/bin/env python3
"""Sentence start error when timing from a YouTube-style caption track.

Builds caption files from the sample episode's own English with known word
times (the truth, by construction; an 8 s untranscribed intro, random
pauses), in YouTube's auto-caption format with 0%, 10% and 20% of words
mismatched (dropped, substituted, fillers added), and as manual SRT; times
every sentence with `subalign`'s caption matcher; prints median, p95 and max
start error and the share of low-confidence sentences.

    python benchmarks/timing_captions.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from subalign.captions import LOW_CONFIDENCE, time_sentences  # noqa: E402
from subalign.readers import read_transcript  # noqa: E402
from subalign.readers.captions import read_caption_track  # noqa: E402
from subalign.segment import segment_sections  # noqa: E402

from captions_gen import auto_vtt, garble, manual_srt, speak  # noqa: E402


def main() -> int:
    english = [
        s
        for _, en, _ in segment_sections(read_transcript(ROOT / "samples" / "no-priors-ep80-karpathy.md").sections)
        for s in en
    ]
    texts = [s.text for s in english]
    words, truth = speak(texts, seed=11)
    work = Path(tempfile.mkdtemp(prefix="subalign-captions-"))
    print("command: python benchmarks/timing_captions.py")
    print(f"{len(texts)} sentences, {len(words)} words, {words[-1][2] / 60:.1f} min of speech after an 8 s intro")
    print(f"{'caption file':<30}{'median s':>10}{'p95 s':>8}{'max s':>8}{'low conf':>10}{'seconds':>9}")
    cases = [(f"auto, {int(100 * m)}% mismatch", "vtt", m) for m in (0.0, 0.1, 0.2)] + [("manual SRT", "srt", None)]
    for name, ext, mismatch in cases:
        f = work / f"{name.replace(' ', '_').replace(',', '').replace('%', '')}.{ext}"
        if mismatch is None:
            f.write_text(manual_srt(texts, truth, words), encoding="utf-8")
        else:
            f.write_text(auto_vtt(garble(words, mismatch, seed=13) if mismatch else words), encoding="utf-8")
        t0 = time.perf_counter()
        times = time_sentences(english, read_caption_track(f).words)
        secs = time.perf_counter() - t0
        err = sorted(abs(t.start - s) for t, s in zip(times, truth, strict=True))
        low = sum(t.confidence < LOW_CONFIDENCE for t in times) / len(times)
        print(
            f"{name:<30}{statistics.median(err):>10.3f}{err[int(0.95 * (len(err) - 1))]:>8.3f}{err[-1]:>8.3f}"
            f"{low:>10.1%}{secs:>9.2f}"
        )
    print("target (issue 5): from a YouTube-style caption file with 20% word mismatch, p95 <= 0.5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
