"""Timing from real speech: pocketsphinx on audiobook recordings no one here made.

The track is built at test time from Debian's pocketsphinx-testdata clips
(see speech_gen.py): 4 minutes, an 8 s non-speech intro, random gaps, Opus.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from subalign.speech import asr_words, spell_number

from conftest import run_cli
from speech_gen import CLIPS, build_track

# Chinese renderings of the five clips' sentences (written for these tests).
ZH = {
    "And mister john dashwood": "于是约翰·达什伍德先生有了闲暇，来考虑他能审慎地为她们做多少事。",
    "He was not an ill disposed": "他并不是一个心怀恶意的年轻人。",
    "Unless to be rather cold": "除非相当冷漠、相当自私也算心怀恶意。",
    "Had he married a more": "假如他娶了一位更和蔼的妻子，他也许会比现在更受人尊敬。",
    "He might even have been": "他自己甚至也可能变得和蔼可亲。",
}


def test_numbers_are_spelled_for_the_recogniser() -> None:
    assert spell_number(2014) == ["two", "thousand", "fourteen"]
    assert spell_number(30_000) == ["thirty", "thousand"]
    assert asr_words("I took CS 231N in 2014, about 80% of it -- 3.5 hours.") == [
        "i",
        "took",
        "cs",
        "two",
        "hundred",
        "thirty",
        "one",
        "n",
        "in",
        "two",
        "thousand",
        "fourteen",
        "about",
        "eighty",
        "percent",
        "of",
        "it",
        "three",
        "point",
        "five",
        "hours",
    ]


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str) -> tuple[Path, Path, list[float]]:
    pytest.importorskip("pocketsphinx", reason="needs the [audio] extra (CI installs it)")
    if not CLIPS.exists():
        pytest.fail("Debian pocketsphinx-testdata is required (.ci/run installs it)")
    root = tmp_path_factory.mktemp("speech")
    sentences, starts = build_track(ffmpeg, root / "track.opus", rounds=7, ads=True)
    paragraphs = []
    for s in sentences:
        zh = next(v for k, v in ZH.items() if s.startswith(k))
        paragraphs += [f"**Reader:** {s}", f"**读者：** {zh}"]
    transcript = root / "austen.md"
    transcript.write_text("# Sense and Sensibility\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    video = root / "austen.webm"
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "color=c=0x203040:s=320x180:r=24",
            "-i",
            str(root / "track.opus"),
            "-shortest",
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "100k",
            "-c:a",
            "copy",
            str(video),
        ],
        check=True,
    )
    return transcript, video, starts


@pytest.mark.slow
def test_four_minute_track_end_to_end(track: tuple[Path, Path, list[float]], tmp_path: Path, ffmpeg: str) -> None:
    transcript, video, truth = track
    out = tmp_path / "out"
    done = run_cli("run", str(transcript), "--media", str(video), "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["timing"]["source"].startswith("audio of austen.webm")
    assert report["timing"]["estimated"] is False
    starts: dict[int, float] = {}
    pairs = [p for sec in report["sections"] for p in sec["pairs"] if p["en"]]
    for p in pairs:
        starts[p["en"][0]] = p["start"]
    assert len(starts) == len(truth)
    errors = [abs(starts[i] - t) for i, t in enumerate(truth)]
    assert max(errors) <= 0.3, errors
    # Cues land on the speech, and the subtitles go into the video as a track.
    muxed = tmp_path / "austen.subs.webm"
    done = run_cli("mux", str(video), str(out / "austen.en-zh.vtt"), str(out / "austen.en.vtt"), "-o", str(muxed))
    assert done.returncode == 0, done.stderr
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(muxed)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    subs = [s for s in probe["streams"] if s["codec_type"] == "subtitle"]
    assert [s["tags"]["language"] for s in subs] == ["chi", "eng"]


@pytest.mark.slow
def test_audio_of_another_text_fails_the_gate(track: tuple[Path, Path, list[float]], tmp_path: Path) -> None:
    _, video, _ = track
    other = tmp_path / "other.md"
    other.write_text(
        "".join(
            f"**A:** The quick brown fox number {i} jumps over the lazy dog.\n\n**A：** 敏捷的棕色狐狸跳过了懒狗。\n\n"
            for i in range(20)
        ),
        encoding="utf-8",
    )
    done = run_cli("run", str(other), "--media", str(video), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "matched the audio poorly" in done.stderr
