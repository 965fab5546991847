"""Checking subtitles against a style profile.

:func:`lint_cues` is pure: cues in, a list of :class:`Violation` out (empty:
nothing to fix).  :func:`read_subtitles` parses SRT, WebVTT and ASS files
strictly, so a malformed file is an input error rather than a silent partial
read.  Each line is attributed to a language by its script (a line with Han
characters is Chinese).

Hard limits (severity ``error``): characters per line, lines per cue per
language, minimum and maximum duration, overlaps, empty cues, markup or
``-->`` inside text.  Soft limits (``warning``): reading speed per language,
gaps shorter than the minimum.
"""

from __future__ import annotations

import dataclasses
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Lang, Severity
from .style import StyleProfile, line_length, line_limit, reading_chars
from .textio import read_text

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FULLWIDTH = re.compile(r"[\u3000-\u303f\uff01-\uff60]")
_MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")
# Seconds of rounding a format's clock adds to frame-snapped times: SRT and
# WebVTT store milliseconds, ASS centiseconds.
_TOLERANCE = {".ass": 0.011, ".ssa": 0.011}
_DEFAULT_TOLERANCE = 0.002


def tolerance_for(path: Path) -> float:
    return _TOLERANCE.get(path.suffix.lower(), _DEFAULT_TOLERANCE)


@dataclass(frozen=True)
class LintCue:
    """A cue as read from a file: times and display lines (markup removed)."""

    index: int
    start: float
    end: float
    lines: tuple[str, ...]
    raw: str = ""
    #: The language of each line, when the writer says so (else it is told by script).
    langs: tuple[Lang, ...] | None = None


@dataclass(frozen=True)
class Violation:
    """One broken rule, with what was measured and the limit."""

    rule: str
    severity: Severity
    cue: int
    start: float
    measured: float
    limit: float
    lang: str = ""
    detail: str = ""

    def describe(self) -> str:
        lang = f" [{self.lang}]" if self.lang else ""
        return (
            f"cue {self.cue} at {_clock(self.start)}: {self.rule}{lang} {self.measured:g} "
            f"(limit {self.limit:g}){' — ' + self.detail if self.detail else ''}"
        )


