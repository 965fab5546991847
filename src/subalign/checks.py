"""Translation checks on aligned pairs, and the quality gate.

Each check is a pure function from the alignment to a list of
:class:`~subalign.model.Finding`.  Thresholds are named in
:class:`CheckThresholds`; similarity thresholds are never one cosine for all
models -- they are derived from the distribution of the document's own pair
scores (robust z-score against the median and MAD), because models differ
widely in where their cosines sit (e5: 0.82-0.87, USE: 0.2-0.9).

:func:`alignment_gate` returns the reasons not to trust an alignment, as
ffsubsync's quality gate does: an empty list means trust.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .model import AlignedPair, Alignment, Finding, Severity


@dataclass(frozen=True)
class CheckThresholds:
    """Every limit the checks and the gate use, in one place.

    ``low_similarity_z``: a 1-1 or m:n pair whose score lies this many robust
    standard deviations below the document's median is reported.
    ``gate_max_unaligned_share``: more than this share of sentences (either
    language) left unaligned means the alignment itself is suspect.
    ``gate_min_median_margin``: the document's median pair score must exceed
    its 10th percentile of scores by this much, else the model cannot tell
    translations from non-translations in this document.
    """

    low_similarity_z: float = 2.5
    gate_max_unaligned_share: float = 0.2
    gate_min_median_margin: float = 0.05
    min_pairs_for_calibration: int = 8


def _robust_stats(scores: Sequence[float]) -> tuple[float, float]:
    median = statistics.median(scores)
    mad = statistics.median(abs(s - median) for s in scores)
    return median, max(1.4826 * mad, 1e-6)


def _finding(p: AlignedPair, kind: str, severity: Severity, message: str, **measured: float) -> Finding:
    """A finding located at pair ``p``, with both texts for the reviewer."""
    return Finding(
        kind=kind,
        severity=severity,
        message=message,
        section=p.section,
        en=tuple(s.index for s in p.en),
        zh=tuple(s.index for s in p.zh),
        en_text=p.en_text,
        zh_text=p.zh_text,
        value=measured.get("value"),
        threshold=measured.get("threshold"),
    )


def check_omissions(alignment: Alignment) -> list[Finding]:
    """English sentences with no Chinese rendering."""
    return [_finding(p, "omission", Severity.WARNING, "English left untranslated") for p in alignment.omissions]


def check_additions(alignment: Alignment) -> list[Finding]:
    """Chinese sentences that render no English sentence."""
    return [_finding(p, "addition", Severity.INFO, "Chinese with no English source") for p in alignment.additions]


def check_low_similarity(alignment: Alignment, thresholds: CheckThresholds | None = None) -> list[Finding]:
    """Pairs whose similarity is an outlier low for this document and model."""
    th = thresholds or CheckThresholds()
    scored = [p for p in alignment.pairs if p.en and p.zh and p.score is not None]
    if len(scored) < th.min_pairs_for_calibration:
        return []
    median, sigma = _robust_stats([p.score for p in scored if p.score is not None])
    limit = median - th.low_similarity_z * sigma
    out = []
    for p in scored:
        assert p.score is not None
        if p.score < limit:
            message = f"meaning may differ: similarity {p.score:.3f} is far below this document's median {median:.3f}"
            out.append(
                _finding(
                    p, "low_similarity", Severity.WARNING, message, value=round(p.score, 4), threshold=round(limit, 4)
                )
            )
    return out


def run_checks(alignment: Alignment, thresholds: CheckThresholds | None = None) -> list[Finding]:
    """All checks, findings ranked by severity then position."""
    findings = check_omissions(alignment) + check_additions(alignment) + check_low_similarity(alignment, thresholds)
    return sorted(findings, key=lambda f: (f.severity.rank, f.section, f.en[:1] or f.zh[:1]))


def alignment_gate(alignment: Alignment, thresholds: CheckThresholds | None = None) -> list[str]:
    """Reasons not to trust this alignment as a whole (empty: trust it)."""
    th = thresholds or CheckThresholds()
    reasons = []
    n_en = sum(len(p.en) for p in alignment.pairs)
    n_zh = sum(len(p.zh) for p in alignment.pairs)
    om = sum(len(p.en) for p in alignment.omissions)
    add = sum(len(p.zh) for p in alignment.additions)
    if n_en and om / n_en > th.gate_max_unaligned_share:
        reasons.append(
            f"{om} of {n_en} English sentences ({om / n_en:.0%}) have no Chinese "
            f"(limit {th.gate_max_unaligned_share:.0%}): is this the right translation?"
        )
    if n_zh and add / n_zh > th.gate_max_unaligned_share:
        reasons.append(
            f"{add} of {n_zh} Chinese sentences ({add / n_zh:.0%}) have no English "
            f"(limit {th.gate_max_unaligned_share:.0%}): is this the right translation?"
        )
    scores = sorted(p.score for p in alignment.pairs if p.en and p.zh and p.score is not None)
    if len(scores) >= th.min_pairs_for_calibration:
        median = statistics.median(scores)
        p10 = scores[len(scores) // 10]
        if median - p10 < th.gate_min_median_margin:
            reasons.append(
                f"pair similarities are flat (median {median:.3f}, 10th percentile {p10:.3f}): "
                "the model cannot separate translations here"
            )
    return reasons
