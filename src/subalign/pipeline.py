"""The episode pipeline, read top to bottom.

transcript -> sentences -> embeddings + alignment -> checks -> timing -> cues
-> writers -> report.  Every input problem is raised before anything is
written; outputs are rendered in memory, then each is written atomically, and
if one fails the files of this run are removed again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .align import TranscriptAlignerConfig, align_transcript
from .captions import (
    GATE_MAX_LOW_SHARE,
    LOW_CONFIDENCE,
    SentenceTime,
    time_pairs,
    time_sentences,
)
from .checks import CheckThresholds, alignment_gate, run_checks
from .consistency import read_glossary
from .cues import build_cues
from .embed import Embedder
from .errors import ExitCode, InputError, OutputError
from .lint import lint_outputs
from .media import media_duration
from .model import AlignedPair, Alignment, Chapter, Lang, Section, Sentence, TimedPair, Transcript
from .readers import read_transcript
from .readers.caption_text import is_caption_file
from .readers.captions import read_caption_track
from .readers.labels import chapter_list
from .refine import refine_alignment
from .report import RunInfo, build_report, render_html
from .segment import segment_sections
from .setaside import set_aside_edge_additions, set_aside_unmatched
from .spans import keeping_token_features
from .speakers import assign_speakers, speakers_report
from .speech import time_from_audio
from .style import StyleProfile
from .textio import read_text, write_text
from .timing import estimate_between_anchors, sentence_anchors
from .writers import Layout, Look, get_writer

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    """What ``subalign run`` was asked to do for one episode."""

    transcript: Path
    out_dir: Path
    zh_file: Path | None = None
    media: Path | None = None
    duration: float | None = None
    captions: Path | None = None
    timing: str = "auto"
    zh_on_top: bool = True
    aligner: TranscriptAlignerConfig = field(default_factory=TranscriptAlignerConfig)
    thresholds: CheckThresholds = field(default_factory=CheckThresholds)
    profile: StyleProfile = field(default_factory=StyleProfile)
    look: Look = field(default_factory=Look)
    #: Line where each language's speech starts (``--en-start``/``--zh-start``), when detection fails.
    starts: dict[Lang, int] = field(default_factory=dict)
    #: A chapter list file (``0:33 Title`` lines): chapter starts anchor estimated times.
    chapters: Path | None = None
    #: Where temporary files are written before they are renamed into ``out_dir`` (same file system).
    staging: Path | None = None
    #: A user glossary (TSV/CSV: en, zh renderings separated by |, note), checked on every pair.
    glossary: Path | None = None


@dataclass(frozen=True)
class EpisodeResult:
    """What a run produced: the report dictionary and the files written."""

    report: dict[str, Any]
    outputs: dict[str, Path]

    @property
    def trusted(self) -> bool:
        return bool(self.report["gate"]["trusted"])


def assess(report: dict[str, Any], strict: bool = False) -> tuple[ExitCode, list[str]]:
    """The exit code a finished episode earns, and the warnings that say why.

    1 when the quality gate failed or a subtitle breaks a hard limit; with
    ``strict`` also when any time is only an estimate.
    """
    code = ExitCode.OK
    warnings: list[str] = []
    for reason in report["gate"]["reasons"]:
        warnings.append(f"low confidence: {reason}")
        code = ExitCode.QUALITY
    if report["style"]["hard_violations"]:
        warnings.append(
            f"{report['style']['hard_violations']} hard-limit violations of the {report['style']['profile']} "
            "profile in the subtitles (see the report)"
        )
        code = ExitCode.QUALITY
    if report["timing"]["estimated"]:
        warnings.append(f"some or all times are estimates ({report['timing']['source']})")
        if strict:
            code = ExitCode.QUALITY
    return code, warnings


_LANG_SUFFIX = re.compile(r"\.(?:en-zh|zh-en|en|zh|zh-hans|bilingual)$", re.I)


def episode_name(path: Path) -> str:
    """The base name outputs are named after: the file stem without a language suffix."""
    return _LANG_SUFFIX.sub("", path.stem) or path.stem


def output_names(name: str) -> dict[str, tuple[str, Layout]]:
    """Output file name -> (writer name, layout) for one episode."""
    bilingual = (Lang.ZH, Lang.EN)
    return {
        f"{name}.en-zh.srt": ("srt", Layout(bilingual)),
        f"{name}.en-zh.vtt": ("vtt", Layout(bilingual)),
        f"{name}.en-zh.ass": ("ass", Layout(bilingual)),
        f"{name}.en.srt": ("srt", Layout((Lang.EN,))),
        f"{name}.en.vtt": ("vtt", Layout((Lang.EN,))),
        f"{name}.zh-Hans.srt": ("srt", Layout((Lang.ZH,))),
        f"{name}.zh-Hans.vtt": ("vtt", Layout((Lang.ZH,))),
    }


TIMING_MODES = ("auto", "audio", "captions", "estimate")


def _timing_mode(options: RunOptions) -> str:
    """Where times come from: captions if given, else the media's audio, else an estimate."""
    mode = options.timing
    if mode not in TIMING_MODES:
        raise InputError(f"--timing {mode!r} is not one of {', '.join(TIMING_MODES)}")
    if mode == "auto":
        return "captions" if options.captions else "audio" if options.media else "estimate"
    if mode == "captions" and options.captions is None:
        raise InputError("--timing captions needs --captions FILE", options.transcript)
    if mode == "audio" and options.media is None:
        raise InputError("--timing audio needs --media FILE", options.transcript)
    return mode


