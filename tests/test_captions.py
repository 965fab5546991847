from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subalign.captions import normalise, time_sentences
from subalign.errors import InputError
from subalign.model import Lang, Paragraph, Section, Sentence
from subalign.readers import read_transcript
from subalign.readers.captions import read_caption_track
from subalign.segment import segment_sections

from captions_gen import auto_vtt, garble, manual_srt, speak
from conftest import SAMPLE, run_cli

OLD_STYLE = """WEBVTT
Kind: captions
Language: en
Style:
::cue(c.colorCCCCCC) { color: rgb(204,204,204); }
##

00:00:01.000 --> 00:00:03.000 align:start position:0%
<c.colorCCCCCC>hi listeners</c> welcome

00:00:03.000 --> 00:00:05.000 align:start position:0%
<c.colorCCCCCC>hi listeners</c> welcome
back to no priors
"""


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(Lang.EN, i, t, "01", 0, 0, len(t)) for i, t in enumerate(texts)]


def test_normalise() -> None:
    assert normalise("Um, it's TEN years -- a 30-minute drive!") == [
        "it's",
        "10",
        "years",
        "a",
        "30",
        "minute",
        "drive",
    ]


def test_auto_captions_give_every_word_once(tmp_path: Path) -> None:
    texts = ["Hi, listeners.", "Welcome back to No Priors.", "Today we talk about robots."]
    words, _ = speak(texts)
    f = tmp_path / "auto.en.vtt"
    f.write_text(auto_vtt(words, per_cue=3), encoding="utf-8")
    got = read_caption_track(f).words
    assert [w.text for w in got] == [
        "hi",
        "listeners",
        "welcome",
        "back",
        "to",
        "no",
        "priors",
        "today",
        "we",
        "talk",
        "about",
        "robots",
    ]
    for g, (_, a, _) in zip(got, words, strict=True):
        assert abs(g.start - a) < 0.002


def test_old_colour_style_drops_rolling_repeats(tmp_path: Path) -> None:
    f = tmp_path / "old.vtt"
    f.write_text(OLD_STYLE, encoding="utf-8")
    assert [w.text for w in read_caption_track(f).words] == ["hi", "listeners", "welcome", "back", "to", "no", "priors"]


