"""The reader protocol and the registry of layouts."""

from __future__ import annotations

from typing import Protocol

from ..model import Lang, Section, Transcript
from .scan import Scan


class LayoutReader(Protocol):
    """Builds a transcript from a scanned single file of one layout."""

    name: str

    def accepts(self, scan: Scan) -> bool:
        """Whether the file has this layout."""
        ...

    def build(self, scan: Scan) -> Transcript:
        """The transcript (sections of paragraphs, and what was set aside)."""
        ...


READERS: dict[str, LayoutReader] = {}


def register(reader: LayoutReader) -> None:
    """Make ``reader`` available under its name; readers are tried in registration order."""
    READERS[reader.name] = reader


def transcript(scan: Scan, layout: str, sections: list[Section], extra: tuple[Scan, ...] = ()) -> Transcript:
    """A transcript from ``scan`` (and, for two files, the other file's scan)."""
    scans = (scan, *extra)
    headings: dict[Lang, tuple[tuple[int, str], ...]] = {}
    if extra:
        headings = {Lang.EN: tuple((g, t) for g, t, _ in scan.headings),
                    Lang.ZH: tuple((g, t) for g, t, _ in extra[0].headings)}
    else:
        both = tuple((g, t) for g, t, _ in scan.headings)
        headings = {Lang.EN: both, Lang.ZH: both}
    encodings = list(dict.fromkeys(s.encoding for s in scans))
    return Transcript(
        title=next((s.title for s in scans if s.title), scan.path.stem),
        sections=tuple(sections),
        source=scan.path,
        encoding="+".join(encodings) if len(scans) > 1 and len(encodings) > 1 else scan.encoding,
        layout=layout,
        video_url=next((s.url for s in scans if s.url), None),
        youtube_id=next((s.youtube_id for s in scans if s.youtube_id), None),
        set_aside=tuple(x for s in scans for x in s.set_aside),
        extra_sources=tuple(s.path for s in extra),
        chapters=tuple(c for s in scans for c in s.chapters),
        headings=headings,
    )
