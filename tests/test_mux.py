"""`subalign mux`: subtitle streams checked with ffprobe."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from subalign.model import Cue, Lang
from subalign.writers import Layout, get_writer

from conftest import make_video, run_cli

pytestmark = pytest.mark.slow

CUES = [Cue(1, 0.0, 2.0, "Hi, listeners.", "大家好。"), Cue(2, 2.2, 3.8, "Welcome back.", "欢迎回来。")]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("mux")
    files = {}
    for ext in ("mp4", "webm"):
        files[ext] = make_video(ffmpeg, root / f"ep.{ext}")
    for name, writer, langs in (
        ("ep.en-zh.srt", "srt", (Lang.ZH, Lang.EN)),
        ("ep.en.srt", "srt", (Lang.EN,)),
        ("ep.en-zh.vtt", "vtt", (Lang.ZH, Lang.EN)),
        ("ep.en-zh.ass", "ass", (Lang.ZH, Lang.EN)),
    ):
        (root / name).write_text(get_writer(writer).dumps(CUES, Layout(langs)), encoding="utf-8")
        files[name] = root / name
    return files


def subtitle_streams(path: Path) -> list[dict]:  # type: ignore[type-arg]
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [s for s in json.loads(out)["streams"] if s["codec_type"] == "subtitle"]


@pytest.mark.parametrize(
    ("container", "subs", "codecs"),
    [
        ("mp4", ["ep.en-zh.srt", "ep.en.srt"], ["mov_text", "mov_text"]),
        ("mkv", ["ep.en-zh.ass", "ep.en.srt"], ["ass", "subrip"]),
        ("webm", ["ep.en-zh.vtt", "ep.en.srt"], ["webvtt", "webvtt"]),
    ],
)
def test_soft_tracks(
    media: dict[str, Path], tmp_path: Path, container: str, subs: list[str], codecs: list[str]
) -> None:
    video = media["webm"] if container == "webm" else media["mp4"]
    out = tmp_path / f"out.{container}"
    done = run_cli("mux", str(video), *[str(media[s]) for s in subs], "-o", str(out))
    assert done.returncode == 0, done.stderr
    streams = subtitle_streams(out)
    assert [s["codec_name"] for s in streams] == codecs
    assert [s["tags"].get("language") for s in streams] == ["chi", "eng"]
    assert [s["disposition"]["default"] for s in streams] == [1, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left


def test_refuses_to_overwrite_an_input_and_bad_subtitles(media: dict[str, Path], tmp_path: Path) -> None:
    done = run_cli("mux", str(media["mp4"]), str(media["ep.en.srt"]), "-o", str(media["mp4"]))
    assert done.returncode == 4 and "is one of the inputs" in done.stderr
    bad = tmp_path / "bad.srt"
    bad.write_text("1\nnot a time\nx\n", encoding="utf-8")
    done = run_cli("mux", str(media["mp4"]), str(bad), "-o", str(tmp_path / "o.mp4"))
    assert done.returncode == 3 and "bad.srt" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o.mp4").exists()


def test_burn_in_draws_the_subtitles(media: dict[str, Path], tmp_path: Path, ffmpeg: str) -> None:
    out = tmp_path / "burnt.mp4"
    done = run_cli(
        "mux", str(media["mp4"]), str(media["ep.en-zh.srt"]), "-o", str(out), "--burn", str(media["ep.en-zh.ass"])
    )
    assert done.returncode == 0, done.stderr

    def frame(path: Path) -> bytes:
        return subprocess.run(
            [
                ffmpeg,
                "-v",
                "error",
                "-ss",
                "1",
                "-i",
                str(path),
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                "-",
            ],
            capture_output=True,
            check=True,
        ).stdout

    before, after = frame(media["mp4"]), frame(out)
    assert len(before) == len(after)
    changed = sum(1 for a, b in zip(before, after, strict=True) if abs(a - b) > 60)
    assert changed > 200  # text was drawn into the picture