def _captions_from_transcript(options: RunOptions) -> RunOptions:
    """An English transcript given as a caption file times the subtitles, unless media or captions are given."""
    if options.captions is not None or options.media is not None or options.timing not in ("auto", "captions"):
        return options
    if not is_caption_file(read_text(options.transcript)):
        return options
    return replace(options, captions=options.transcript)


def _has_anchors(transcript: Transcript) -> bool:
    paragraphs = (p for sec in transcript.sections for lang in (Lang.EN, Lang.ZH) for p in sec.paragraphs(lang))
    return bool(transcript.chapters) or any(p.anchors for p in paragraphs)


def read_chapters(path: Path) -> tuple[Chapter, ...]:
    """A chapter list file: one ``0:33 Title`` line per chapter."""
    chapters = chapter_list(read_text(path).text.strip())
    if not chapters:
        raise InputError("is not a chapter list (one '0:33 Title' line per chapter, in time order)", path)
    return tuple(chapters)


def _resolve_duration(options: RunOptions, mode: str, anchored: bool = False) -> tuple[float | None, str]:
    if mode == "captions":
        assert options.captions is not None
        return None, f"caption track {options.captions.name} (text-matched to the transcript)"
    if mode == "audio":
        assert options.media is not None
        return media_duration(options.media), f"audio of {options.media.name} (pocketsphinx, chunked forced alignment)"
    if options.media is not None:
        return media_duration(options.media), f"estimated from the duration of {options.media.name} (ffprobe)"
    if options.duration is not None:
        return options.duration, "estimated from the given duration"
    if anchored:
        return None, "estimated between the timestamps the transcript carries"
    raise InputError(
        "needs the episode's length to time subtitles: give --duration H:MM:SS, --media FILE or --captions FILE",
        options.transcript,
    )


def _from_sentence_times(
    pairs: list[AlignedPair], english: list[Sentence], times: list[SentenceTime], what: str, source: str
) -> tuple[list[TimedPair], list[str], list[str]]:
    """Timed pairs, report lines and gate reasons from per-sentence times with confidences."""
    timed = time_pairs(pairs, {s.index: t for s, t in zip(english, times, strict=True)}, source)
    low = sum(1 for t in times if t.confidence < LOW_CONFIDENCE)
    reasons, gate = [], []
    if low:
        reasons.append(
            f"{low} of {len(english)} English sentences matched the {what} poorly (under "
            f"{LOW_CONFIDENCE:.0%} of their words); their cues are marked estimated."
        )
    if english and low / len(english) > GATE_MAX_LOW_SHARE:
        gate.append(
            f"timing: {low / len(english):.0%} of sentences matched the {what} poorly "
            f"(limit {GATE_MAX_LOW_SHARE:.0%}): is this the right {what}?"
        )
    return timed, reasons, gate