def _clock(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def line_lang(line: str) -> Lang:
    """A line's language by its own script: Han or full-width characters mean Chinese."""
    return Lang.ZH if _HAN.search(line) or _FULLWIDTH.search(line) else Lang.EN


def attribute_lines(lines: Sequence[str]) -> list[Lang]:
    """Languages of a cue's lines, as contiguous blocks.

    A bilingual cue holds one block per language; a Chinese line that is only
    a Latin term ("Business-to-Consumer）", recognised by its full-width
    bracket) belongs to the Chinese block.  The split that agrees with the
    most per-line guesses wins.
    """
    guess = [line_lang(ln) for ln in lines]
    if len(set(guess)) < 2:
        return guess
    best: tuple[int, list[Lang]] | None = None
    n = len(lines)
    for top, bottom in ((Lang.ZH, Lang.EN), (Lang.EN, Lang.ZH)):
        for b in range(1, n):
            cand = [top] * b + [bottom] * (n - b)
            agree = sum(g is c for g, c in zip(guess, cand, strict=True))
            if best is None or agree > best[0]:
                best = (agree, cand)
    assert best is not None
    return best[1]


def lint_cues(cues: Sequence[LintCue], profile: StyleProfile, tolerance: float = _DEFAULT_TOLERANCE) -> list[Violation]:
    """Every violation of ``profile`` in ``cues``, in cue order.

    ``tolerance``: seconds by which times may miss a limit through the file
    format's clock resolution (see :func:`tolerance_for`).
    """
    out: list[Violation] = []
    err, warn = Severity.ERROR, Severity.WARNING
    for k, c in enumerate(cues):
        dur = c.end - c.start

        def add(
            rule: str, sev: Severity, measured: float, limit: float, lang: str = "", detail: str = "", cue: LintCue = c
        ) -> None:
            out.append(Violation(rule, sev, cue.index, cue.start, round(measured, 3), round(limit, 3), lang, detail))

        text_lines = [ln for ln in c.lines if ln.strip()]
        if not text_lines:
            add("empty cue", err, 0, 1)
        if "-->" in c.raw:
            add("'-->' inside text", err, 1, 0)
        if _MARKUP.search(c.raw.replace("&lt;", "").replace("&gt;", "")):
            add("markup inside text", err, 1, 0, detail=_MARKUP.search(c.raw).group(0))  # type: ignore[union-attr]
        if dur < profile.min_duration - tolerance:
            add("duration below minimum", err, dur, profile.min_duration)
        if dur > profile.max_duration + tolerance:
            add("duration above maximum", err, dur, profile.max_duration)
        langs = c.langs if c.langs is not None and len(c.langs) == len(text_lines) else attribute_lines(text_lines)
        for lang in (Lang.EN, Lang.ZH):
            mine = [ln for ln, lg in zip(text_lines, langs, strict=True) if lg is lang]
            if not mine:
                continue
            if len(mine) > profile.max_lines:
                add("lines per cue", err, len(mine), profile.max_lines, str(lang))
            for ln in mine:
                length = line_length(ln, lang)
                if length > line_limit(profile, lang):
                    add("characters per line", err, length, line_limit(profile, lang), str(lang), ln)
            cps_limit = profile.en_cps if lang is Lang.EN else profile.zh_cps
            chars = reading_chars(" ".join(mine) if lang is Lang.EN else "".join(mine), lang)
            if dur > 0 and chars / dur > cps_limit:
                add("reading speed (cps)", warn, chars / dur, cps_limit, str(lang))
        if k + 1 < len(cues):
            nxt = cues[k + 1]
            gap = nxt.start - c.end
            if gap < -tolerance:
                add("overlap with next cue", err, -gap, 0)
            elif gap < profile.min_gap - tolerance:
                add("gap below minimum", warn, gap, profile.min_gap)
    return out


def is_hard(v: Violation) -> bool:
    return v.severity is Severity.ERROR


# -- reading files ---------------------------------------------------------------


def _from_srt(text: str, path: Path) -> list[LintCue]:
    import pysrt

    try:
        subs = pysrt.from_string(text, error_handling=pysrt.ERROR_RAISE)
    except pysrt.Error as exc:
        raise InputError(f"is not valid SRT ({str(exc).splitlines()[0][:80]})", path) from exc
    if not subs and text.strip():
        raise InputError("is not valid SRT (no cue could be read)", path)
    return [
        LintCue(
            i + 1,
            s.start.ordinal / 1000,
            s.end.ordinal / 1000,
            tuple(_MARKUP.sub("", ln) for ln in s.text.split("\n")),
            s.text,
        )
        for i, s in enumerate(subs)
    ]


def _from_vtt(text: str, path: Path) -> list[LintCue]:
    import webvtt

    try:
        doc = webvtt.from_buffer(io.StringIO(text))
    except Exception as exc:  # webvtt-py raises MalformedFileError and others
        raise InputError(f"is not valid WebVTT ({type(exc).__name__}: {str(exc)[:80]})", path) from exc
    out = []
    for i, c in enumerate(doc.captions):
        raw = c.raw_text
        # Class and language spans are WebVTT's own markup, not stray tags.
        stripped = re.sub(r"</?(?:c|lang|v)(?:[.\s][^>]*)?>", "", raw)
        lines = tuple(_MARKUP.sub("", ln) for ln in stripped.split("\n"))
        out.append(
            LintCue(
                i + 1,
                c.start_time.in_milliseconds() / 1000,
                c.end_time.in_milliseconds() / 1000,
                tuple(ln.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for ln in lines),
                stripped,
            )
        )
    return out


def _from_ass(text: str, path: Path) -> list[LintCue]:
    import pysubs2

    try:
        # pysubs2 warns (on stderr) about style fields it cannot read; they do not matter to timing or lines.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            subs = pysubs2.SSAFile.from_string(text, format_="ass")
    except Exception as exc:
        raise InputError(f"is not valid ASS ({type(exc).__name__})", path) from exc
    out = []
    for i, ev in enumerate(e for e in subs.events if not e.is_comment):
        plain = ev.plaintext
        out.append(
            LintCue(
                i + 1, ev.start / 1000, ev.end / 1000, tuple(plain.split("\n")), re.sub(r"\{\\[^}]*\}", "", ev.text)
            )
        )
    return out


def read_subtitles(path: Path) -> list[LintCue]:
    """Parse an SRT, VTT or ASS file (by extension, else by content)."""
    return parse_subtitles(read_text(path).text, path)


def parse_subtitles(text: str, path: Path) -> list[LintCue]:
    """Parse subtitle text whose format is given by ``path``'s extension."""
    suffix = path.suffix.lower()
    if suffix == ".vtt" or text.lstrip("\ufeff").startswith("WEBVTT"):
        return _from_vtt(text, path)
    if suffix in (".ass", ".ssa") or "[Script Info]" in text[:200]:
        return _from_ass(text, path)
    if suffix == ".srt" or re.match(r"\s*\d+\s*\n\d", text):
        return _from_srt(text, path)
    raise InputError("is not a subtitle file subalign can read (SRT, WebVTT or ASS)", path)


def summarise(violations: Sequence[Violation]) -> dict[str, Any]:
    """Counts per rule and severity, for reports and ``--json``."""
    by_rule: dict[str, int] = {}
    for v in violations:
        key = f"{v.rule} [{v.lang}]" if v.lang else v.rule
        by_rule[key] = by_rule.get(key, 0) + 1
    return {
        "errors": sum(1 for v in violations if is_hard(v)),
        "warnings": sum(1 for v in violations if not is_hard(v)),
        "by_rule": dict(sorted(by_rule.items())),
    }


def violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "severity": str(v.severity),
        "cue": v.cue,
        "start": v.start,
        "measured": v.measured,
        "limit": v.limit,
        "lang": v.lang,
        "detail": v.detail,
    }


def lint_outputs(
    files: dict[str, str], profile: StyleProfile, line_langs: dict[str, list[tuple[Lang, ...]]] | None = None
) -> dict[str, Any]:
    """Lint every subtitle file about to be written (name -> text), for the report.

    ``line_langs`` (name -> each cue's line languages, from the writer's
    layout) tells the linter which language a line is in, so a Chinese line
    that is all Latin letters (an English quote kept) is not counted as English.
    """
    result: dict[str, Any] = {"profile": profile.name, "limits": dataclasses.asdict(profile), "files": {}}
    for name, text in files.items():
        path = Path(name)
        if path.suffix.lower() not in (".srt", ".vtt", ".ass"):
            continue
        parsed = parse_subtitles(text, path)
        known = (line_langs or {}).get(name)
        if known is not None and len(known) == len(parsed):
            parsed = [dataclasses.replace(c, langs=k) for c, k in zip(parsed, known, strict=True)]
        violations = lint_cues(parsed, profile, tolerance_for(path))
        entry = summarise(violations)
        # Hard violations are listed in full; reading-speed warnings are counted.
        entry["violations"] = [violation_dict(v) for v in violations if is_hard(v)]
        result["files"][name] = entry
    result["hard_violations"] = sum(f["errors"] for f in result["files"].values())
    return result