def test_bad_caption_file(tmp_path: Path) -> None:
    f = tmp_path / "x.srt"
    f.write_text("1\nnot a time\nhello\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_caption_track(f)


@pytest.mark.parametrize("kind", ["auto", "manual"])
def test_sample_sentence_starts_from_captions(tmp_path: Path, kind: str) -> None:
    """Sample episode, 20% word mismatch in auto captions: sentence starts within 0.5 s."""
    english = [s for _, en, _ in segment_sections(read_transcript(SAMPLE).sections) for s in en]
    texts = [s.text for s in english]
    words, truth = speak(texts, seed=3)
    if kind == "auto":
        f = tmp_path / "ep.en.vtt"
        f.write_text(auto_vtt(garble(words, 0.2)), encoding="utf-8")
    else:
        f = tmp_path / "ep.en.srt"
        f.write_text(manual_srt(texts, truth, words), encoding="utf-8")
    times = time_sentences(english, read_caption_track(f).words)
    errors = sorted(abs(t.start - s) for t, s in zip(times, truth, strict=True))
    p95 = errors[int(0.95 * (len(errors) - 1))]
    assert p95 <= 0.5, (p95, errors[-5:])
    assert sum(t.confidence >= 0.5 for t in times) / len(times) > 0.95


@pytest.mark.slow
def test_run_with_captions_times_the_cues(tmp_path: Path) -> None:
    english = [s.text for _, en, _ in segment_sections(read_transcript(SAMPLE).sections) for s in en]
    words, truth = speak(english, seed=5)
    caps = tmp_path / "ep.en.vtt"
    caps.write_text(auto_vtt(garble(words, 0.2)), encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("run", str(SAMPLE), "--captions", str(caps), "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["timing"]["source"].startswith("caption track")
    first = report["sections"][0]["pairs"][0]
    assert abs(first["start"] - truth[0]) < 0.5  # after the untranscribed 8 s intro
    assert first["estimated"] is False
    estimated = sum(p["estimated"] for s in report["sections"] for p in s["pairs"] if p["en"])
    assert estimated / sum(1 for s in report["sections"] for p in s["pairs"] if p["en"]) < 0.05


@pytest.mark.slow
def test_wrong_captions_fail_the_gate(tmp_path: Path) -> None:
    words, _ = speak(["The quick brown fox jumps over the lazy dog."] * 50)
    caps = tmp_path / "other.en.vtt"
    caps.write_text(auto_vtt(words), encoding="utf-8")
    done = run_cli("run", str(SAMPLE), "--captions", str(caps), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "matched the caption track poorly" in done.stderr


# Five sentences (the audiobook clips' text) that recur in shuffled order: repetition is what makes matching hard.
AUSTEN = [
    "And mister john dashwood had then leisure to consider how much there might be prudently in his power.",
    "He was not an ill disposed young man.",
    "Unless to be rather cold hearted is to be ill disposed.",
    "Had he married a more amiable woman he might have been made still more respectable.",
    "He might even have been made amiable himself.",
]


def test_repeated_and_edited_passages_do_not_make_times_jump() -> None:
    """A transcript whose sentences recur (with words deleted and phrases added) stays on the right repetition.

    One global text match jumps between repetitions by minutes; the local matcher must not.
    """
    import random

    from subalign.captions import CaptionWord

    rng = random.Random(5)
    spoken = [s for _ in range(7) for s in rng.sample(AUSTEN, len(AUSTEN))]
    words, truth = speak(spoken, seed=6)
    edited = []
    for s in spoken:
        ws = [w for w in s.split() if rng.random() > 0.1] or s.split()[:1]
        if rng.random() < 0.3:
            ws[1:1] = ["as", "you", "know"]
        edited.append(" ".join(ws))
    times = time_sentences(_sentences(edited), [CaptionWord(w, a, b) for w, a, b in words])
    errors = sorted(abs(t.start - s) for t, s in zip(times, truth, strict=True))
    assert errors[int(0.9 * (len(errors) - 1))] < 1.0, errors[-10:]


def test_recognition_errors_and_edits_together_stay_on_the_right_repetition() -> None:
    """Noisy recognition (words dropped from the stream) *and* an edited transcript, on recurring text.

    A sentence whose first recognised words are missing must find its anchor
    a few words on, not jump to a later repetition that matches in full.
    And no sentence may end after the next one starts.
    """
    import random

    from subalign.captions import CaptionWord

    rng = random.Random(11)
    spoken = [s for _ in range(8) for s in rng.sample(AUSTEN, len(AUSTEN))]
    words, truth = speak(spoken, seed=12)
    heard = [CaptionWord(w, a, b) for w, a, b in words if rng.random() > 0.15]  # the recogniser missed these
    edited = []
    for s in spoken:
        ws = [w for w in s.split() if rng.random() > 0.1] or s.split()[:1]
        if rng.random() < 0.3:
            ws[0:0] = rng.choice([["to", "be", "honest"], ["in", "other", "words"]])
        edited.append(" ".join(ws))
    times = time_sentences(_sentences(edited), heard)
    errors = sorted(abs(t.start - s) for t, s in zip(times, truth, strict=True))
    assert errors[int(0.95 * (len(errors) - 1))] < 1.0, errors[-10:]
    confident = [abs(t.start - s) for t, s in zip(times, truth, strict=True) if t.confidence >= 0.5]
    assert max(confident) < 3.0, sorted(confident)[-5:]
    assert all(a.end <= b.start for a, b in itertools.pairwise(times))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from("abcde"), max_size=40),
    st.lists(st.sampled_from("abcdef"), max_size=40),
    st.integers(2, 50),
)
def test_global_match_is_a_longest_common_subsequence(a: list[str], b: list[str], band: int) -> None:
    """Monotone, equal tokens only, and as many as the textbook LCS (when the band holds the whole stream)."""
    from subalign import captions

    old = captions._BAND, captions._MIN_RUN
    captions._BAND, captions._MIN_RUN = band, 1
    try:
        match = captions.global_matches(a, b)
    finally:
        captions._BAND, captions._MIN_RUN = old
    pairs = sorted(match.items())
    assert all(a[i] == b[j] for i, j in pairs)
    assert all(i2 > i1 and j2 > j1 for (i1, j1), (i2, j2) in itertools.pairwise(pairs))
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(table[i - 1][j], table[i][j - 1])
    if 2 * band >= len(b):
        assert len(pairs) == table[len(a)][len(b)]
    else:
        assert len(pairs) <= table[len(a)][len(b)]


def test_captions_from_another_recogniser_still_anchor(tmp_path: Path) -> None:
    """Another ASR splits product names, writes numbers its own way and spells names differently."""
    import inputs_gen as gen

    speech = gen.first_section()
    words, starts = speak(speech.en, seed=5, intro=3.0)
    other = []
    swaps = {"karpathy": ["carpathy"], "waymo": ["way", "mo"], "self-driving": ["self", "driving"],
             "five": ["5"], "30": ["thirty"], "autopilot": ["auto", "pilot"]}
    for w, a, b in words:
        key = "".join(c for c in w.lower() if c.isalnum() or c == "-")
        for k, piece in enumerate(swaps.get(key, [w])):
            other.append((piece, a + k * 0.1, b))
    f = tmp_path / "other.vtt"
    f.write_text(auto_vtt(other), encoding="utf-8")
    sentences = [s for _, en, _ in segment_sections([Section("01", tuple(
        Paragraph(Lang.EN, k, t, 0, len(t)) for k, t in enumerate(speech.en)), ())]) for s in en]
    times = time_sentences(sentences, read_caption_track(f).words)
    firsts = [next(s for s in sentences if s.paragraph == k) for k in range(len(speech.en))]
    errors = [abs(times[s.index].start - t) for s, t in zip(firsts, starts, strict=True)]
    assert max(errors) < 0.5, errors
    # Every word was spoken, in its own spelling: with the respelling and joining, every word matches.
    assert min(t.confidence for t in times) == 1.0, [t.confidence for t in times if t.confidence < 1]


def test_number_words_become_one_number() -> None:
    assert normalise("twenty five years, two hundred and a hundred") == ["25", "years", "200", "and", "a", "100"]
    assert normalise("one two") == ["1", "2"]


REAL = Path(__file__).resolve().parent / "data" / "real" / "webvtt-py"


@pytest.mark.parametrize(
    ("name", "words", "skipped"),
    [
        ("netflix_chicas_del_cable.vtt", 5795, {}),
        ("captions_with_bom.vtt", 12, {}),
        ("metadata_headers_multiline.vtt", 6, {}),
        ("non_padded_timestamps.vtt", 10, {}),
        ("regions.vtt", 8, {}),
        ("cue_tags.vtt", 13, {}),
        ("missing_timeframe.srt", 12, {"cues without a timing line": 1}),
        ("invalid_timeframe.vtt", 18, {"cues with an unreadable timing line": 1}),
    ],
)
def test_real_published_caption_files(name: str, words: int, skipped: dict[str, int]) -> None:
    """Files from webvtt-py's own test suite (MIT): a Netflix export, BOM, headers, regions, broken cues."""
    track = read_caption_track(REAL / name)
    assert len(track.words) == words
    assert dict(track.skipped) == skipped
    assert not any("-->" in w.text or (w.text.isdigit() and len(w.text) == 1) for w in track.words)


@pytest.mark.parametrize("name", ["empty.vtt", "no_captions.vtt", "invalid_format1.srt"])
def test_real_unusable_caption_files_fail_in_one_line(name: str) -> None:
    with pytest.raises(InputError) as err:
        read_caption_track(REAL / name)
    assert name in str(err.value) and "\n" not in str(err.value)


def test_ass_override_blocks_kept_by_a_conversion_are_not_words(tmp_path: Path) -> None:
    srt = tmp_path / "talk.en.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Hello <i>there</i>\n", encoding="utf-8")
    assert [w.text for w in read_caption_track(srt).words] == ["Hello", "there"]
