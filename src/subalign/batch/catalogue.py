"""What a catalogue holds: one :class:`EpisodeSpec` per episode, from a CSV manifest or a folder.

Manifest: a CSV file with a header row and the columns ``transcript``,
``zh``, ``captions``, ``media``, ``duration`` (and optionally ``name``);
paths are relative to the manifest; empty cells are allowed.

Folder, by naming convention: ``NAME.md`` or ``NAME.txt`` is an episode,
``NAME.en.*`` with ``NAME.zh.*`` a two-file episode; ``NAME.*.srt|vtt|json3|srv3``
and ``NAME.{mp4,mkv,webm,m4a,mp3,opus,wav}`` beside them are its captions and
media (an English or unlabelled caption file times it; a Chinese one cannot).
A NAME with caption files and no transcript is an episode read from its
captions (`subalign.readers.caption_text`): ``NAME.en.srt`` with
``NAME.zh.vtt`` the two languages, a single ``NAME.srt`` a bilingual track.
A problem with one episode (a missing file, half of a pair) is that
episode's error, never the catalogue's.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

TRANSCRIPT_SUFFIXES = (".md", ".txt")
CAPTION_SUFFIXES = (".srt", ".vtt", ".json3", ".srv3", ".srv1", ".xml", ".ass", ".ssa")
MEDIA_SUFFIXES = (".mp4", ".mkv", ".webm", ".m4a", ".mp3", ".opus", ".wav", ".mov", ".aac", ".flac")
COLUMNS = ("transcript", "zh", "captions", "media", "duration")
_LANG = re.compile(r"\.(en|zh|zh-hans|zh-cn|zh-tw|en-us|en-gb)$", re.I)


@dataclass(frozen=True)
class EpisodeSpec:
    """One episode of a catalogue: where its files are, or why it cannot run."""

    name: str
    transcript: Path | None
    zh: Path | None = None
    captions: Path | None = None
    media: Path | None = None
    duration: str | None = None
    error: str | None = None

    def inputs(self) -> list[Path]:
        return [p for p in (self.transcript, self.zh, self.captions, self.media) if p is not None]


def _missing(spec: EpisodeSpec) -> EpisodeSpec:
    for label, path in (("transcript", spec.transcript), ("Chinese file", spec.zh), ("caption file", spec.captions),
                        ("media file", spec.media)):
        if path is not None and not path.exists():
            return EpisodeSpec(spec.name, spec.transcript, spec.zh, spec.captions, spec.media, spec.duration,
                               f"{path}: no such file ({label})")
    return spec


def read_manifest(path: Path) -> list[EpisodeSpec]:
    """Episodes of a CSV manifest."""
    from ..textio import read_text

    rows = list(csv.DictReader(read_text(path).text.splitlines()))
    if not rows:
        raise InputError("holds no episodes (a header row, then one row per episode)", path)
    header = set(rows[0])
    if "transcript" not in header:
        raise InputError(f"has no 'transcript' column (columns: {', '.join(COLUMNS)})", path)
    unknown = sorted(header - set(COLUMNS) - {"name"})
    if unknown:
        raise InputError(f"has unknown column(s) {', '.join(unknown)} (known: name, {', '.join(COLUMNS)})", path)
    base = path.parent
    specs: list[EpisodeSpec] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, 2):

        def cell(key: str, row: dict[str, str] = row) -> Path | None:
            value = (row.get(key) or "").strip()
            return base / value if value else None

        transcript = cell("transcript")
        name = (row.get("name") or "").strip() or (_episode_name(transcript) if transcript else f"row-{n}")
        while name in seen:
            name += "-2"
        seen.add(name)
        if transcript is None:
            specs.append(EpisodeSpec(name, None, error=f"{path}: line {n}: no transcript"))
            continue
        spec = EpisodeSpec(name, transcript, cell("zh"), cell("captions"), cell("media"),
                           (row.get("duration") or "").strip() or None)
        specs.append(_missing(spec))
    return specs


def _episode_name(path: Path) -> str:
    return _LANG.sub("", path.stem) or path.stem


def read_folder(folder: Path) -> list[EpisodeSpec]:
    """Episodes of a folder, by naming convention."""
    files = sorted(f for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))
    transcripts: dict[str, dict[str, Path]] = {}
    captions: dict[str, dict[str, Path]] = {}
    media: dict[str, Path] = {}
    for f in files:
        suffix = f.suffix.lower()
        stem = f.stem
        m = _LANG.search(stem)
        lang = m.group(1).lower()[:2] if m else ""
        if suffix in TRANSCRIPT_SUFFIXES:
            transcripts.setdefault(_LANG.sub("", stem) or stem, {})[lang] = f
        elif suffix in CAPTION_SUFFIXES:
            captions.setdefault(_LANG.sub("", stem) or stem, {}).setdefault(lang, f)
        elif suffix in MEDIA_SUFFIXES:
            media.setdefault(stem, f)
    specs: list[EpisodeSpec] = []
    for name, tracks in captions.items():
        if name in transcripts:
            continue
        if "en" in tracks and "zh" in tracks:
            specs.append(EpisodeSpec(name, tracks["en"], tracks["zh"], None, media.get(name)))
        elif len(tracks) == 1:
            specs.append(EpisodeSpec(name, next(iter(tracks.values())), None, None, media.get(name)))
        else:
            have = ", ".join(p.name for p in tracks.values())
            specs.append(EpisodeSpec(name, next(iter(tracks.values())), None, None, media.get(name),
                                     error=f"{have}: caption files with no transcript, and not one English "
                                     "and one Chinese track to read as its two languages"))
    for name, by_lang in transcripts.items():
        tracks = captions.get(name, {})
        cap, med = tracks.get("en") or tracks.get(""), media.get(name)
        if "" in by_lang:
            specs.append(EpisodeSpec(name, by_lang[""], None, cap, med))
        elif "en" in by_lang and "zh" in by_lang:
            specs.append(EpisodeSpec(name, by_lang["en"], by_lang["zh"], cap, med))
        else:
            have = next(iter(by_lang.values()))
            other = "zh" if "en" in by_lang else "en"
            specs.append(EpisodeSpec(name, have, None, cap, med,
                                     error=f"{have}: no {name}.{other}.md or .txt beside it to pair with"))
    if not specs:
        raise InputError(
            "holds no transcripts (NAME.md, NAME.txt, NAME.en.* with NAME.zh.*, or caption files)", folder
        )
    return sorted(specs, key=lambda spec: spec.name)


def read_catalogue(path: Path) -> list[EpisodeSpec]:
    """The episodes of a catalogue: a folder, or a CSV manifest."""
    if not path.exists():
        raise InputError("no such file or folder", path)
    return read_folder(path) if path.is_dir() else read_manifest(path)