def _check_out_dir(out_dir: Path) -> None:
    """Fail before any work if ``out_dir`` cannot hold our files; create nothing yet."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise OutputError("exists and is not a directory", out_dir)
        if not os.access(out_dir, os.W_OK | os.X_OK):
            raise OutputError("is not writable", out_dir)
        return
    parent = out_dir.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot be created ({parent} is not a writable directory)", out_dir)


def _write_all(out_dir: Path, files: dict[Path, str], inputs: list[Path], staging: Path | None = None) -> None:
    """Write every file atomically; on failure remove what this run wrote."""
    protected = {p.resolve() for p in inputs}
    for path in files:
        if path.resolve() in protected:
            raise OutputError("would overwrite an input file; choose another output directory", path)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror or exc})", out_dir) from exc
    written: list[Path] = []
    try:
        for path, text in files.items():
            write_text(path, text, staging)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        raise


def align_episode(
    transcript: Transcript,
    embedder: Embedder,
    aligner: TranscriptAlignerConfig | None = None,
    starts: dict[Lang, int] | None = None,
    progress: Progress | None = None,
) -> tuple[Transcript, list[tuple[Section, list[Sentence], list[Sentence]]], Alignment]:
    """The front of the pipeline: what has no counterpart set aside, sentences, their alignment, speakers."""
    say = progress or (lambda _msg: None)
    aligner = aligner or TranscriptAlignerConfig()
    say("setting aside what has no counterpart")
    transcript = set_aside_unmatched(transcript, embedder, aligner, starts)
    say("segmenting sentences")
    segmented = segment_sections(transcript.sections)
    alignment = align_transcript(segmented, embedder, aligner, progress=lambda m: say(f"aligning {m}"))
    transcript, alignment = set_aside_edge_additions(transcript, segmented, alignment, embedder)
    say("refining: untranslated and added sentences out of merged pairs")
    alignment = refine_alignment(alignment, embedder)
    return transcript, segmented, assign_speakers(alignment)


def run_episode(options: RunOptions, embedder: Embedder, progress: Progress | None = None) -> EpisodeResult:
    """Run the whole pipeline for one episode and write its files."""
    say = progress or (lambda _msg: None)
    say("reading transcript")
    options = _captions_from_transcript(options)
    transcript = read_transcript(options.transcript, options.zh_file)
    # The cue builder cuts long pairs: the model keeps the token features of the episode's
    # sentences, and of its pairs' texts once aligned, from the first pass over them
    # (`subalign.spans.keeping_token_features`), for this episode only.
    sentences = [s.text for _, en, zh in segment_sections(transcript.sections) for s in (*en, *zh)]
    with keeping_token_features(embedder, sentences) as keep_also:
        return _run_episode(options, embedder, transcript, say, keep_also)


def _run_episode(
    options: RunOptions,
    embedder: Embedder,
    transcript: Transcript,
    say: Progress,
    keep_also: Callable[[Iterable[str]], None],
) -> EpisodeResult:
    glossary = read_glossary(options.glossary) if options.glossary is not None else None
    if options.chapters is not None:
        transcript = replace(transcript, chapters=read_chapters(options.chapters))
    mode = _timing_mode(options)
    duration, timing_source = _resolve_duration(options, mode, _has_anchors(transcript))
    track = read_caption_track(options.captions) if mode == "captions" and options.captions else None
    inputs = [
        options.transcript,
        *([options.zh_file] if options.zh_file else []),
        *([options.media] if options.media else []),
        *([options.captions] if options.captions else []),
        *([options.chapters] if options.chapters else []),
        *([options.glossary] if options.glossary else []),
    ]
    _check_out_dir(options.out_dir)

    transcript, segmented, alignment = align_episode(transcript, embedder, options.aligner, options.starts, say)
    keep_also(t for p in alignment.pairs for t in (p.en_text, p.zh_text))

    say("checking the translation")
    findings = run_checks(alignment, options.thresholds, embedder, glossary)
    gate = alignment_gate(alignment, options.thresholds)

    say("timing")
    english = [s for _, en, _ in segmented for s in en]
    if track is not None:
        timed, timing_reasons, timing_gate = _from_sentence_times(
            alignment.pairs, english, time_sentences(english, track.words), "caption track", "captions"
        )
        if track.skipped:
            timing_reasons.append(f"caption file: {track.describe_skipped()}")
    elif mode == "audio":
        assert options.media is not None
        speech = time_from_audio(options.media, english, say)
        timed, timing_reasons, timing_gate = _from_sentence_times(
            alignment.pairs, english, speech.times, "audio", "audio"
        )
        if speech.skipped_words:
            unknown = sorted(set(speech.skipped_words))
            timing_reasons.append(
                f"{len(speech.skipped_words)} words are not in the recogniser's dictionary and were "
                f"skipped: {', '.join(unknown[:20])}{' ...' if len(unknown) > 20 else ''}"
            )
    else:
        anchors = sentence_anchors(transcript, segmented, alignment.pairs)
        if anchors and duration is not None and max(anchors.values()) >= duration:
            timing_reasons_extra = [
                f"The transcript's timestamps run to {max(anchors.values()):.0f} s, past the given duration "
                f"({duration:.0f} s): the timestamps were followed and the duration ignored."
            ]
            duration = None
        else:
            timing_reasons_extra = []
        timed, timing_gate = estimate_between_anchors(alignment.pairs, anchors, duration), []
        timing_reasons = [
            "No audio or captions were used: times are spread over the duration by text length and are "
            "off by seconds. Every cue is marked estimated."
        ]
        timing_reasons += timing_reasons_extra
        if anchors:
            timing_reasons.append(
                f"{len(anchors)} sentences are timed by timestamps the transcript carries; times between "
                "them are spread by text length (labelled 'transcript timestamps' in the pairs)."
            )
    gate = [*gate, *timing_gate]
    cues = build_cues(timed, options.profile, embedder, end_limit=duration)
    if duration is not None and cues and cues[-1].end > duration + 1e-6:
        late = sum(1 for c in cues if c.end > duration + 1e-6)
        gate.append(
            f"timing: the text needs more time than the duration ({duration:.0f} s) allows at the profile's "
            f"minimum cue duration: {late} cues run past it; is the duration right?"
        )

    say("writing subtitles and report")
    name = episode_name(options.transcript)
    files: dict[Path, str] = {}
    line_langs: dict[str, list[tuple[Lang, ...]]] = {}
    for fname, (writer_name, layout) in output_names(name).items():
        languages = layout.languages if options.zh_on_top else tuple(reversed(layout.languages))
        placed = Layout(languages, options.look)
        files[options.out_dir / fname] = get_writer(writer_name).dumps(cues, placed)
        line_langs[fname] = [tuple(lang for lang, _ in lines) for _, lines in placed.cues(cues)]
    say("linting the subtitles")
    style = lint_outputs({p.name: text for p, text in files.items()}, options.profile, line_langs)
    outputs = {p.name: p for p in files}
    outputs["report.json"] = options.out_dir / "report.json"
    outputs["report.html"] = options.out_dir / "report.html"
    info = RunInfo(
        model_id=embedder.model_id,
        timing_source=timing_source,
        duration=duration,
        # Names relative to the report, so that the folder can move (and batch and run write the same bytes).
        outputs={k: v.name for k, v in outputs.items()},
        gate_reasons=gate,
        timing_reasons=timing_reasons,
        style=style,
        speakers=speakers_report(alignment),
        captions=track.summary() if track is not None else {},
    )
    report = build_report(transcript, timed, findings, info)
    files[outputs["report.json"]] = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    files[outputs["report.html"]] = render_html(report)
    _write_all(options.out_dir, files, inputs, options.staging)
    return EpisodeResult(report, outputs)
