"""End to end on the sample episode, through the real CLI and the real default model."""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
from pathlib import Path

import pysrt
import pysubs2
import pytest
import webvtt

from subalign.align import align_transcript
from subalign.readers import read_transcript
from subalign.segment import segment_sections

from conftest import SAMPLE, run_cli

pytestmark = pytest.mark.slow

NAME = "no-priors-ep80-karpathy"
OUTPUTS = [
    f"{NAME}.en-zh.srt",
    f"{NAME}.en-zh.vtt",
    f"{NAME}.en-zh.ass",
    f"{NAME}.en.srt",
    f"{NAME}.en.vtt",
    f"{NAME}.zh-Hans.srt",
    f"{NAME}.zh-Hans.vtt",
    "report.json",
    "report.html",
]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("run") / "out"
    done = run_cli("run", str(SAMPLE), "--duration", "44:10", "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    return out, json.loads(done.stdout)


def test_run_writes_every_file(sample_run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, summary = sample_run
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    ep = summary["episodes"][0]
    assert ep["exit_code"] == 0 and ep["encoding"] == "utf-8"
    assert ep["timing"]["estimated"] is True and ep["timing"]["duration"] == 2650.0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == 2
    assert report["input"]["youtube_id"] == "hM_h0UA7upI"
    assert report["gate"]["trusted"] is True


def test_outputs_parse_back(sample_run: tuple[Path, dict], ffmpeg: str) -> None:  # type: ignore[type-arg]
    out, _ = sample_run
    for name in OUTPUTS:
        f = out / name
        if f.suffix == ".srt":
            subs = pysrt.open(str(f), encoding="utf-8")
            assert len(subs) > 400
            assert all(s.end > s.start for s in subs)
            fmt = "srt"
        elif f.suffix == ".vtt":
            assert len(webvtt.read(str(f)).captions) > 400
            fmt = "webvtt"
        elif f.suffix == ".ass":
            assert len(pysubs2.load(str(f)).events) > 400
            fmt = "ass"
        else:
            continue
        done = subprocess.run(
            [ffmpeg, "-v", "error", "-i", str(f), "-map", "0", "-f", fmt, "-y", os.devnull],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and not done.stderr.strip(), (name, done.stderr)


def _all_sentences() -> tuple[list[str], list[str]]:
    segmented = segment_sections(read_transcript(SAMPLE).sections)
    return ([s.text for _, en, _ in segmented for s in en], [s.text for _, _, zh in segmented for s in zh])


def test_nothing_lost_on_the_sample(sample_run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    """Every sentence of each language is in the subtitles, in order, exactly once."""
    out, _ = sample_run
    en, zh = _all_sentences()
    en_lines = [s.text for s in pysrt.open(str(out / f"{NAME}.en.srt"), encoding="utf-8")]
    zh_lines = [s.text for s in pysrt.open(str(out / f"{NAME}.zh-Hans.srt"), encoding="utf-8")]
    assert " ".join(en_lines).split() == " ".join(en).split()
    assert "".join(zh_lines).replace(" ", "").replace("\n", "") == "".join(zh).replace(" ", "")
    # The bilingual file holds the same lines, Chinese on top, in the same cues.
    bi = pysrt.open(str(out / f"{NAME}.en-zh.srt"), encoding="utf-8")
    en_by_time = {(s.start.ordinal, s.end.ordinal): s.text for s in pysrt.open(str(out / f"{NAME}.en.srt"))}
    zh_by_time = {(s.start.ordinal, s.end.ordinal): s.text for s in pysrt.open(str(out / f"{NAME}.zh-Hans.srt"))}
    for cue in bi:
        key = (cue.start.ordinal, cue.end.ordinal)
        expected = [ln for t in (zh_by_time.get(key), en_by_time.get(key)) if t for ln in t.split("\n")]
        assert cue.text.split("\n") == expected
    # Untranslated English is also listed in the report.
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    omitted = [r["en_text"] for s in report["sections"] for r in s["omissions"]]
    assert report["counts"]["omitted_en_sentences"] == sum(
        len(r["en"]) for s in report["sections"] for r in s["omissions"]
    )
    assert any(t.startswith("Find us on twitter") for t in omitted)
    # The brand "Unitree", rendered "优趣科技", is flagged for a reviewer.
    assert any(
        f["kind"] == "entity" and "Unitree" in f["message"] and "优趣科技" in f["message"] for f in report["findings"]
    )


def test_summary_is_not_aligned(sample_run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, _ = sample_run
    zh_track = (out / f"{NAME}.zh-Hans.srt").read_text(encoding="utf-8")
    assert "Waymo 和 Tesla 在自动驾驶技术上各有优势" not in zh_track
    assert "教育者角色将转变为课程设计者" not in zh_track
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    set_aside = report["set_aside"]["blocks"]
    assert any("Waymo 和 Tesla 在自动驾驶技术上各有优势" in b["text"] for b in set_aside)
    assert {b["reason"] for b in set_aside} >= {"title", "link", "heading"}
    assert "Waymo 和 Tesla 在自动驾驶技术上各有优势" not in json.dumps(report["sections"], ensure_ascii=False)


def test_section_01_paragraphs_pair_one_to_one(use_embedder) -> None:  # type: ignore[no-untyped-def]
    segmented = segment_sections(read_transcript(SAMPLE).sections)
    alignment = align_transcript(segmented[:1], use_embedder)
    pairs = alignment.pairs
    assert pairs and all(p.section == "01" for p in pairs)
    assert all(p.en and p.zh for p in pairs), "section 01 has no omission or addition"
    for p in pairs:
        assert {s.paragraph for s in p.en} == {s.paragraph for s in p.zh}, (p.en_text, p.zh_text)
    assert {s.paragraph for p in pairs for s in p.en} == set(range(15))


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [("gbk", b"", "gb18030"), ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig")],
)
def test_encodings_give_the_same_output(
    sample_run,
    tmp_path: Path,
    encoding: str,
    bom: bytes,  # type: ignore[no-untyped-def]
    detected: str,
) -> None:
    ref, _ = sample_run
    src = tmp_path / f"{NAME}.md"
    src.write_bytes(bom + SAMPLE.read_text(encoding="utf-8").encode(encoding))
    out = tmp_path / "out"
    done = run_cli("run", str(src), "--duration", "44:10", "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["episodes"][0]["encoding"] == detected
    for name in OUTPUTS[:7]:
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["input"]["encoding"] == detected


def _one_line_error(done: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("subalign: error: ")
    assert "Traceback" not in done.stderr
    for n in needles:
        assert n in lines[0]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"### 01\n\nOnly English.\n\nMore English.\n", "has no Chinese text"),
        (bytes(range(256)) * 16, "binary"),
    ],
)
def test_bad_transcripts_fail_cleanly(tmp_path: Path, content: bytes, needle: str) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    out = tmp_path / "out"
    done = run_cli("run", str(bad), "--duration", "10:00", "-o", str(out))
    _one_line_error(done, 3, str(bad), needle)
    assert not out.exists()


def test_missing_transcript(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli("run", str(tmp_path / "nope.md"), "--duration", "1:00", "-o", str(out))
    _one_line_error(done, 3, "nope.md", "no such file")
    assert not out.exists()


def test_unwritable_output_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        done = run_cli("run", str(SAMPLE), "--duration", "44:10", "-o", str(out))
        _one_line_error(done, 4, str(out))
    assert blocker.read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_no_duration_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("run", str(SAMPLE), "-o", str(tmp_path / "out"))
    _one_line_error(done, 3, "--duration")
    assert not (tmp_path / "out").exists()


def test_media_without_audio_is_refused(tmp_path: Path, ffmpeg: str) -> None:
    video = tmp_path / "silent.mp4"
    subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=64x64:d=1", "-c:v", "mpeg4", str(video)],
        check=True,
    )
    done = run_cli("run", str(SAMPLE), "--media", str(video), "-o", str(tmp_path / "out"))
    _one_line_error(done, 3, "silent.mp4", "no audio stream")
    not_media = tmp_path / "notes.mp3"
    not_media.write_text("not audio")
    done = run_cli("run", str(SAMPLE), "--media", str(not_media), "-o", str(tmp_path / "out"))
    _one_line_error(done, 3, "notes.mp3", "not a readable audio or video file")
    assert not (tmp_path / "out").exists()


def test_media_duration_is_used(tmp_path: Path, ffmpeg: str) -> None:
    audio = tmp_path / "ep.m4a"
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=16000:cl=mono",
            "-t",
            "2650",
            "-c:a",
            "aac",
            str(audio),
        ],
        check=True,
    )
    out = tmp_path / "out"
    done = run_cli("run", str(SAMPLE), "--media", str(audio), "--timing", "estimate", "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    dur = json.loads(done.stdout)["episodes"][0]["timing"]["duration"]
    assert abs(dur - 2650) < 0.1
    last = pysrt.open(str(out / f"{NAME}.en.srt"))[-1]
    assert abs(last.end.ordinal / 1000 - dur) < 0.5


def test_vtt_from_the_sample_has_language_spans(sample_run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, _ = sample_run
    doc = webvtt.from_buffer(io.StringIO((out / f"{NAME}.en-zh.vtt").read_text(encoding="utf-8")))
    first = doc.captions[0].raw_text.split("\n")
    assert first[0].startswith("<c.zh>") and first[-1].startswith("<c.en>")


def test_align_command_prints_beads(tmp_path: Path) -> None:
    en = tmp_path / "en.txt"
    zh = tmp_path / "zh.txt"
    en.write_text("Tesla has a software problem.\nWaymo has a hardware problem.\n", encoding="utf-8")
    zh.write_text("Tesla 面临的是软件问题。\n而 Waymo 面临的是硬件问题。\n", encoding="utf-8")
    done = run_cli("align", str(en), str(zh))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [ln.rsplit(":", 1)[0] for ln in lines] == ["[0]:[0]", "[1]:[1]"]
    assert all(0.0 < float(ln.rsplit(":", 1)[1]) <= 1.0 for ln in lines)
    back = run_cli("align", str(zh), str(en))
    assert [ln.rsplit(":", 1)[0] for ln in back.stdout.splitlines()] == ["[0]:[0]", "[1]:[1]"]


def test_impossible_duration_is_flagged_not_hidden(tmp_path: Path) -> None:
    """44 minutes of text in 90 seconds cannot meet the profile: exit 1 and say so.

    No cue is made shorter than the minimum or empty to fit: the cues run past
    the given end and the quality gate says the duration cannot be right.
    """
    out = tmp_path / "out"
    done = run_cli("run", str(SAMPLE), "--duration", "1:30", "-o", str(out), "--json")
    assert done.returncode == 1, done.stderr
    assert "needs more time than the duration (90 s)" in done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["style"]["hard_violations"] == 0
    assert not report["gate"]["trusted"]
    cues = pysrt.open(str(out / f"{NAME}.en.srt"))
    assert all(c.end.ordinal - c.start.ordinal >= 833 for c in cues)


def test_merged_paragraph_pairs_with_its_translation(use_embedder) -> None:  # type: ignore[no-untyped-def]
    """Section 02: the translator folded EN paragraph 24 ("Does that make sense to you?") into ZH 23."""
    segmented = segment_sections(read_transcript(SAMPLE).sections)
    alignment = align_transcript(segmented[1:2], use_embedder)
    question = next(p for p in alignment.pairs if any("Does that make sense to you?" in s.text for s in p.en))
    assert {s.paragraph for s in question.zh} == {23}
    # ... and nothing of EN 24 is paired with ZH 24 (the answer that follows).
    assert all({s.paragraph for s in p.zh} == {23} for p in alignment.pairs if p.en and p.en[0].paragraph == 24)


def test_profile_and_look_options_reach_the_outputs(tmp_path: Path) -> None:
    ep = tmp_path / "chat.md"
    ep.write_text(
        "**Sarah:** Welcome back to the show. Today we talk about robots.\n\n"
        "**Sarah：** 欢迎回到节目。今天我们聊聊机器人。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run_cli(
        "run",
        str(ep),
        "--duration",
        "0:10",
        "-o",
        str(out),
        "--profile",
        "youtube",
        "--zh-size",
        "70",
        "--zh-colour",
        "#FF0000",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["style"]["profile"] == "youtube"
    ass = (out / "chat.en-zh.ass").read_text(encoding="utf-8")
    assert "Style: ZH,Noto Sans CJK SC,70,&H000000FF" in ass
    bad = run_cli("run", str(ep), "--duration", "0:10", "-o", str(tmp_path / "o2"), "--zh-colour", "red")
    assert bad.returncode == 2 and "#RRGGBB" in bad.stderr


def test_catalogue_run_continues_past_a_bad_episode(tmp_path: Path) -> None:
    cat = tmp_path / "catalogue"
    cat.mkdir()
    (cat / "a.md").write_text("**Sarah:** Welcome back to the show.\n\n**Sarah：** 欢迎回到节目。\n", encoding="utf-8")
    (cat / "b.md").write_text("### 01\n\nOnly English here.\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("run", str(cat), "--duration", "0:10", "-o", str(out), "--json")
    assert done.returncode == 3  # the worst outcome: one bad input
    summary = json.loads(done.stdout)
    by_name = {Path(e["transcript"]).name: e for e in summary["episodes"]}
    assert by_name["a.md"]["exit_code"] == 0 and "has no Chinese" in by_name["b.md"]["error"]
    assert (out / "a" / "a.en-zh.srt").exists() and not (out / "b").exists()
