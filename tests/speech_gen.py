"""A real-speech test track with known sentence starts, built from Debian's pocketsphinx-testdata.

The five LibriVox clips (public-domain recordings of Sense and Sensibility,
16 kHz, with transcripts) are concatenated in a seeded order with random
gaps after a non-speech intro (low noise), then encoded with a real codec.
The truth is each clip's offset plus its speech onset inside the clip,
measured with ffmpeg's ``silencedetect`` -- independent of the aligner.
"""

from __future__ import annotations

import random
import re
import subprocess
import wave
from pathlib import Path

CLIPS = Path("/usr/share/pocketsphinx/test/data/librivox")


def clips() -> list[tuple[Path, str]]:
    out = []
    for line in (CLIPS / "transcription").read_text().splitlines():
        m = re.match(r"<s>\s*(.*?)\s*</s>\s*\((.+)\)", line)
        if m:
            out.append((CLIPS / f"{m.group(2)}.wav", m.group(1)))
    return out


def onset(ffmpeg: str, wav: Path) -> float:
    """First moment of speech in a clip (end of its leading silence, -35 dB)."""
    err = subprocess.run(
        [ffmpeg, "-v", "info", "-i", str(wav), "-af", "silencedetect=n=-35dB:d=0.05", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    starts = [float(x) for x in re.findall(r"silence_start: ([\d.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", err)]
    if starts and starts[0] <= 0.01 and ends:
        return ends[0]
    return 0.0


def build_track(
    ffmpeg: str, out: Path, rounds: int = 2, seed: int = 4, intro: float = 8.0
) -> tuple[list[str], list[float]]:
    """Write ``out`` (Opus); return the sentences in spoken order and their true starts."""
    rng = random.Random(seed)
    items = []
    for _ in range(rounds):
        batch = clips()
        rng.shuffle(batch)
        items += batch
    pcm = bytearray()
    noise = random.Random(seed + 1)
    pcm += b"".join(int(noise.gauss(0, 60)).to_bytes(2, "little", signed=True) for _ in range(int(intro * 16000)))
    sentences, starts = [], []
    for wav, text in items:
        gap = rng.uniform(0.8, 3.0)
        pcm += bytes(int(gap * 16000) * 2)
        with wave.open(str(wav)) as w:
            frames = w.readframes(w.getnframes())
        starts.append(len(pcm) / 2 / 16000 + onset(ffmpeg, wav))
        sentences.append(text[0].upper() + text[1:] + ".")
        pcm += frames
    raw = out.with_suffix(".raw")
    raw.write_bytes(bytes(pcm))
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ar",
            "16000",
            "-ac",
            "1",
            "-i",
            str(raw),
            "-c:a",
            "libopus",
            "-b:a",
            "32k",
            str(out),
        ],
        check=True,
    )
    raw.unlink()
    return sentences, starts
