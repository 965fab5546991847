#!/usr/bin/env python3
"""Carry the hand review's verdicts over to findings that the refinement pass only re-located.

A sentence the checks reported inside a merged pair (kind omission/addition,
the pair's other text beside it) is, after the refinement pass, a 1-0 or
0-1 pair of its own, reported with only its own text: the same sentence,
the same judgement, another key.  For each finding on the unperturbed
documents that has no verdict, this looks for a finding of the same kind on
the same sentence (its English for omissions, its Chinese for additions) in
the unrefined alignment's findings, and appends that verdict to the review
file, citing the old key.  Findings with no such predecessor stay
unreviewed (counted false).

    python benchmarks/review_carry.py [--ted] [--sample]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import quality  # noqa: E402

from subalign.checks import run_checks  # noqa: E402
from subalign.embed import make_embedder  # noqa: E402
from subalign.model import Severity  # noqa: E402


def carry(docs: list[quality.Doc], review_path: Path, embedder: object) -> int:
    review = quality.load_review(review_path)
    reasons = {}
    for line in review_path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            reasons[cells[0]] = cells[4] if len(cells) > 4 else ""
    added = []
    for d in docs:
        _, findings = quality.align_and_check(d, d.zh, d.zh_par, embedder)  # type: ignore[arg-type]
        new = [f for f in findings if f.severity is not Severity.INFO and quality.finding_key(d.name, f) not in review]
        if not new:
            continue
        # The same document without the pass: the findings the review judged.
        from subalign.align import align_texts, align_transcript
        from subalign.model import Lang, Sentence

        if d.section is None:
            beads = align_texts(d.en, d.zh, embedder, src_chinese=False, tgt_chinese=True)  # type: ignore[arg-type]
            plain = quality._pairs(beads, d.en, d.zh)
        else:
            def sents(lang: Lang, texts: list[str], par: list[int], name: str = d.name) -> list[Sentence]:
                pairs = enumerate(zip(texts, par, strict=True))
                return [Sentence(lang, i, t, name, p, 0, len(t)) for i, (t, p) in pairs]

            plain = align_transcript([(d.section, sents(Lang.EN, d.en, d.en_par), sents(Lang.ZH, d.zh, d.zh_par))],
                                     embedder)  # type: ignore[arg-type]
        old = run_checks(plain, embedder=embedder)  # type: ignore[arg-type]
        for f in new:
            text = f.en_text if f.kind == "omission" else f.zh_text
            match = next((o for o in old if o.kind == f.kind and text and text in (o.en_text + "\n" + o.zh_text)
                          and quality.finding_key(d.name, o) in review), None)
            if match is not None:
                key = quality.finding_key(d.name, match)
                added.append(f"{quality.finding_key(d.name, f)}\t{d.name}\t{f.kind}\t{review[key]}\t"
                             f"same sentence as {key} (its pair split by the refinement pass): {reasons.get(key, '')}")
    if added:
        with review_path.open("a", encoding="utf-8") as out:
            out.write("\n".join(added) + "\n")
    return len(added)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ted", action="store_true")
    ap.add_argument("--sample", action="store_true")
    args = ap.parse_args()
    embedder = make_embedder(None)
    if args.ted:
        docs = quality.ted_docs(ROOT.parent / "shared")[0]
        print("TED:", carry(docs, quality.REVIEW, embedder), "verdicts carried")
    if args.sample:
        print("sample:", carry(quality.sample_docs(embedder), quality.SAMPLE_REVIEW, embedder), "verdicts carried")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
