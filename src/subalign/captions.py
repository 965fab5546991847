"""Sentence times from a caption track's words.

The words come from :mod:`subalign.readers.captions` (SRT, WebVTT, json3,
srv3/srv1, YouTube's auto tracks and yt-dlp's conversions of them), each
word once with its time.

The caption words are matched to the transcript's English words after
normalisation (lower case, no punctuation, number words as digits, fillers
such as "um" dropped), by two monotone matchers reconciled per sentence (a
banded longest common subsequence and a local sequential matcher; see
`time_sentences`).  A sentence's start is the time of its first matched
word (corrected for unmatched leading words), its end the end of its last
matched word, never past the next sentence's start; its confidence is the
share of its words that matched.  Sentences with no match take times
interpolated from their neighbours and a confidence of 0.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import AlignedPair, Sentence, TimedPair
from .readers.captions import CaptionWord

FILLERS = frozenset({"um", "uh", "erm", "hmm", "mm", "ah", "uhm", "[music]", "[applause]", "[laughter]"})
_NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
}
# A sentence whose words matched less than this share is timed with low confidence.
LOW_CONFIDENCE = 0.5
# More than this share of low-confidence sentences fails the timing gate.
GATE_MAX_LOW_SHARE = 0.2
# Seconds assumed per unmatched word when extrapolating a start.
_SECONDS_PER_WORD = 0.25


@dataclass(frozen=True)
class SentenceTime:
    """When a sentence is spoken, and how sure we are.

    ``word_starts``: the time each word of the sentence (split at spaces)
    was heard, where the captions matched it; empty when unknown.  Cues
    that start inside the sentence start at their first word's time.
    """

    start: float
    end: float
    confidence: float
    word_starts: tuple[float | None, ...] = ()


def _seconds(ts: str) -> float:
    parts = ts.split(":")
    h = int(parts[0]) if len(parts) == 3 else 0
    m, s = int(parts[-2]), float(parts[-1])
    return h * 3600 + m * 60 + s


_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


def normalise(text: str) -> list[str]:
    """Tokens for matching: lower case, no punctuation, number words as digits, no fillers.

    A run of number words becomes one number ("twenty five" -> "25", "two
    hundred" -> "200"), as another recogniser would write it in digits.
    """
    out: list[str] = []
    total = current = 0
    in_number = False

    def flush() -> None:
        nonlocal total, current, in_number
        if in_number:
            out.append(str(total + current))
        total = current = 0
        in_number = False

    for tok in re.split(r"[\s\-–—/]+", text.lower()):
        tok = re.sub(r"^[^\w']+|[^\w']+$", "", tok).replace(",", "")
        if not tok or tok in FILLERS:
            continue
        if tok in _NUMBER_WORDS and tok not in ("hundred", "thousand"):
            value = int(_NUMBER_WORDS[tok])
            if in_number and current % 100 >= 20 and current % 10 == 0 and value < 10:
                current += value  # "twenty" + "five"
            elif in_number and current and current % 100 == 0 and value < 100:
                current += value  # "two hundred" + "five"
            else:
                flush()
                current, in_number = value, True
            continue
        if tok in _SCALES and not in_number:
            current, in_number = _SCALES[tok], True  # "a hundred"
            continue
        if tok in _SCALES:
            if _SCALES[tok] == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * _SCALES[tok]
                current = 0
            continue
        flush()
        out.append(tok)
    flush()
    return out


def _join_split(
    tokens: list[str], owner: list[int] | None, other: set[str], own: set[str] | None = None
) -> tuple[list[str], list[int] | None]:
    """Adjacent tokens joined where the other side writes them as one word this side never uses ("chat gpt").

    ``own`` is this side's whole vocabulary (default: ``tokens``').
    """
    own = set(tokens) if own is None else own
    out: list[str] = []
    out_owner: list[int] = []
    i = 0
    while i < len(tokens):
        joined = tokens[i] + tokens[i + 1] if i + 1 < len(tokens) else ""
        take = 2 if joined and joined in other and joined not in own else 1
        out.append(joined if take == 2 else tokens[i])
        if owner is not None:
            out_owner.append(owner[i])
        i += take
    return out, (out_owner if owner is not None else None)


def _respell(stream_words: set[str], transcript_words: set[str]) -> dict[str, str]:
    """Caption words that are another spelling of a transcript word neither side shares ("carpathy")."""
    only_stream = sorted(w for w in stream_words - transcript_words if len(w) >= 4 and not w.isdigit())
    only_transcript = [w for w in transcript_words - stream_words if len(w) >= 4 and not w.isdigit()]
    by_initial: dict[str, list[str]] = {}
    for w in only_transcript:
        by_initial.setdefault(w[0], []).append(w)
    out: dict[str, str] = {}
    for w in only_stream:
        # Same first letter, or a first letter heard the other way (c/k, s/z, f/ph).
        pool = by_initial.get(w[0], []) + by_initial.get({"c": "k", "k": "c", "s": "z", "z": "s"}.get(w[0], ""), [])
        close = difflib.get_close_matches(w, pool, n=1, cutoff=_RESPELL_RATIO)
        if close:
            out[w] = close[0]
    return out


# Two spellings of one name are this similar (difflib ratio) at least.
_RESPELL_RATIO = 0.8


# Anchor search: a run of transcript tokens is looked for in a window of the
# timed stream just ahead of the last anchor, nearest occurrence first.
_ANCHOR_RUN = 3
_WINDOW = 400
# A run found further ahead than this must be longer, so one deleted passage
# cannot make the matcher jump to a later repetition of a common phrase.
_NEAR = 40
_FAR_RUN = 5
# Transcript words looked ahead for a near anchor before a far one is considered.
_LOOKAHEAD = 12


def _confirmed(transcript: Sequence[str], stream: Sequence[str], i: int, k: int) -> bool:
    """Whether the transcript's next words also appear right after stream position ``k``.

    A far jump is taken only when the text that follows agrees: common
    phrases ("it's actually kind of like") recur all through a talk.
    """
    ahead = set(zip(stream[k : k + _CONFIRM_SPAN], stream[k + 1 : k + 1 + _CONFIRM_SPAN], strict=False))
    pairs = list(zip(transcript[i : i + _CONFIRM_SPAN], transcript[i + 1 : i + 1 + _CONFIRM_SPAN], strict=False))
    if not pairs:
        return True  # the end of the transcript: nothing left to disagree
    return sum(p in ahead for p in pairs) >= max(1, len(pairs) // 4)


_CONFIRM_SPAN = 12


def local_matches(transcript: Sequence[str], stream: Sequence[str]) -> dict[int, int]:
    """Transcript token -> stream token matches, found locally and in order.

    Walks the transcript; at each position looks for the run of the next
    ``_ANCHOR_RUN`` tokens in the stream window after the last match (the
    nearest occurrence wins), extends it while the tokens agree, and moves
    on.  Unmatched transcript tokens (words not spoken, recognition errors)
    are skipped; stream tokens between matches (intros, ads, unscripted
    speech) are passed over.  When the next words have no anchor nearby,
    a near anchor up to ``_LOOKAHEAD`` words on is preferred to a far one.
    """
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(stream) - _ANCHOR_RUN + 1):
        index.setdefault(tuple(stream[j : j + _ANCHOR_RUN]), []).append(j)
    match: dict[int, int] = {}
    i, j = 0, 0
    after_match = 0  # transcript position just after the last match
    misses = 0

    def run_at(i2: int, k: int) -> int:
        run = 0
        while i2 + run < len(transcript) and k + run < len(stream) and transcript[i2 + run] == stream[k + run]:
            run += 1
        return run

    def near_hits(i2: int) -> list[int]:
        # "Near" grows with the transcript skipped since the last match:
        # words skipped there were spoken (or garbled) in the stream too.
        near = _NEAR + 2 * (i2 - after_match)
        return [k for k in index.get(tuple(transcript[i2 : i2 + _ANCHOR_RUN]), ()) if j <= k <= j + near]

    last = len(transcript) - _ANCHOR_RUN
    while i <= last:
        found = None
        # A near anchor a few words on beats a far one here: one misrecognised
        # word must not send the matcher to a later repetition of the passage.
        # Among near anchors, the one that skips least: transcript words
        # skipped, plus how far the stream step strays from the transcript step.
        near = [
            (abs((k - j) - (i2 - i)) + (i2 - i), i2, k)
            for i2 in range(i, min(i + _LOOKAHEAD, last) + 1)
            for k in near_hits(i2)
        ]
        if near:
            _, i, k = min(near)
            found = (k, run_at(i, k))
        if found is None:
            width = _WINDOW * (1 + misses)
            for k in index.get(tuple(transcript[i : i + _ANCHOR_RUN]), ()):
                if k < j:
                    continue
                if k > j + width:
                    break
                run = run_at(i, k)
                if run >= _FAR_RUN and _confirmed(transcript, stream, i + run, k + run):
                    found = (k, run)
                    break
        if found is None:
            i += 1
            misses = min(misses + 1, 20)
            continue
        k, run = found
        for d in range(run):
            match[i + d] = k + d
        i += run
        j = k + run
        after_match = i
        misses = 0
    return match


# The monotone match keeps the best path within this many stream tokens of
# the proportional diagonal (about 15 minutes of speech): an intro, an ad
# break or cut passages shift the path by less than that.
_BAND = 3000
# Matched words count only in runs of at least this many: a lone "the"
# matched inside an ad break is not an anchor.
_MIN_RUN = 2


# Rows of the banded table kept between forward and backward pass: every
# `_CHECKPOINT`-th; the backward pass recomputes one block at a time.
_CHECKPOINT = 256


def global_matches(transcript: Sequence[str], stream: Sequence[str]) -> dict[int, int]:
    """Transcript token -> stream token: a longest common subsequence, in a band.

    The whole transcript against the whole stream, monotone, with the most
    matched words (dynamic programming, one numpy row at a time).  Only every
    `_CHECKPOINT`-th row is kept; the backtrack recomputes the rows of one
    block at a time from its checkpoint, so memory is
    ``(len(transcript) / _CHECKPOINT + _CHECKPOINT) * 2 * _BAND`` integers
    (a 5-hour episode: a few MB) for twice the arithmetic.  Unlike a greedy
    longest-block match it never jumps to a later repetition of a passage:
    every word skipped to get there is a word not matched.  Only runs of at
    least ``_MIN_RUN`` matched words are kept.
    """
    n, m = len(transcript), len(stream)
    if not n or not m:
        return {}
    vocab: dict[str, int] = {}
    a = np.array([vocab.setdefault(t, len(vocab)) for t in transcript], dtype=np.int32)
    b = np.array([vocab.setdefault(t, len(vocab)) for t in stream], dtype=np.int32)
    width = min(m, 2 * _BAND) + 1
    # Row i covers stream positions lo[i] .. lo[i] + width - 1 (column 0 = before any token).
    lo = np.clip(np.arange(n + 1) * m // n - _BAND, 0, m + 1 - width)

    def cell(row: np.ndarray, i: int, col: int) -> int:
        """Row ``i``'s value at stream position ``col``: 0 left of the band, its last value right of it."""
        k = col - int(lo[i])
        return 0 if k < 0 else int(row[min(k, width - 1)])

    def advance(prev: np.ndarray, i: int) -> np.ndarray:
        shift = int(lo[i] - lo[i - 1])
        # Row i - 1 at this row's columns; past its band's end, its last value.
        if shift < width:
            above = np.concatenate([prev[shift:], np.full(shift, prev[-1], dtype=prev.dtype)])
        else:
            above = np.full(width, prev[-1], dtype=prev.dtype)
        cols = np.arange(lo[i], lo[i] + width)
        eq = np.zeros(width, dtype=prev.dtype)
        inside = (cols >= 1) & (cols <= m)
        eq[inside] = b[cols[inside] - 1] == a[i - 1]
        diag = np.empty_like(above)
        diag[0] = cell(prev, i - 1, int(lo[i]) - 1)
        diag[1:] = above[:-1]
        out: np.ndarray = np.maximum.accumulate(np.maximum(above, diag + eq))
        return out

    checkpoints = {0: np.zeros(width, dtype=np.int32)}
    row = checkpoints[0]
    for i in range(1, n + 1):
        row = advance(row, i)
        if i % _CHECKPOINT == 0:
            checkpoints[i] = row
    block: dict[int, np.ndarray] = {}

    def rows(i: int) -> np.ndarray:
        if i not in block:
            first = ((i - 1) // _CHECKPOINT) * _CHECKPOINT if i else 0
            block.clear()
            block[first] = checkpoints[first]
            for r in range(first + 1, min(first + _CHECKPOINT, n) + 1):
                block[r] = advance(block[r - 1], r)
        return block[i]

    match: dict[int, int] = {}
    i, j = n, int(lo[n]) + width - 1  # (n, m): the last row's band ends at m
    while i > 0 and j > 0:
        here = cell(rows(i), i, j)
        if a[i - 1] == b[j - 1] and here == cell(rows(i - 1), i - 1, j - 1) + 1:
            match[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif here == cell(rows(i - 1), i - 1, j):
            i -= 1
        else:
            j -= 1
    return _runs(match, _MIN_RUN)


def _runs(match: dict[int, int], min_run: int) -> dict[int, int]:
    """The matches that belong to runs of at least ``min_run`` consecutive tokens on both sides."""
    keys = sorted(match)
    keep: dict[int, int] = {}
    start = 0
    for k in range(1, len(keys) + 1):
        if k == len(keys) or keys[k] != keys[k - 1] + 1 or match[keys[k]] != match[keys[k - 1]] + 1:
            if k - start >= min_run:
                keep.update((t, match[t]) for t in keys[start:k])
            start = k
    return keep


def _per_sentence(
    counts: Sequence[int],
    words: Sequence[CaptionWord],
    owner: list[int],
    match: dict[int, int],
    word_tokens: Sequence[Sequence[int]] = (),
) -> list[SentenceTime | None]:
    """Sentence times from token matches; ``word_tokens[k]``: tokens per word of sentence ``k`` (if they add up)."""
    out: list[SentenceTime | None] = []
    pos = 0
    for k, n in enumerate(counts):
        idx = list(range(pos, pos + n))
        hit = [i for i in idx if i in match]
        if not hit:
            out.append(None)
            pos += n
            continue
        first, last = hit[0], hit[-1]
        start = words[owner[match[first]]].start - _SECONDS_PER_WORD * (first - idx[0])
        end = words[owner[match[last]]].end + _SECONDS_PER_WORD * (idx[-1] - last)
        starts: list[float | None] = []
        if k < len(word_tokens) and sum(word_tokens[k]) == n:
            at = pos
            for count in word_tokens[k]:
                starts.append(words[owner[match[at]]].start if count and at in match else None)
                at += count
        out.append(SentenceTime(max(0.0, start), end, len(hit) / max(1, n), tuple(starts)))
        pos += n
    return out


# Two estimates of a sentence's start closer than this agree.
_AGREE = 1.0


def _reconcile(a: list[SentenceTime | None], b: list[SentenceTime | None]) -> list[SentenceTime | None]:
    """Per sentence, the global estimate ``a`` or the local ``b``.

    Where they agree, ``a``.  Where they differ, the one that moves forward
    least from the sentence before: speech only moves forward, and a little
    at a time.
    """
    out: list[SentenceTime | None] = []
    last = 0.0
    for x, y in zip(a, b, strict=True):
        if x is None or y is None or abs(x.start - y.start) <= _AGREE:
            pick = x if x is not None else y
        else:
            forward = [t for t in (x, y) if t.start >= last - _AGREE]
            pick = min(forward, key=lambda t: t.start - last) if forward else max((x, y), key=lambda t: t.confidence)
        out.append(pick)
        if pick is not None:
            last = max(last, pick.start)
    return out


def time_sentences(sentences: Sequence[Sentence], words: Sequence[CaptionWord]) -> list[SentenceTime]:
    """Times of the English ``sentences`` (in transcript order) from timed ``words``.

    Two matchers run: a banded longest common subsequence of the whole text
    (monotone, most words matched) and a local sequential one; each sentence
    takes the estimate that agrees with both or moves forward least.  Ends
    never reach past the next sentence's start.
    """
    stream: list[str] = []
    owner: list[int] = []
    for k, w in enumerate(words):
        for tok in normalise(w.text):
            stream.append(tok)
            owner.append(k)
    # The captions may come from another recogniser than the transcript: words it
    # splits or joins, and names it spells its own way, are brought to the transcript's.
    per_sentence = [normalise(s.text) for s in sentences]
    vocab = {t for toks in per_sentence for t in toks}
    joined, joined_owner = _join_split(stream, owner, vocab)
    assert joined_owner is not None
    stream, owner = joined, joined_owner
    stream_vocab = set(stream)
    per_sentence = [_join_split(toks, None, stream_vocab, vocab)[0] for toks in per_sentence]
    vocab = {t for toks in per_sentence for t in toks}
    respelt = _respell(set(stream), vocab)
    stream = [respelt.get(t, t) for t in stream]
    tr_tokens = [tok for toks in per_sentence for tok in toks]
    counts = [len(toks) for toks in per_sentence]
    # Tokens of each word (a sentence whose words' tokens do not add up to its own gets no word times).
    word_tokens = [[len(normalise(w)) for w in s.text.split()] for s in sentences]
    glob = _per_sentence(counts, words, owner, global_matches(tr_tokens, stream), word_tokens)
    local = _per_sentence(counts, words, owner, local_matches(tr_tokens, stream), word_tokens)
    return _fill_gaps(_reconcile(glob, local))


def _fill_gaps(times: list[SentenceTime | None]) -> list[SentenceTime]:
    """Unmatched sentences get times between their timed neighbours, confidence 0."""
    result: list[SentenceTime] = []
    k = 0
    while k < len(times):
        t = times[k]
        if t is not None:
            result.append(t)
            k += 1
            continue
        j = k
        while j < len(times) and times[j] is None:
            j += 1
        before = result[-1].end if result else 0.0
        nxt = times[j] if j < len(times) else None
        after = nxt.start if nxt is not None else before + 2.0 * (j - k)
        step = max(0.0, after - before) / (j - k)
        for m in range(j - k):
            result.append(SentenceTime(before + m * step, before + (m + 1) * step, 0.0))
        k = j
    # Keep starts monotone: a late match cannot move a sentence before its predecessor.
    fixed: list[SentenceTime] = []
    for t in result:
        if fixed and t.start < fixed[-1].start:
            t = SentenceTime(fixed[-1].start, max(t.end, fixed[-1].start), t.confidence, t.word_starts)
        fixed.append(t)
    # A sentence ends by the time the next one starts: a repeated phrase
    # ("Does that make sense to you?" asked twice) can match a sentence's last
    # words to a later repetition and stretch its end over its successors.
    for k in range(len(fixed) - 1):
        t, nxt = fixed[k], fixed[k + 1]
        if t.end > nxt.start:
            fixed[k] = SentenceTime(t.start, max(t.start, nxt.start), t.confidence, t.word_starts)
    return fixed


def time_pairs(
    pairs: Sequence[AlignedPair], times: dict[int, SentenceTime], source: str = "captions"
) -> list[TimedPair]:
    """Pairs timed by their English sentences; low confidence marks the pair estimated."""
    out: list[TimedPair] = []
    last_end = 0.0
    for p in pairs:
        if not p.en:
            out.append(TimedPair(p, last_end, last_end, estimated=False, source=source))
            continue
        ts = [times[s.index] for s in p.en]
        start, end = min(t.start for t in ts), max(t.end for t in ts)
        low = min(t.confidence for t in ts) < LOW_CONFIDENCE
        word_starts: tuple[float | None, ...] = ()
        if all(len(t.word_starts) == len(s.text.split()) for t, s in zip(ts, p.en, strict=True)):
            word_starts = tuple(w for t in ts for w in t.word_starts)
        out.append(
            TimedPair(p, round(start, 3), round(max(end, start + 0.01), 3), estimated=low, source=source,
                      word_starts=word_starts)
        )
        last_end = end
    return out
