"""The quality report: a JSON document for machines and an HTML page for reviewers.

The JSON carries ``schema_version``; any change that renames or removes a
field raises it.  The HTML is built from the same dictionary, every piece of
transcript text escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .model import Finding, TimedPair, Transcript

SCHEMA_VERSION = 2


@dataclass
class RunInfo:
    """What the report needs to know about how the run was made."""

    model_id: str
    timing_source: str
    duration: float | None
    outputs: dict[str, str] = field(default_factory=dict)
    gate_reasons: list[str] = field(default_factory=list)
    timing_reasons: list[str] = field(default_factory=list)
    style: dict[str, Any] = field(default_factory=dict)
    speakers: dict[str, Any] = field(default_factory=dict)
    captions: dict[str, Any] = field(default_factory=dict)


#: What a reviewer should check, one sentence per kind of finding.
ADVICE = {
    "omission": "Check whether this English is rendered anywhere; if not, translate it.",
    "addition": "Check whether this Chinese renders anything said; if not, remove it or mark it as a note.",
    "low_similarity": "Check that the Chinese renders this English, not another line.",
    "misplaced": "Check that the Chinese renders this English, not a neighbouring line.",
    "partial_omission": "Check that every clause of the English is rendered, the quoted one first.",
    "number_mismatch": "Check that the Chinese states the same numbers as the English.",
    "entity": "Check this name's rendering against the English and the rest of the episode.",
    "glossary": "Use the glossary's rendering here.",
    "untranslated_english": "Check whether the English left in the Chinese should be translated.",
    "length_ratio": "Check that nothing was dropped or added: the lengths are unusual for this episode.",
}


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "severity": str(f.severity),
        "message": f.message,
        "check": ADVICE.get(f.kind, "Check this pair."),
        "section": f.section,
        "en": list(f.en),
        "zh": list(f.zh),
        "en_text": f.en_text,
        "zh_text": f.zh_text,
        "value": f.value,
        "threshold": f.threshold,
        "term": f.term,
        "rendering": f.rendering,
        "group": f.group,
    }


def finding_groups(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """Repeats of one issue as one entry: the first finding's message, the count, every place."""
    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        key = f.group or f"{f.kind}@{f.section}:{f.en}:{f.zh}"
        g = groups.setdefault(key, {"group": key, "kind": f.kind, "severity": str(f.severity),
                                     "message": f.message, "check": ADVICE.get(f.kind, "Check this pair."),
                                     "count": 0, "places": []})
        g["count"] += 1
        g["places"].append({"section": f.section, "en": list(f.en), "zh": list(f.zh), "en_text": f.en_text,
                            "zh_text": f.zh_text})
    return list(groups.values())


