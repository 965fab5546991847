"""Scoring predicted alignments against gold, in the Vecalign/Bertalign convention.

Alignment files hold one bead a line, ``[src ids]:[tgt ids]`` with optional
trailing ``:score`` fields.  Metrics (counts pooled over documents):

* strict / lax precision over all predicted beads (null beads included; a
  null bead can only be a strict hit), recall over gold beads with null beads
  dropped on both sides -- the convention of Sennrich & Volk used by
  Vecalign's and Bertalign's scorers;
* exact-bead P/R/F1 with null beads kept;
* omission (source left unaligned) and insertion (target left unaligned)
  P/R/F1 over the sets of such sentences: the standard F1 never scores them;
* strict recall per gold bead type.
"""

from __future__ import annotations

import ast
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .textio import read_text

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]


def parse_bead(line: str) -> BeadIds:
    """``"[1, 2]:[3]:0.9"`` -> ``((1, 2), (3,))``."""
    fields = [f.strip() for f in line.split(":") if f.strip()]
    if len(fields) < 2:
        raise ValueError(f"a bead needs two ':'-separated fields: {line!r}")
    try:
        src = ast.literal_eval(fields[0])
        tgt = ast.literal_eval(fields[1])
    except (ValueError, SyntaxError) as exc:
        raise ValueError(f"cannot parse bead {line!r}") from exc
    src = [src] if isinstance(src, int) else src
    tgt = [tgt] if isinstance(tgt, int) else tgt
    if not isinstance(src, list | tuple) or not isinstance(tgt, list | tuple):
        raise ValueError(f"bead sides must be lists: {line!r}")
    return tuple(int(x) for x in src), tuple(int(x) for x in tgt)


