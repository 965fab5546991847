"""Sentence times from the episode's audio: chunked forced alignment with pocketsphinx.

Offline: the ``pocketsphinx`` wheel carries its English acoustic model and
dictionary (optional extra ``subalign[audio]``).  One-pass alignment of a
whole episode needs memory quadratic in its length, so the work is chunked:

1. The audio (any ffmpeg-readable file) is decoded to 16 kHz mono PCM.
2. Recognition with a language model built from the transcript itself gives
   words with times; they are matched to the transcript's words locally and
   monotonically (the same matcher as caption tracks), which anchors each
   sentence and measures a confidence (share of its words recognised).
   Untranscribed intros, music, ads, unspoken transcript words and unscripted
   speech only lower the match locally.
3. Each anchored sentence is force-aligned alone, in a window around its
   anchor, for precise word times; if that fails the anchor times stay and
   the confidence is lowered.

Text is normalised for the recogniser: lower case, no punctuation, digits
spelled out; words missing from the dictionary (names such as "karpathy")
are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .captions import SentenceTime, time_sentences
from .errors import EnvironmentProblem, InputError
from .media import media_duration
from .model import Sentence
from .readers.captions import CaptionWord

SAMPLE_RATE = 16000
_FRAME_RATE = 100  # pocketsphinx frames per second
# Seconds of audio around an anchored sentence given to the forced aligner.
ALIGN_MARGIN = 0.6

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell_number(n: int) -> list[str]:
    """English words for a non-negative integer below a trillion."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (spell_number(n % 100) if n % 100 else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            return spell_number(n // size) + [name] + (spell_number(n % size) if n % size else [])
    return [str(n)]


def asr_words(text: str) -> list[str]:
    """Transcript text as the recogniser reads it: lower case, no punctuation, numbers spelled."""
    out: list[str] = []
    for tok in re.split(r"[\s\-–—/]+", text.lower().replace("%", " percent")):
        tok = re.sub(r"^[^\w']+|[^\w']+$", "", tok)
        if not tok:
            continue
        if re.fullmatch(r"\d+(?:,\d{3})*", tok):
            out += spell_number(int(tok.replace(",", "")))
        elif re.fullmatch(r"\d+\.\d+", tok):
            whole, frac = tok.split(".")
            out += spell_number(int(whole)) + ["point"] + [_ONES[int(d)] for d in frac]
        else:
            # "231n" -> "two hundred thirty one n"; letters keep apostrophes ("it's").
            for part in re.findall(r"\d+|[a-z']+", tok):
                out += spell_number(int(part)) if part.isdigit() else [part]
    return [w for w in out if w]


def read_pcm(media: Path) -> bytes:
    """16 kHz mono 16-bit PCM of the audio in ``media`` (ffmpeg)."""
    import ffmpeg

    media_duration(media)  # a clear error for a missing, unreadable or silent-less file
    try:
        pcm, _ = (
            ffmpeg.input(str(media))
            .output("pipe:", format="s16le", acodec="pcm_s16le", ac=1, ar=SAMPLE_RATE)
            .run(capture_stdout=True, capture_stderr=True)
        )
    except ffmpeg.Error as exc:
        why = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"audio could not be decoded ({why[-1] if why else 'ffmpeg failed'})", media) from exc
    return bytes(pcm)


def _pocketsphinx() -> Any:
    try:
        import pocketsphinx
    except ImportError as exc:
        raise EnvironmentProblem("timing from audio needs pocketsphinx: pip install 'subalign[audio]'") from exc
    return pocketsphinx


@dataclass(frozen=True)
class SpeechTiming:
    """Sentence times from the audio, and what could not be used."""

    times: list[SentenceTime]
    skipped_words: list[str]
    recognised_words: int


def _in_dictionary(decoder: Any, words: Sequence[str]) -> tuple[list[str], list[str]]:
    known: list[str] = []
    unknown: list[str] = []
    for w in words:
        (known if decoder.lookup_word(w) is not None else unknown).append(w)
    return known, unknown


