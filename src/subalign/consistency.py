"""Consistency checks across the episode, as translation QA tools (Xbench, Verifika) run them, and a user glossary.

* A rendering found questionable for a name (``优趣科技`` for "Unitree") is
  reported at every place the Chinese uses it, as one group.
* A glossary (``--glossary FILE``: TSV or CSV with columns ``en``, ``zh``
  (accepted renderings separated by ``|``) and an optional ``note``) is
  checked on every pair: a line whose English uses the term (any case, any
  inflection: "robot", "Robots", "robot's"; never half a word) without an
  accepted rendering in its Chinese (the Latin term kept counts when it is
  listed) is an error.  An accepted rendering clears the entity findings of
  that name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace

from .errors import InputError
from .model import Alignment, Finding, Severity
from .textio import read_text


@dataclass(frozen=True)
class GlossaryEntry:
    """One term of a user glossary and the Chinese renderings accepted for it."""

    en: str
    zh: tuple[str, ...]
    note: str = ""

    def pattern(self) -> re.Pattern[str]:
        """The term as whole words, with English inflections ('s, s, es, ed, ing)."""
        words = [re.escape(w) for w in self.en.split()]
        body = r"[\s-]+".join(words)
        return re.compile(rf"(?<![A-Za-z0-9]){body}(?:'s|’s|s|es|ed|ing)?(?![A-Za-z0-9])", re.I)

    def rendered_in(self, zh: str) -> bool:
        low = zh.lower()
        for r in self.zh:
            if re.fullmatch(r"[A-Za-z0-9 .+\-]+", r):
                # A Latin rendering (the name kept): whole words only, "GPT" is not in "GPTs-like".
                if re.search(rf"(?<![A-Za-z0-9]){re.escape(r.lower())}(?![A-Za-z0-9])", low):
                    return True
            elif r in zh:
                return True
        return False


def read_glossary(path: object) -> list[GlossaryEntry]:
    """A glossary file: TSV or CSV (by content), header row with ``en`` and ``zh``, optional ``note``."""
    from pathlib import Path

    path = Path(str(path))
    text = read_text(path).text
    first = text.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first else "excel"
    rows = list(csv.DictReader(text.splitlines(), dialect=dialect))
    if not rows or not {"en", "zh"} <= {(k or "").strip().lower() for k in rows[0]}:
        raise InputError("is not a glossary: a header row with the columns en and zh (and optionally note)", path)
    out: list[GlossaryEntry] = []
    for n, row in enumerate(rows, 2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("en"):
            continue
        renderings = tuple(r.strip() for r in row.get("zh", "").split("|") if r.strip())
        if not renderings:
            raise InputError(f"line {n}: '{row['en']}' has no Chinese rendering", path)
        out.append(GlossaryEntry(row["en"], renderings, row.get("note", "")))
    if not out:
        raise InputError("holds no terms", path)
    return out


def every_place_of_flagged_renderings(alignment: Alignment, findings: list[Finding]) -> list[Finding]:
    """A finding at every pair that uses a rendering another finding questions, in the same group."""
    flagged = {(f.term, f.rendering): f for f in findings if f.term and f.rendering}
    out: list[Finding] = []
    for (term, rendering), first in flagged.items():
        reported = {(f.en, f.zh) for f in findings if f.group == first.group}
        for p in alignment.pairs:
            key = (tuple(s.index for s in p.en), tuple(s.index for s in p.zh))
            if rendering in p.zh_text and key not in reported:
                out.append(Finding.at(p, first.kind, first.severity,
                               f"'{rendering}' is used here too, the rendering of '{term}' to confirm",
                                      term=term, rendering=rendering, group=first.group))
                reported.add(key)
    return out


def check_glossary(alignment: Alignment, glossary: list[GlossaryEntry]) -> list[Finding]:
    """An error at each line whose English uses a glossary term that its Chinese does not render as accepted."""
    out: list[Finding] = []
    for entry in glossary:
        pattern = entry.pattern()
        for p in alignment.pairs:
            if not p.en or not p.zh or not pattern.search(p.en_text) or entry.rendered_in(p.zh_text):
                continue
            note = f" ({entry.note})" if entry.note else ""
            out.append(Finding.at(p, "glossary", Severity.ERROR,
                                  f"'{entry.en}' must be rendered as {' or '.join(entry.zh)}{note}: it is not, here",
                                  term=entry.en, group=f"glossary:{entry.en}"))
    return out


def cleared_by_glossary(findings: list[Finding], glossary: list[GlossaryEntry]) -> list[Finding]:
    """Entity findings about a glossary term whose line renders it as the glossary accepts are dropped."""
    out: list[Finding] = []
    for f in findings:
        if f.kind == "entity":
            quoted = {q.lower() for q in re.findall(r"'([^']+)'", f.message)}
            if any(e.en.lower() in quoted and e.rendered_in(f.zh_text) for e in glossary):
                continue
        out.append(f)
    return out


def with_groups(findings: list[Finding]) -> list[Finding]:
    """Findings with a group key: repeats of one message about one name share it."""
    out: list[Finding] = []
    for f in findings:
        if f.group:
            out.append(f)
            continue
        names = re.findall(r"'([^']+)'", f.message)
        group = f"{f.kind}:{names[0]}" if names else ""
        out.append(replace(f, group=group) if group else f)
    return out
