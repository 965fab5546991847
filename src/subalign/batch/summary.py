"""The catalogue summary: ``OUT/catalogue.json`` for machines, ``OUT/index.html`` for people."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..textio import write_text

SCHEMA_VERSION = 1


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render_index(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    done = sum(r["status"] == "done" for r in rows)
    failed = sum(r["status"] == "failed" for r in rows)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>subalign catalogue</title><style>'
        "body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
        ".failed{background:#fde2e2}.quality{background:#fff9c4}.num{text-align:right}</style></head><body>",
        f"<h1>Catalogue: {len(rows)} episodes, {done} done, {failed} failed</h1>",
        "<table><tr><th>episode</th><th>status</th><th>gate</th><th>timing</th><th>pairs</th>"
        "<th>untranslated EN</th><th>added ZH</th><th>findings</th><th>report</th></tr>",
    ]
    for r in rows:
        if r["status"] == "failed":
            out.append(
                f"<tr class='failed'><td>{_e(r['name'])}</td><td>failed (exit {r['exit_code']})</td>"
                f"<td colspan='7'>{_e(r['error'])}</td></tr>"
            )
            continue
        cls = "quality" if r["exit_code"] else ""
        gate = "trusted" if r["gate"]["trusted"] else "; ".join(r["gate"]["reasons"])
        findings = ", ".join(f"{k}: {v}" for k, v in r["findings_by_kind"].items())
        counts = r["counts"]
        out.append(
            f"<tr class='{cls}'><td>{_e(r['name'])}</td><td>{'done' + (' (before)' if r.get('skipped') else '')}"
            f"</td><td>{_e(gate)}</td><td>{_e(r['timing']['source'])}</td><td class='num'>{counts['pairs']}</td>"
            f"<td class='num'>{counts['omitted_en_sentences']}</td><td class='num'>{counts['added_zh_sentences']}"
            f"</td><td>{_e(findings)}</td><td><a href='{_e(r['report'])}'>report</a></td></tr>"
        )
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


def write_summary(out_dir: Path, rows: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "subalign", "version": __version__},
        **meta,
        "episodes": rows,
        "counts": {
            "episodes": len(rows),
            "done": sum(r["status"] == "done" for r in rows),
            "failed": sum(r["status"] == "failed" for r in rows),
            "quality_gate_failed": sum(r["status"] == "done" and r["exit_code"] == 1 for r in rows),
        },
    }
    write_text(out_dir / "catalogue.json", json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    write_text(out_dir / "index.html", render_index(rows, meta))
