"""Facts about media files, from ffprobe (through ffmpeg-python)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .errors import EnvironmentProblem, InputError

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def parse_duration(text: str) -> float:
    """``"44:10"``, ``"1:02:03.5"`` or ``"2650"`` (seconds) -> seconds.

    Raises :class:`ValueError` with a sentence saying what is accepted.
    """
    t = text.strip()
    m = _CLOCK.match(t)
    if m:
        h, mnt, s = m.groups()
        value = int(h or 0) * 3600 + int(mnt) * 60 + float(s)
    else:
        try:
            value = float(t)
        except ValueError:
            raise ValueError(f"duration {text!r} is not H:MM:SS, MM:SS or seconds") from None
    if value <= 0:
        raise ValueError(f"duration {text!r} must be positive")
    return value


def _require_ffprobe() -> None:
    if shutil.which("ffprobe") is None:
        raise EnvironmentProblem("ffprobe (from ffmpeg) is not installed; install ffmpeg, e.g. apt-get install ffmpeg")


def probe(path: Path) -> dict[str, object]:
    """ffprobe's JSON for ``path``; :class:`InputError` if it is not media."""
    import ffmpeg  # ffmpeg-python

    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path)
    _require_ffprobe()
    try:
        info: dict[str, object] = ffmpeg.probe(str(path))
    except ffmpeg.Error as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        why = detail[-1] if detail else "ffprobe failed"
        raise InputError(f"is not a readable audio or video file ({why})", path) from exc
    return info


def media_duration(path: Path) -> float:
    """Duration in seconds of the audio in ``path``.

    A file without an audio stream is an error: subtitles time speech.
    """
    info = probe(path)
    streams = info.get("streams")
    audio = (
        [s for s in streams if isinstance(s, dict) and s.get("codec_type") == "audio"]
        if isinstance(streams, list)
        else []
    )
    if not audio:
        raise InputError("has no audio stream", path)
    for source in (audio[0], info.get("format") or {}):
        if isinstance(source, dict) and source.get("duration") not in (None, "N/A"):
            return float(source["duration"])
    raise InputError("has no duration ffprobe can read", path)