def recognise(pcm: bytes, transcript_text: str, progress: Callable[[str], None] | None = None) -> list[CaptionWord]:
    """Words recognised in ``pcm`` with a language model built from the transcript."""
    ps = _pocketsphinx()
    import tempfile

    from pocketsphinx.lm import ArpaBoLM

    lm = ArpaBoLM(text=transcript_text, add_start=True)
    lm.compute()
    with tempfile.NamedTemporaryFile("w", suffix=".arpa", delete=False, encoding="utf-8") as fh:
        lm.write_file(fh.name)
        lm_path = fh.name
    try:
        decoder = ps.Decoder(lm=lm_path, samprate=SAMPLE_RATE, loglevel="FATAL")
        segmenter = ps.Segmenter(sample_rate=SAMPLE_RATE)
        words: list[CaptionWord] = []
        import io

        for n, seg in enumerate(segmenter.segment(io.BytesIO(pcm))):
            if progress and n % 20 == 0:
                progress(f"recognising speech at {seg.start_time / 60:.1f} min")
            decoder.start_utt()
            decoder.process_raw(seg.pcm, full_utt=True)
            decoder.end_utt()
            for s in decoder.seg():
                w = re.sub(r"\(\d+\)$", "", s.word)
                if w.startswith(("<", "[")):
                    continue
                words.append(
                    CaptionWord(
                        w,
                        seg.start_time + s.start_frame / _FRAME_RATE,
                        seg.start_time + (s.end_frame + 1) / _FRAME_RATE,
                    )
                )
        return words
    finally:
        Path(lm_path).unlink(missing_ok=True)


def _force_align(decoder: Any, pcm: bytes, start: float, end: float, words: list[str]) -> float | None:
    """Start of the first word of ``words`` within ``pcm[start:end]``, or ``None`` if alignment fails."""
    a = max(0, int(start * SAMPLE_RATE)) * 2
    b = min(len(pcm), int(end * SAMPLE_RATE) * 2)
    if b - a < SAMPLE_RATE // 5 or not words:
        return None
    try:
        decoder.set_align_text(" ".join(words))
        decoder.start_utt()
        decoder.process_raw(pcm[a:b], full_utt=True)
        decoder.end_utt()
        found = decoder.seg()  # None when the text cannot be aligned to this audio
    except RuntimeError:
        return None
    segs = [s for s in (found or []) if not s.word.startswith(("<", "["))]
    if not segs:
        return None
    return float(start + segs[0].start_frame / _FRAME_RATE)


def time_from_audio(
    media: Path, sentences: Sequence[Sentence], progress: Callable[[str], None] | None = None
) -> SpeechTiming:
    """Times of the English ``sentences`` (transcript order) spoken in ``media``."""
    ps = _pocketsphinx()
    pcm = read_pcm(media)
    aligner = ps.Decoder(lm=None, samprate=SAMPLE_RATE, loglevel="FATAL")
    per_sentence = [asr_words(s.text) for s in sentences]
    skipped: list[str] = []
    known_per_sentence = []
    for ws in per_sentence:
        known, unknown = _in_dictionary(aligner, ws)
        known_per_sentence.append(known)
        skipped += unknown
    lm_text = "\n".join(" ".join(ws) for ws in known_per_sentence if ws)
    if not lm_text.strip():
        raise InputError(
            "has no English words the speech recogniser knows", sentences[0].section if sentences else None
        )
    recognised = recognise(pcm, lm_text, progress)
    # Anchors: recognised words matched to the transcript (numbers normalised the same way on both sides).
    anchors = time_sentences(sentences, recognised)
    refined: list[SentenceTime] = []
    duration = len(pcm) / 2 / SAMPLE_RATE
    for k, (t, words) in enumerate(zip(anchors, known_per_sentence, strict=True)):
        if progress and k % 50 == 0:
            progress(f"aligning sentence {k + 1} of {len(anchors)}")
        if t.confidence <= 0 or not words:
            refined.append(t)
            continue
        start = _force_align(aligner, pcm, max(0.0, t.start - ALIGN_MARGIN), min(duration, t.end + ALIGN_MARGIN), words)
        if start is None:
            refined.append(SentenceTime(t.start, t.end, t.confidence * 0.5))
        else:
            refined.append(SentenceTime(start, max(t.end, start + 0.1), t.confidence))
    return SpeechTiming(refined, skipped, len(recognised))
