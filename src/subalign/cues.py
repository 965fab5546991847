"""From timed pairs to subtitle cues.

One cue per pair that has English speech; both languages share the cue's
times.  A Chinese addition (no English) has no speech of its own: it joins
the cue of the next pair with English in the same section (so padding such as
"对方打趣说：" stays before the line it introduces), else the previous one.
It is also reported as an addition, so the reviewer sees it either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Cue, Sentence, TimedPair


def _neighbour_for(k: int, timed: Sequence[TimedPair]) -> tuple[int, bool] | None:
    """Index of the English-bearing pair an addition at ``k`` joins, and whether it comes after."""
    section = timed[k].pair.section
    for j in range(k + 1, len(timed)):
        if timed[j].pair.en and timed[j].pair.section == section:
            return j, True
    for j in range(k - 1, -1, -1):
        if timed[j].pair.en and timed[j].pair.section == section:
            return j, False
    for j in range(len(timed)):
        if timed[j].pair.en:
            return j, j > k
    return None


def build_cues(timed: Sequence[TimedPair]) -> list[Cue]:
    """Cues in time order; every sentence of every pair lands in exactly one cue."""
    before: dict[int, list[Sentence]] = {}
    after: dict[int, list[Sentence]] = {}
    for k, tp in enumerate(timed):
        if tp.pair.en:
            continue
        target = _neighbour_for(k, timed)
        if target is None:
            continue  # no English anywhere: nothing can be timed (the reader refuses such input)
        j, is_after = target
        (before if is_after else after).setdefault(j, []).extend(tp.pair.zh)
    cues: list[Cue] = []
    for k, tp in enumerate(timed):
        if not tp.pair.en:
            continue
        zh = before.get(k, []) + list(tp.pair.zh) + after.get(k, [])
        cues.append(
            Cue(
                index=len(cues) + 1,
                start=tp.start,
                end=max(tp.end, tp.start + 0.001),
                en=" ".join(s.text for s in tp.pair.en),
                zh="".join(s.text for s in zh),
                estimated=tp.estimated,
                en_ids=tuple(s.index for s in tp.pair.en),
                zh_ids=tuple(s.index for s in zh),
            )
        )
    return cues