def read_alignment(path: Path) -> list[BeadIds]:
    """Read an alignment file; a malformed line is an :class:`InputError`."""
    beads = []
    for no, raw in enumerate(read_text(path).text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            beads.append(parse_bead(line))
        except ValueError as exc:
            raise InputError(f"line {no}: {exc}", path) from exc
    return beads


def _as_set(beads: Sequence[BeadIds]) -> set[BeadIds]:
    return {(tuple(s), tuple(t)) for s, t in beads if s or t}


def _hits(reference: Sequence[BeadIds], candidate: Sequence[BeadIds]) -> tuple[int, int, int]:
    ref = _as_set(reference)
    links: dict[int, set[int]] = {}
    for s, t in ref:
        for x in s:
            links.setdefault(x, set()).update(t)
    strict = lax = 0
    cand = _as_set(candidate)
    for s, t in cand:
        if (s, t) in ref:
            strict += 1
            lax += 1
            continue
        linked: set[int] = set()
        for x in s:
            linked |= links.get(x, set())
        if linked.intersection(t):
            lax += 1
    return len(cand), strict, lax


def _non_null(beads: Sequence[BeadIds]) -> list[BeadIds]:
    return [(s, t) for s, t in beads if s and t]


def _null_side(beads: Sequence[BeadIds], side: int) -> set[int]:
    out: set[int] = set()
    for s, t in beads:
        if side == 0 and s and not t:
            out.update(s)
        if side == 1 and t and not s:
            out.update(t)
    return out


def _prf(hit_p: int, n_p: int, hit_r: int, n_r: int) -> tuple[float, float, float]:
    p = hit_p / n_p if n_p else 0.0
    r = hit_r / n_r if n_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass(frozen=True)
class Scores:
    """All metrics of one evaluation, as plain numbers."""

    values: dict[str, float]
    counts: dict[str, int]
    by_type: dict[str, tuple[int, int]]

    def __getitem__(self, key: str) -> float:
        return self.values[key]


def score(gold_docs: Sequence[Sequence[BeadIds]], test_docs: Sequence[Sequence[BeadIds]]) -> Scores:
    """Score predicted documents against gold documents (paired in order)."""
    if len(gold_docs) != len(test_docs):
        raise ValueError("need as many predicted documents as gold ones")
    c: Counter[str] = Counter()
    tot: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for gold, test in zip(gold_docs, test_docs, strict=True):
        n, s, lx = _hits(gold, test)
        c["p_n"] += n
        c["p_strict"] += s
        c["p_lax"] += lx
        n, s, lx = _hits(_non_null(test), _non_null(gold))
        c["r_n"] += n
        c["r_strict"] += s
        c["r_lax"] += lx
        gs, ts = _as_set(gold), _as_set(test)
        c["exact_hit"] += len(gs & ts)
        c["exact_gold"] += len(gs)
        c["exact_test"] += len(ts)
        for side, key in ((0, "omission"), (1, "insertion")):
            g, t = _null_side(gold, side), _null_side(test, side)
            c[key + "_hit"] += len(g & t)
            c[key + "_gold"] += len(g)
            c[key + "_test"] += len(t)
        for s_ids, t_ids in gs:
            kind = f"{len(s_ids)}-{len(t_ids)}"
            tot[kind] += 1
            hit[kind] += (s_ids, t_ids) in ts
    values: dict[str, float] = {}
    for kind in ("strict", "lax"):
        p, r, f = _prf(c["p_" + kind], c["p_n"], c["r_" + kind], c["r_n"])
        values.update({f"precision_{kind}": p, f"recall_{kind}": r, f"f1_{kind}": f})
    p, r, f = _prf(c["exact_hit"], c["exact_test"], c["exact_hit"], c["exact_gold"])
    values.update(precision_exact=p, recall_exact=r, f1_exact=f)
    for key in ("omission", "insertion"):
        p, r, f = _prf(c[key + "_hit"], c[key + "_test"], c[key + "_hit"], c[key + "_gold"])
        values.update({f"{key}_precision": p, f"{key}_recall": r, f"{key}_f1": f})
    by_type = {k: (hit[k], tot[k]) for k in sorted(tot, key=lambda k: (-tot[k], k))}
    return Scores(values, dict(c), by_type)


def merge_to_units(beads: Sequence[BeadIds], src_units: Sequence[str], tgt_units: Sequence[str]) -> list[BeadIds]:
    """Join consecutive beads whose sentences all lie in one unit (e.g. a verse).

    The Bible gold is verse-level; predictions are merged the same way before
    scoring, as Bertalign's Bible evaluation does.
    """
    out: list[BeadIds] = []
    prev_unit: str | None = None
    for s, t in beads:
        units = {src_units[i] for i in s} | {tgt_units[j] for j in t}
        unit = next(iter(units)) if len(units) == 1 else None
        if unit is not None and unit == prev_unit and out:
            ps, pt = out[-1]
            out[-1] = (tuple(sorted(ps + s)), tuple(sorted(pt + t)))
        else:
            out.append((tuple(s), tuple(t)))
        prev_unit = unit
    return out


def format_scores(res: Scores) -> str:
    """A table like the reference scorer's, plus per-type recall."""
    v = res.values
    c = res.counts
    rows = [
        "             Strict    Lax",
        f"Precision    {v['precision_strict']:.3f}    {v['precision_lax']:.3f}",
        f"Recall       {v['recall_strict']:.3f}    {v['recall_lax']:.3f}",
        f"F1           {v['f1_strict']:.3f}    {v['f1_lax']:.3f}",
        f"exact bead P/R/F1      {v['precision_exact']:.3f}/{v['recall_exact']:.3f}/{v['f1_exact']:.3f}",
        f"omission (1-0) P/R/F1  {v['omission_precision']:.3f}/{v['omission_recall']:.3f}/{v['omission_f1']:.3f}"
        f"  (gold {c['omission_gold']}, predicted {c['omission_test']})",
        f"insertion (0-1) P/R/F1 {v['insertion_precision']:.3f}/{v['insertion_recall']:.3f}/{v['insertion_f1']:.3f}"
        f"  (gold {c['insertion_gold']}, predicted {c['insertion_test']})",
        "strict recall by gold bead type:",
    ]
    for kind, (h, n) in res.by_type.items():
        rows.append(f"  {kind:<5} {h:>5}/{n:<5} {h / n if n else 0.0:.3f}")
    return "\n".join(rows)


# -- data sets ----------------------------------------------------------------------

_DOC = re.compile(r'<doc\s+docid="([^"]+)"[^>]*>(.*?)</doc>', re.S)
_SEG = re.compile(r'<seg\s+id="(\d+)"\s*>(.*?)</seg>', re.S)


@dataclass(frozen=True)
class Talk:
    """One TED talk: its English and Chinese segments, aligned 1-1 by id."""

    docid: str
    en: list[str]
    zh: list[str]


def _segments(xml: str) -> dict[str, dict[int, str]]:
    docs: dict[str, dict[int, str]] = {}
    for d in _DOC.finditer(xml):
        segs = {int(m.group(1)): html.unescape(" ".join(m.group(2).split())) for m in _SEG.finditer(d.group(2))}
        docs[d.group(1)] = segs
    return docs


def read_ted(en_xml: Path, zh_xml: Path) -> list[Talk]:
    """Talks of an IWSLT ``*.en-zh.en.xml`` / ``*.en-zh.zh.xml`` pair (runs of spaces collapsed)."""
    en_docs = _segments(read_text(en_xml).text)
    zh_docs = _segments(read_text(zh_xml).text)
    talks = []
    for docid, en in en_docs.items():
        zh = zh_docs.get(docid)
        if zh is None:
            raise InputError(f"talk {docid} is missing from {zh_xml.name}", en_xml)
        ids = sorted(set(en) & set(zh))
        talks.append(Talk(docid, [en[i] for i in ids], [zh[i] for i in ids]))
    return talks


def resegment(talk: Talk) -> tuple[list[str], list[str], list[BeadIds]]:
    """Each side split into sentences independently; gold bead per segment.

    Gold bead of segment N = all English sentences of N : all Chinese
    sentences of N (segments empty on one side become null beads).
    """
    from .segment import split_chinese, split_english

    en_s: list[str] = []
    zh_s: list[str] = []
    gold: list[BeadIds] = []
    for en, zh in zip(talk.en, talk.zh, strict=True):
        e = [en[a:b] for a, b in split_english(en)]
        z = [zh[a:b] for a, b in split_chinese(zh)]
        gold.append((tuple(range(len(en_s), len(en_s) + len(e))), tuple(range(len(zh_s), len(zh_s) + len(z)))))
        en_s += e
        zh_s += z
    return en_s, zh_s, [g for g in gold if g[0] or g[1]]


def load_bible(folder: Path) -> tuple[list[BeadIds], list[str], list[str]]:
    """Gold beads and verse ids of a Bertalign-style Bible folder (``gold/001.align``, ``en.verse``, ``zh.verse``)."""
    gold = read_alignment(folder / "gold" / "001.align")
    return gold, read_text(folder / "en.verse").text.split(), read_text(folder / "zh.verse").text.split()


def ted_talks(folder: Path) -> list[Talk]:
    """Every talk of an IWSLT en-zh folder (``*.en-zh.en.xml`` with their ``.zh.xml``)."""
    talks = []
    files = sorted(folder.glob("*.en-zh.en.xml"))
    if not files:
        raise InputError("holds no IWSLT *.en-zh.en.xml files", folder)
    for en_xml in files:
        talks.extend(read_ted(en_xml, en_xml.with_name(en_xml.name.replace(".en.xml", ".zh.xml"))))
    return talks


def export_ted(folder: Path, out: Path) -> int:
    """Write each talk resegmented: ``<docid>.en``/``.zh`` (a sentence a line) and ``<docid>.gold.align``.

    The copies are derived from CC BY-NC-ND material: for local evaluation, not for distribution.
    """
    out.mkdir(parents=True, exist_ok=True)
    talks = ted_talks(folder)
    for talk in talks:
        en, zh, gold = resegment(talk)
        (out / f"{talk.docid}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
        (out / f"{talk.docid}.zh").write_text("\n".join(zh) + "\n", encoding="utf-8")
        (out / f"{talk.docid}.gold.align").write_text(
            "".join(f"{list(s)}:{list(t)}\n" for s, t in gold), encoding="utf-8"
        )
    return len(talks)
