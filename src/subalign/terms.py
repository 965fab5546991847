"""The episode's names, terms and numbers, with how the translation renders each and where.

What `subalign terms` prints: a table a translator can check and turn into a
glossary (``--tsv`` writes the glossary format `subalign.consistency`
reads).  A name is a run of Latin names and acronyms of the English
(`subalign.checks.entities`: "Eureka Labs", "CS231N"); its rendering in a
pair is the name kept in Latin letters, a Chinese name glossed with it
(``优趣科技（Unitree）``), a standard rendering (`subalign.glossary`), or a
glossary rendering; a name whose rendering the text does not show is
listed as ``?``.  Numbers are the values the number check reads on each side.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .checks import entities
from .consistency import GlossaryEntry
from .glossary import is_standard_rendering, rendered_in
from .model import AlignedPair, Alignment, Finding, Severity
from .numbers import chinese_numbers, codes, english_numbers, same_code

UNSEEN = "?"
_GLOSSED = re.compile(r"([\u4e00-\u9fff]{1,12})[（(]\s*([A-Za-z][A-Za-z0-9 .\-]{0,40}?)\s*[）)]")


def _last_words(run: str) -> str:
    """The words at the end of a Chinese run that a bracketed gloss names: "比如优趣科技" -> "优趣科技"."""
    import rjieba

    out = ""
    for w in reversed(list(rjieba.cut(run))):
        if len(out) >= 4 or len(out) + len(w) > 8 or (len(w) == 1 and len(out) >= 2):
            break  # a Chinese name of a brand or term: about four characters, no lone particle in front
        out = w + out
    return out or run


@dataclass
class TermRow:
    """One name or number: its renderings with counts, and the pairs it occurs in."""

    term: str
    kind: str
    renderings: Counter[str] = field(default_factory=Counter)
    places: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"term": self.term, "kind": self.kind, "count": len(self.places),
                "renderings": dict(self.renderings.most_common()), "places": self.places}


def names_in(text: str) -> list[str]:
    """The names of an English text, adjacent name words joined ("Eureka Labs")."""
    found = entities(text)
    out: list[str] = []
    pos = 0
    for name in found:
        at = text.find(name, pos)
        if at < 0:
            continue
        if out and text[pos:at] == " " and not out[-1].isupper() and not name.isupper():
            out[-1] = f"{out[-1]} {name}"
        else:
            out.append(name)
        pos = at + len(name)
    return list(dict.fromkeys(out))


def rendering_of(name: str, zh: str, glossary: list[GlossaryEntry]) -> str:
    """How ``zh`` renders ``name``: kept in Latin, a glossed Chinese name, a glossary or standard rendering."""
    for m in _GLOSSED.finditer(zh):
        if m.group(2).lower() == name.lower() or name.lower() in m.group(2).lower():
            return _last_words(m.group(1))
    low = zh.lower()
    if name.lower() in low:
        at = low.index(name.lower())
        return zh[at : at + len(name)]
    for entry in glossary:
        if entry.en.lower() == name.lower():
            for r in entry.zh:
                if r in zh:
                    return r
    parts = [p for p in name.split() if p.lower() in low]
    if parts:
        return " ".join(parts)
    if rendered_in(name, zh):
        return "(standard rendering)"
    return UNSEEN


def _place(p: AlignedPair) -> dict[str, Any]:
    return {"section": p.section, "en": [s.index for s in p.en], "zh": [s.index for s in p.zh],
            "en_text": p.en_text, "zh_text": p.zh_text}


def term_table(alignment: Alignment, glossary: list[GlossaryEntry] | None = None) -> list[TermRow]:
    """Names (most frequent first), then numbers, with their renderings and places."""
    glossary = glossary or []
    names: dict[str, TermRow] = {}
    numbers: dict[str, TermRow] = {}
    for p in alignment.pairs:
        if not p.en:
            continue
        for name in names_in(p.en_text):
            row = names.setdefault(name.lower(), TermRow(name, "name"))
            row.renderings[rendering_of(name, p.zh_text, glossary) if p.zh else "(untranslated)"] += 1
            row.places.append(_place(p))
        zh_codes = codes(p.zh_text)
        for code in codes(p.en_text):
            if code.lower() in names:
                continue  # already a name ("G1")
            original = next((m for m in re.findall(r"[A-Za-z0-9]+", p.en_text) if m.lower() == code), code)
            row = names.setdefault(code, TermRow(original, "name"))
            match = next((c for c in zh_codes if same_code(code, c)), None)
            shown = next((m for m in re.findall(r"[A-Za-z0-9]+", p.zh_text) if m.lower() == match), UNSEEN)
            row.renderings[shown] += 1
            row.places.append(_place(p))
        zh_values = chinese_numbers(p.zh_text)
        for value in english_numbers(p.en_text):
            key = f"{value:g}"
            row = numbers.setdefault(key, TermRow(key, "number"))
            row.renderings[key if value in zh_values else UNSEEN] += 1
            row.places.append(_place(p))
    ordered = sorted(names.values(), key=lambda r: (-len(r.places), r.term.lower()))
    return ordered + sorted(numbers.values(), key=lambda r: float(r.term))


def glossary_tsv(rows: list[TermRow]) -> str:
    """The names as a glossary file (en, zh, note): a translator edits it and passes it back with --glossary."""
    lines = ["en\tzh\tnote"]
    for r in rows:
        if r.kind != "name":
            continue
        seen = [x for x, _ in r.renderings.most_common() if x not in (UNSEEN, "(untranslated)",
                                                                      "(standard rendering)")]
        others = ", ".join(f"{x} ×{n}" for x, n in r.renderings.most_common())
        lines.append(f"{r.term}\t{'|'.join(seen) or r.term}\t{len(r.places)} places; renderings: {others}")
    return "\n".join(lines) + "\n"


def _is_chinese(rendering: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", rendering))


def inconsistent_renderings(alignment: Alignment, glossary: list[GlossaryEntry] | None = None) -> list[Finding]:
    """Findings for names rendered in several Chinese ways, and for one Chinese rendering of several names.

    As translation QA tools check consistency: each place of a name whose
    Chinese renderings differ (``优趣科技`` here, ``宇树科技`` there) is reported,
    one group per name; and each place where one Chinese rendering stands for
    different English names, one group per rendering.  Latin names kept as
    they are, and standard renderings (人工智能 for "AI"), are not renderings
    to compare.
    """
    glossary = glossary or []
    by_name: dict[str, dict[str, list[AlignedPair]]] = {}
    for p in alignment.pairs:
        if not p.en or not p.zh:
            continue
        for name in names_in(p.en_text):
            r = rendering_of(name, p.zh_text, glossary)
            if _is_chinese(r) and not is_standard_rendering(name, r):
                by_name.setdefault(name, {}).setdefault(r, []).append(p)
    out: list[Finding] = []
    for name, renderings in by_name.items():
        if len(renderings) > 1:
            shown = ", ".join(f"{r} ×{len(ps)}" for r, ps in renderings.items())
            for r, ps in renderings.items():
                out += [Finding.at(p, "entity", Severity.WARNING,
                                   f"'{name}' is rendered in {len(renderings)} ways ({shown}): use one",
                                   term=name, rendering=r, group=f"renderings:{name}") for p in ps]
    by_rendering: dict[str, dict[str, list[AlignedPair]]] = {}
    for name, renderings in by_name.items():
        for r, ps in renderings.items():
            by_rendering.setdefault(r, {})[name] = ps
    for r, names in by_rendering.items():
        if len({n.lower() for n in names}) > 1:
            listed = ", ".join(f"'{n}'" for n in names)
            for name, ps in names.items():
                out += [Finding.at(p, "entity", Severity.WARNING, f"'{r}' renders different names ({listed}): "
                                   "check which one it is here", term=name, rendering=r,
                                   group=f"one rendering:{r}") for p in ps]
    return out


_TITLE = re.compile(r"《([^《》]{1,40})》")
#: Lines that must carry a name's Chinese rendering before its absence elsewhere counts as dropped.
MIN_RENDERED_PLACES = 2


def _unglossed(zh: str) -> str:
    """Chinese without the Latin glosses in brackets after a Chinese name (宇树科技（Unitree）)."""
    return re.sub(r"[（(]\s*[A-Za-z][A-Za-z0-9 .\-]{0,40}?\s*[）)]", "", zh)


def dropped_names(
    alignment: Alignment, glossary: list[GlossaryEntry] | None = None, low_score: float | None = None
) -> list[Finding]:
    """Places where a name the translation renders in Chinese elsewhere is missing from a line it otherwise renders.

    A name always rendered in Chinese ("Unitree" -> 宇树科技, a film or book
    title -> 《…》) is consistent where it appears; where a line's Chinese
    has none of the episode's renderings of it (nor the name in Latin
    letters, nor a standard or glossary rendering), the name was dropped.
    A title's rendering is learnt where a line holds the one name without a
    rendering and the Chinese the one 《…》 title.  A rendering counts once
    at least `MIN_RENDERED_PLACES` lines carry it (one may be chance).  Lines that do not render
    their English as a whole (similarity below ``low_score``, the
    document's low pairs) are left to the similarity checks; names kept in
    Latin letters somewhere are the entity check's.
    """
    glossary = glossary or []
    seen: dict[str, list[tuple[AlignedPair, str]]] = {}
    for p in alignment.pairs:
        if not p.en or not p.zh:
            continue
        names = names_in(p.en_text)
        renderings = {n: rendering_of(n, p.zh_text, glossary) for n in names}
        unseen = [n for n, r in renderings.items() if r == UNSEEN]
        titles = _TITLE.findall(p.zh_text)
        if len(unseen) == 1 and len(titles) == 1:
            renderings[unseen[0]] = f"《{titles[0]}》"
        for n, r in renderings.items():
            seen.setdefault(n.lower(), []).append((p, r))
    all_chinese = "\n".join(p.zh_text for p in alignment.pairs).lower()
    out: list[Finding] = []
    for key, places in seen.items():
        chinese = Counter(r for _, r in places if _is_chinese(r))
        kept_in_latin = any(r != UNSEEN and not _is_chinese(r) for _, r in places)
        if not chinese or kept_in_latin or re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", _unglossed(all_chinese)):
            continue  # never rendered in Chinese, or kept in Latin somewhere: the entity check's case
        # Evidence: the lines that carry one of its renderings; a rendering seen once may be a coincidence.
        carried = [p for p, _ in places if any(x.strip("《》") in p.zh_text for x in chinese)]
        if len(carried) < MIN_RENDERED_PLACES:
            continue
        for p, r in places:
            if r != UNSEEN or any((x.strip("《》") in p.zh_text) for x in chinese):
                continue
            if low_score is not None and (p.score is None or p.score < low_score):
                continue
            name = next((n for n in names_in(p.en_text) if n.lower() == key), key)
            shown = ", ".join(f"{x} ×{c}" for x, c in chinese.most_common())
            out.append(
                Finding.at(
                    p,
                    "entity",
                    Severity.WARNING,
                    f"'{name}' is missing from the Chinese here; elsewhere it is rendered {shown}",
                    term=name,
                    group=f"dropped:{name.lower()}",
                )
            )
    return out
