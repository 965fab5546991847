"""Putting subtitles into the episode's video with ffmpeg.

Soft tracks keep the video and audio as they are (stream copy) and add one
subtitle stream per file, in the codec the container takes: ``mov_text`` in
MP4/MOV, SubRip or ASS in Matroska, WebVTT in WebM.  Each track gets an
ISO 639-2 language tag and a title from its file name (``*.en.*`` English,
``*.zh-Hans.*`` Chinese, ``*.en-zh.*`` bilingual, tagged Chinese); the first
track (or the one chosen) is the default.  Burn-in draws one subtitle file
into the picture (re-encoding the video) with a CJK-capable font.

The output is written to a temporary file beside the target and renamed,
and may not be one of the inputs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import EnvironmentProblem, InputError, OutputError
from .lint import read_subtitles
from .media import probe

_CODECS = {
    ".mp4": {"*": "mov_text"},
    ".m4v": {"*": "mov_text"},
    ".mov": {"*": "mov_text"},
    ".mkv": {".ass": "ass", ".ssa": "ass", "*": "srt"},
    ".webm": {"*": "webvtt"},
}


@dataclass(frozen=True)
class Track:
    """A subtitle file and how it is labelled in the container."""

    path: Path
    language: str
    title: str


def describe(path: Path) -> Track:
    """Language tag and title from a subalign output name (``ep.en-zh.vtt`` ...)."""
    name = path.name.lower()
    if ".en-zh." in name or ".zh-en." in name:
        return Track(path, "chi", "中文 / English")
    if ".zh" in name:
        return Track(path, "chi", "中文（简体）")
    if ".en." in name:
        return Track(path, "eng", "English")
    return Track(path, "und", path.stem)


def _require_ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise EnvironmentProblem("ffmpeg is not installed; install it, e.g. apt-get install ffmpeg")
    return exe


def _escape_filter_path(path: Path) -> str:
    # The subtitles filter parses ':' and '\\' and quotes in its argument.
    return str(path).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def mux(video: Path, subtitles: list[Path], out: Path, *, default: int = 0, burn: Path | None = None) -> Path:
    """Write ``out``: ``video`` with ``subtitles`` as soft tracks (and ``burn`` drawn in)."""
    ffmpeg = _require_ffmpeg()
    suffix = out.suffix.lower()
    if suffix not in _CODECS:
        raise OutputError(f"has an unsupported container; use one of {', '.join(sorted(_CODECS))}", out)
    info = probe(video)
    streams = info.get("streams")
    if not isinstance(streams, list) or not any(
        isinstance(s, dict) and s.get("codec_type") == "video" for s in streams
    ):
        raise InputError("has no video stream to put subtitles on", video)
    for sub in [*subtitles, *([burn] if burn else [])]:
        read_subtitles(sub)  # a malformed file is an input error before ffmpeg runs
    inputs = {p.resolve() for p in [video, *subtitles, *([burn] if burn else [])]}
    if out.resolve() in inputs:
        raise OutputError("is one of the inputs; choose another output file", out)
    if subtitles and not 0 <= default < len(subtitles):
        raise InputError(f"--default {default} is not the number of a subtitle file (0..{len(subtitles) - 1})")
    tracks = [describe(p) for p in subtitles]
    cmd = [ffmpeg, "-v", "error", "-nostdin", "-y", "-i", str(video)]
    for t in tracks:
        cmd += ["-i", str(t.path)]
    cmd += ["-map", "0:v", "-map", "0:a?"]
    for k in range(len(tracks)):
        cmd += ["-map", str(k + 1)]
    if burn is not None:
        vcodec = ["-c:v", "libvpx-vp9", "-b:v", "1M"] if suffix == ".webm" else ["-c:v", "libx264", "-crf", "20"]
        cmd += ["-vf", f"subtitles=filename='{_escape_filter_path(burn)}'", *vcodec, "-c:a", "copy"]
    else:
        cmd += ["-c:v", "copy", "-c:a", "copy"]
    for k, t in enumerate(tracks):
        codec = _CODECS[suffix].get(t.path.suffix.lower(), _CODECS[suffix]["*"])
        cmd += [
            f"-c:s:{k}",
            codec,
            f"-metadata:s:s:{k}",
            f"language={t.language}",
            f"-metadata:s:s:{k}",
            f"title={t.title}",
            f"-disposition:s:{k}",
            "default" if k == default else "0",
        ]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", out) from exc
    try:
        done = subprocess.run([*cmd, tmp], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["ffmpeg failed"])[-1]
            raise InputError(f"could not be muxed into {out.name}: {last}", video)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out
