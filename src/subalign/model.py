"""The core data model, independent of any input or output format.

Every stage of the pipeline speaks these types: the transcript reader produces
:class:`Transcript` (sections of :class:`Paragraph`), the segmenter
:class:`Sentence`, the aligner :class:`AlignedPair`, the checks
:class:`Finding`, the cue builder :class:`Cue`.  Writers only ever see cues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Lang(StrEnum):
    """The two languages of a bilingual transcript (``str(Lang.EN) == "en"``)."""

    EN = "en"
    ZH = "zh"


@dataclass(frozen=True)
class Paragraph:
    """One block of one language, as written in the transcript.

    ``start``/``end`` are character offsets into the decoded source text of
    the block the paragraph came from, so a reviewer can find it again;
    ``speaker`` is a label such as ``Sarah`` taken from ``**Sarah:**`` (the
    label is never part of ``text``).  ``anchors`` are times the input gave
    (``[00:01:23]`` prefixes, YouTube transcript copies' ``0:38`` lines) as
    ``(character offset in text, seconds)``.  ``group`` counts the headings
    of the file before the paragraph: paragraphs of one group sit under the
    same heading; ``line`` is the block's first line in its file (1-based).
    """

    lang: Lang
    index: int
    text: str
    start: int
    end: int
    speaker: str | None = None
    anchors: tuple[tuple[int, float], ...] = ()
    group: int = 0
    line: int = 0


@dataclass(frozen=True)
class Section:
    """A numbered part of the episode: its English and its Chinese paragraphs."""

    label: str
    en: tuple[Paragraph, ...]
    zh: tuple[Paragraph, ...]

    def paragraphs(self, lang: Lang) -> tuple[Paragraph, ...]:
        return self.en if lang is Lang.EN else self.zh


@dataclass(frozen=True)
class SetAside:
    """A block of the input that is not speech or its translation, and why.

    Titles, headings, links, summaries, outlines, tables of contents,
    chapter lists, tags, code, images, tables, a translator's preamble...
    They never reach the subtitles; the report lists each one.  ``lang`` is
    the block's language where it has one; ``line`` is 1-based in ``source``.
    """

    text: str
    reason: str
    source: Path
    line: int
    lang: Lang | None = None


@dataclass(frozen=True)
class Chapter:
    """A chapter of the episode: its start time and title, as a chapter list gives them."""

    start: float
    title: str


@dataclass(frozen=True)
class Transcript:
    """A parsed bilingual transcript.

    ``set_aside`` holds every block that must never be aligned (the summary
    at the top of an episode file, headings, a chapter list...); it is kept
    so the report can show what was seen and why it was left out.
    ``headings`` are ``(group, text)`` for each heading of each language's
    file (see `Paragraph.group`).
    """

    title: str
    sections: tuple[Section, ...]
    source: Path
    encoding: str
    layout: str
    video_url: str | None = None
    youtube_id: str | None = None
    set_aside: tuple[SetAside, ...] = ()
    extra_sources: tuple[Path, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    headings: dict[Lang, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """One sentence of one language with where it came from.

    ``index`` counts sentences of this language over the whole transcript;
    ``paragraph`` is the paragraph's index within its section and language;
    ``start``/``end`` are character offsets into the decoded source text.
    """

    lang: Lang
    index: int
    text: str
    section: str
    paragraph: int
    start: int
    end: int
    speaker: str | None = None


@dataclass(frozen=True)
class Bead:
    """One step of an alignment: source ids to target ids, with a score.

    Ids are 0-based positions in the aligned sequences.  Either side may be
    empty (1-0 omission, 0-1 addition); ``score`` is the bead's similarity
    (cosine of the two windows) or ``None`` for a null bead.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass(frozen=True)
class AlignedPair:
    """English sentences and the Chinese sentences that render them.

    ``en`` empty means the Chinese was added (no source); ``zh`` empty means
    the English was left untranslated.
    """

    section: str
    en: tuple[Sentence, ...]
    zh: tuple[Sentence, ...]
    score: float | None

    @property
    def kind(self) -> str:
        return f"{len(self.en)}-{len(self.zh)}"

    @property
    def en_text(self) -> str:
        return " ".join(s.text for s in self.en)

    @property
    def zh_text(self) -> str:
        return "".join(s.text for s in self.zh)


class Severity(StrEnum):
    """How much a finding should worry a reviewer; ordered by ``rank``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    """Something a reviewer should look at, with the evidence.

    ``value`` is the measured quantity and ``threshold`` the limit it was
    compared with (both ``None`` where the finding is categorical).
    ``term``/``rendering``: the English name and the Chinese it is rendered
    with, where the finding is about one; ``group`` joins the findings that
    are repeats of one issue (the same name, the same rendering), so a
    reviewer decides once.
    """

    kind: str
    severity: Severity
    message: str
    section: str
    en: tuple[int, ...] = ()
    zh: tuple[int, ...] = ()
    en_text: str = ""
    zh_text: str = ""
    value: float | None = None
    threshold: float | None = None
    term: str = ""
    rendering: str = ""
    group: str = ""

    @classmethod
    def at(
        cls,
        pair: AlignedPair,
        kind: str,
        severity: Severity,
        message: str,
        value: float | None = None,
        threshold: float | None = None,
        term: str = "",
        rendering: str = "",
        group: str = "",
    ) -> Finding:
        """A finding located at ``pair``, with both its texts for the reviewer."""
        return cls(
            kind=kind,
            severity=severity,
            message=message,
            section=pair.section,
            en=tuple(s.index for s in pair.en),
            zh=tuple(s.index for s in pair.zh),
            en_text=pair.en_text,
            zh_text=pair.zh_text,
            value=value,
            threshold=threshold,
            term=term,
            rendering=rendering,
            group=group,
        )


@dataclass(frozen=True)
class TimedPair:
    """An aligned pair with the time span of its English speech, in seconds.

    ``estimated`` is true when the time was not measured from speech or
    captions (e.g. spread over the episode duration).  ``source`` says where
    the time came from: ``captions``, ``audio``, ``transcript timestamps``
    (between times the input carried) or ``estimate``.  ``word_starts``:
    when each English word (split at spaces) was heard, where known.
    """

    pair: AlignedPair
    start: float
    end: float
    estimated: bool
    source: str = "estimate"
    word_starts: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class Cue:
    """One subtitle event holding both languages with identical times."""

    index: int
    start: float
    end: float
    en: str
    zh: str
    estimated: bool = False
    en_ids: tuple[int, ...] = ()
    zh_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class KeptFragment:
    """A sentence at the edge of a merged pair that the pair's match does not need, left in the pair.

    The refinement pass (`subalign.refine`) moves such sentences into 1-0 or
    0-1 pairs of their own; it keeps in place the short ones, whose evidence
    is weak ("不是吗？", "Whoa!"), and an edge it cannot move (the other edge
    of a two-sentence side went already).  The checks report them from here.
    """

    lang: Lang
    index: int
    #: The sentence's similarity to the other side, and the document's low pair score it is below.
    similarity: float
    threshold: float
    short: bool


@dataclass
class Alignment:
    """The result of aligning a whole transcript: pairs in reading order.

    ``fragments`` holds what the refinement pass decided to leave inside
    merged pairs (empty before it runs).
    """

    pairs: list[AlignedPair] = field(default_factory=list)
    fragments: list[KeptFragment] = field(default_factory=list)

    @property
    def omissions(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.en and not p.zh]

    @property
    def additions(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.zh and not p.en]