def build_report(
    transcript: Transcript,
    timed: Sequence[TimedPair],
    findings: Sequence[Finding],
    info: RunInfo,
) -> dict[str, Any]:
    """The report as a JSON-ready dictionary."""
    low_by_pair = {(f.en, f.zh) for f in findings if f.kind == "low_similarity"}
    sections: dict[str, dict[str, Any]] = {}
    for s in transcript.sections:
        sections[s.label] = {"label": s.label, "pairs": [], "omissions": [], "additions": [], "low_similarity": []}
    kinds: Counter[str] = Counter()
    n_en = n_zh = 0
    for tp in timed:
        p = tp.pair
        n_en += len(p.en)
        n_zh += len(p.zh)
        kinds[p.kind] += 1
        row: dict[str, Any] = {
            "kind": p.kind,
            "en": [s.index for s in p.en],
            "zh": [s.index for s in p.zh],
            "en_text": p.en_text,
            "zh_text": p.zh_text,
            "score": None if p.score is None else round(p.score, 4),
            "start": tp.start,
            "end": tp.end,
            "estimated": tp.estimated,
        }
        sec = sections[p.section]
        sec["pairs"].append(row)
        if p.en and not p.zh:
            sec["omissions"].append(row)
        elif p.zh and not p.en:
            sec["additions"].append(row)
        if (tuple(row["en"]), tuple(row["zh"])) in low_by_pair:
            sec["low_similarity"].append(row)
    by_kind = Counter(f.kind for f in findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "subalign", "version": __version__},
        "input": {
            "path": str(transcript.source),
            "extra_paths": [str(p) for p in transcript.extra_sources],
            "encoding": transcript.encoding,
            "layout": transcript.layout,
            "title": transcript.title,
            "video_url": transcript.video_url,
            "youtube_id": transcript.youtube_id,
            "notes": list(transcript.notes),
            "chapters": [{"start": c.start, "title": c.title} for c in transcript.chapters],
        },
        "set_aside": {
            "note": "blocks that are not speech or its translation: never aligned, never subtitled",
            "by_reason": dict(sorted(Counter(x.reason for x in transcript.set_aside).items())),
            "characters": sum(len(x.text) for x in transcript.set_aside),
            "blocks": [
                {
                    "reason": x.reason,
                    "lang": None if x.lang is None else str(x.lang),
                    "source": str(x.source),
                    "line": x.line,
                    "text": x.text,
                }
                for x in sorted(transcript.set_aside, key=lambda x: (str(x.source), x.line))
            ],
        },
        "speakers": info.speakers,
        "model": info.model_id,
        "timing": {
            "source": info.timing_source,
            "duration": info.duration,
            "estimated": any(tp.estimated for tp in timed),
            "reasons": info.timing_reasons,
            "sources": dict(sorted(Counter(tp.source for tp in timed).items())),
            "captions": info.captions,
        },
        "counts": {
            "en_sentences": n_en,
            "zh_sentences": n_zh,
            "pairs": len(timed),
            "pairs_by_kind": dict(sorted(kinds.items())),
            "omitted_en_sentences": sum(len(tp.pair.en) for tp in timed if not tp.pair.zh),
            "added_zh_sentences": sum(len(tp.pair.zh) for tp in timed if not tp.pair.en),
            "findings_by_kind": dict(sorted(by_kind.items())),
        },
        "gate": {"trusted": not info.gate_reasons, "reasons": info.gate_reasons},
        "style": info.style,
        "findings": [_finding_dict(f) for f in findings],
        "finding_groups": finding_groups(findings),
        "sections": list(sections.values()),
        "outputs": info.outputs,
    }


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}.num{text-align:right;white-space:nowrap}
tr.omission td{background:#fff1e6}tr.addition td{background:#eef6ff}tr.low td{background:#fff9c4}
.error{color:#b00020;font-weight:bold}.warning{color:#a15c00}.info{color:#555}
.gate{padding:.6em 1em;border-radius:4px}.bad{background:#fde2e2}.good{background:#e3f6e3}"""


def render_html(report: dict[str, Any]) -> str:
    """A self-contained HTML page a reviewer can read and act on."""
    inp = report["input"]
    counts = report["counts"]
    gate = report["gate"]
    timing = report["timing"]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>subalign report: {_e(inp['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(inp['title'])}</h1>",
        "<table>",
        f"<tr><th>Transcript</th><td>{_e(inp['path'])} ({_e(inp['encoding'])}, layout {_e(inp['layout'])})</td></tr>",
        f"<tr><th>Video</th><td>{_e(inp['video_url'] or '—')}</td></tr>",
        f"<tr><th>Model</th><td>{_e(report['model'])}</td></tr>",
        f"<tr><th>Timing</th><td>{_e(timing['source'])}"
        + (" — <span class='warning'>every time is an estimate</span>" if timing["estimated"] else "")
        + "</td></tr>",
        f"<tr><th>Sentences</th><td>{counts['en_sentences']} English, {counts['zh_sentences']} Chinese, "
        f"{counts['pairs']} pairs</td></tr>",
        f"<tr><th>Pairs by kind</th><td>{_e(_tally(counts['pairs_by_kind']))}</td></tr>",
        f"<tr><th>Findings</th><td>{_e(_tally(counts['findings_by_kind']) or 'none')}</td></tr>",
        f"<tr><th>Set aside</th><td>{len(report['set_aside']['blocks'])} blocks, "
        f"{report['set_aside']['characters']} characters ({_e(_tally(report['set_aside']['by_reason']) or 'none')})"
        "</td></tr>",
        f"<tr><th>Speakers</th><td>{_e(_speakers(report.get('speakers') or {}))}</td></tr>",
        "</table>",
    ]
    out += [f"<p class='warning'>{_e(n)}</p>" for n in inp.get("notes", [])]
    if gate["trusted"]:
        out.append("<p class='gate good'>Alignment quality gate: passed.</p>")
    else:
        out.append("<div class='gate bad'><b>Alignment quality gate failed:</b><ul>")
        out += [f"<li>{_e(r)}</li>" for r in gate["reasons"]]
        out.append("</ul></div>")
    for r in timing["reasons"]:
        out.append(f"<p class='warning'>{_e(r)}</p>")
    out += _style_html(report.get("style") or {})
    out.append("<h2>Findings, most severe first</h2>")
    groups = report.get("finding_groups") or []
    if groups:
        out.append(
            f"<p>{len(report['findings'])} findings in {len(groups)} groups (repeats of one issue are one row).</p>"
            "<table><tr><th>severity</th><th>kind</th><th>places</th><th>English</th><th>Chinese</th></tr>"
        )
        for g in groups:
            first = g["places"][0]
            more = "".join(
                f"<br><small>{_e(pl['section'])}: {_e(pl['zh_text'][:80])}</small>" for pl in g["places"][1:20]
            )
            out.append(
                f"<tr><td class='{_e(g['severity'])}'>{_e(g['severity'])}</td><td>{_e(g['kind'])}<br>"
                f"<small>{_e(g['message'])}</small><br><small><i>{_e(g['check'])}</i></small></td>"
                f"<td class='num'>{g['count']}</td>"
                f"<td>{_e(first['en_text'])}</td><td>{_e(first['zh_text'])}{more}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>None.</p>")
    out += _set_aside_html(report["set_aside"]["blocks"])
    for sec in report["sections"]:
        out.append(f"<h2>Section {_e(sec['label'])}</h2>")
        out.append(
            f"<p>{len(sec['pairs'])} pairs; {len(sec['omissions'])} omissions; {len(sec['additions'])} additions; "
            f"{len(sec['low_similarity'])} low-similarity pairs.</p>"
        )
        out.append("<table><tr><th>time</th><th>kind</th><th>score</th><th>English</th><th>Chinese</th></tr>")
        low = {(tuple(r["en"]), tuple(r["zh"])) for r in sec["low_similarity"]}
        for r in sec["pairs"]:
            cls = "omission" if not r["zh"] else "addition" if not r["en"] else ""
            if (tuple(r["en"]), tuple(r["zh"])) in low:
                cls = "low"
            score = "" if r["score"] is None else f"{r['score']:.3f}"
            when = f"{_clock(r['start'])}{'~' if r['estimated'] else ''}"
            out.append(
                f"<tr class='{cls}'><td class='num'>{when}</td><td>{_e(r['kind'])}</td><td class='num'>{score}</td>"
                f"<td>{_e(r['en_text'])}</td><td>{_e(r['zh_text'])}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _style_html(style: dict[str, Any]) -> list[str]:
    if not style:
        return []
    out = [
        f"<h2>Subtitle style: profile {_e(style['profile'])}</h2>",
        "<table><tr><th>file</th><th>hard-limit violations</th><th>warnings</th><th>by rule</th></tr>",
    ]
    for name, f in style["files"].items():
        cls = "error" if f["errors"] else ""
        out.append(
            f"<tr><td>{_e(name)}</td><td class='num {cls}'>{f['errors']}</td><td class='num'>{f['warnings']}"
            f"</td><td>{_e(_tally(f['by_rule']) or 'none')}</td></tr>"
        )
    out.append("</table>")
    hard = [(name, v) for name, f in style["files"].items() for v in f["violations"]]
    if hard:
        out.append(
            "<table><tr><th>file</th><th>cue</th><th>time</th><th>rule</th><th>measured / limit</th><th>text</th></tr>"
        )
        for name, v in hard[:200]:
            out.append(
                f"<tr><td>{_e(name)}</td><td class='num'>{v['cue']}</td><td class='num'>{_clock(v['start'])}"
                f"</td><td class='error'>{_e(v['rule'])} {_e(v['lang'])}</td>"
                f"<td class='num'>{v['measured']} / {v['limit']}</td><td>{_e(v['detail'])}</td></tr>"
            )
        out.append("</table>")
    return out


def _set_aside_html(blocks: list[dict[str, Any]]) -> list[str]:
    if not blocks:
        return []
    out = [
        "<h2>Set aside (not subtitled)</h2>",
        "<table><tr><th>file</th><th>line</th><th>why</th><th>text</th></tr>",
    ]
    for b in blocks:
        text = b["text"] if len(b["text"]) <= 400 else b["text"][:400] + " …"
        out.append(
            f"<tr><td>{_e(b['source'])}</td><td class='num'>{b['line']}</td><td>{_e(b['reason'])}</td>"
            f"<td>{_e(text)}</td></tr>"
        )
    out.append("</table>")
    return out


def _speakers(speakers: dict[str, Any]) -> str:
    names = speakers.get("en") or []
    if not names:
        return "no speaker labels"
    shown = []
    for name in names:
        zh = speakers.get("zh_for", {}).get(name)
        shown.append(f"{name} ({zh})" if zh else name)
    return ", ".join(shown)


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in counts.items())


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
