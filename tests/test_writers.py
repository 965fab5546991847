"""Golden-file tests for every writer and layout, plus parse-back checks.

Regenerate the golden files after an intended change with
``SUBALIGN_REGEN_GOLDEN=1 pytest tests/test_writers.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pysrt
import pytest
import webvtt

from subalign.model import Cue, Lang
from subalign.writers import WRITERS, Layout, get_writer

GOLDEN = Path(__file__).parent / "golden"

CUES = [
    Cue(1, 0.0, 2.5, "Hi, listeners. Welcome back to No Priors.", "大家好，欢迎收听 No Priors。"),
    Cue(2, 2.5, 6.04, "Tesla & Waymo: <both> --> ahead?", "Tesla 和 Waymo：<都>领先 --> 吗？"),
    Cue(3, 6.04, 9.0, "Find us on twitter at no priors pod.", ""),  # untranslated: no Chinese line
    Cue(4, 3599.5, 3723.123, "An hour in.", "一小时后。"),
]

LAYOUTS = {
    "en-zh": Layout((Lang.ZH, Lang.EN)),
    "zh-en": Layout((Lang.EN, Lang.ZH)),
    "en": Layout((Lang.EN,)),
    "zh-Hans": Layout((Lang.ZH,)),
}

CASES = [(w, name) for w in sorted(WRITERS) for name in LAYOUTS]


@pytest.mark.parametrize(("writer", "layout"), CASES)
def test_golden(writer: str, layout: str) -> None:
    w = get_writer(writer)
    text = w.dumps(CUES, LAYOUTS[layout])
    path = GOLDEN / f"cues.{layout}{w.extension}"
    if os.environ.get("SUBALIGN_REGEN_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_srt_parses_back(layout: str) -> None:
    text = get_writer("srt").dumps(CUES, LAYOUTS[layout])
    subs = pysrt.from_string(text)
    lay = LAYOUTS[layout]
    expected = [c for c in CUES if lay.lines(c)]
    assert len(subs) == len(expected)
    for item, cue in zip(subs, expected, strict=True):
        assert item.start.ordinal == round(cue.start * 1000)
        assert item.end.ordinal == round(cue.end * 1000)
        assert item.text.split("\n") == [t.replace("-->", "→") for _, t in lay.lines(cue)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_vtt_parses_back_with_text_escaped(layout: str) -> None:
    text = get_writer("vtt").dumps(CUES, LAYOUTS[layout])
    assert "-->" not in text.replace(" --> ", "")  # only timing lines carry the arrow
    doc = webvtt.from_buffer(io.StringIO(text))
    lay = LAYOUTS[layout]
    expected = [c for c in CUES if lay.lines(c)]
    assert len(doc.captions) == len(expected)
    for cap, cue in zip(doc.captions, expected, strict=True):
        assert cap.start_time.in_milliseconds() == round(cue.start * 1000)
        # .text strips the class spans; entities stay escaped as written
        unescaped = cap.text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert unescaped.split("\n") == [t for _, t in lay.lines(cue)]
    if lay.bilingual:
        assert doc.styles and "::cue(.zh)" in doc.styles[0].text


@pytest.mark.parametrize(("writer", "layout"), CASES)
def test_ffmpeg_reads_every_output(tmp_path: Path, ffmpeg: str, writer: str, layout: str) -> None:
    w = get_writer(writer)
    f = tmp_path / f"x{w.extension}"
    f.write_text(w.dumps(CUES, LAYOUTS[layout]), encoding="utf-8")
    fmt = {"srt": "srt", "vtt": "webvtt", "ass": "ass"}[writer]
    done = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(f), "-map", "0", "-f", fmt, "-y", os.devnull],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""


def test_unknown_writer_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="srt"):
        get_writer("sbv")
