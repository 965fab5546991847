"""One episode of a batch, run where the executor puts it (this process, a pool worker, a Ray actor).

`run_one` never raises: whatever goes wrong with the episode becomes its
summary row (status ``failed``, the one-line error, the exit code), so one
bad file cannot stop the others.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..embed import Embedder, make_embedder
from ..errors import ExitCode, SubalignError
from ..style import StyleProfile
from ..writers import Look
from .catalogue import EpisodeSpec

INTERNAL_ERROR = 70


@dataclass(frozen=True)
class BatchSettings:
    """What every episode of a batch is run with (what `subalign run` takes besides the files)."""

    model: str | None = None
    threads: int = 1
    cache: bool = True
    cache_dir: Path | None = None
    timing: str = "auto"
    #: Length of episodes that have no duration of their own, no captions and no media (``--duration``).
    duration: str | None = None
    zh_on_top: bool = True
    strict: bool = False
    profile: StyleProfile = field(default_factory=StyleProfile)
    look: Look = field(default_factory=Look)

    def fingerprint(self) -> dict[str, Any]:
        """The settings that change an episode's outputs or its exit code (the state store's key)."""
        return {
            "model": self.model or "default",
            "timing": self.timing,
            "duration": self.duration,
            "zh_on_top": self.zh_on_top,
            "strict": self.strict,
            "profile": dataclasses.asdict(self.profile),
            "look": dataclasses.asdict(self.look),
        }

    def embedder(self) -> Embedder:
        return make_embedder(self.model, threads=self.threads, cache=self.cache, cache_dir=self.cache_dir)


def _failed(spec: EpisodeSpec, error: str, code: int) -> dict[str, Any]:
    return {"name": spec.name, "status": "failed", "exit_code": code, "error": error,
            "transcript": str(spec.transcript) if spec.transcript else None}


def run_one(
    spec: EpisodeSpec, out_dir: Path, staging: Path, settings: BatchSettings, embedder: Embedder
) -> dict[str, Any]:
    """Run one episode into ``out_dir / spec.name``; its summary row, success or failure."""
    from ..media import parse_duration
    from ..pipeline import RunOptions, assess, run_episode

    if spec.error:
        return _failed(spec, spec.error, int(ExitCode.INPUT))
    assert spec.transcript is not None
    duration = spec.duration or (settings.duration if spec.captions is None and spec.media is None else None)
    try:
        seconds = parse_duration(duration) if duration else None
    except ValueError as exc:
        return _failed(spec, f"{spec.transcript}: duration {duration!r}: {exc}", int(ExitCode.INPUT))
    options = RunOptions(
        transcript=spec.transcript,
        out_dir=out_dir / spec.name,
        zh_file=spec.zh,
        media=spec.media,
        duration=seconds if spec.media is None else None,
        captions=spec.captions,
        timing=settings.timing,
        zh_on_top=settings.zh_on_top,
        profile=settings.profile,
        look=settings.look,
        staging=staging,
    )
    try:
        result = run_episode(options, embedder)
    except SubalignError as exc:
        return _failed(spec, str(exc), int(exc.exit_code))
    except Exception as exc:  # a bug: it must not stop the catalogue; the row says what happened
        return _failed(spec, f"internal error: {type(exc).__name__}: {exc}", INTERNAL_ERROR)
    rep = result.report
    code, warnings = assess(rep, settings.strict)
    return {
        "name": spec.name,
        "status": "done",
        "exit_code": int(code),
        "error": None,
        "warnings": warnings,
        "transcript": str(spec.transcript),
        "gate": rep["gate"],
        "timing": {k: rep["timing"][k] for k in ("source", "estimated", "sources")},
        "counts": {k: rep["counts"][k] for k in ("en_sentences", "zh_sentences", "pairs", "omitted_en_sentences",
                                                 "added_zh_sentences")},
        "findings_by_kind": rep["counts"]["findings_by_kind"],
        "hard_violations": rep["style"]["hard_violations"],
        "set_aside": rep["set_aside"]["by_reason"],
        "report": f"{spec.name}/report.html",
    }


# The embedder of this worker process: loaded once, used for every episode the process runs.
_PROCESS_EMBEDDER: list[Embedder] = []


def init_process(settings: BatchSettings, parent: int | None = None) -> None:
    """Pool initializer: end with the batch's process (``parent``), then load the model once for this process."""
    if parent is not None:
        end_with_parent(parent)
    _PROCESS_EMBEDDER[:] = [settings.embedder()]


def end_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when its parent process dies, SIGKILL included (Linux).

    The parent is the batch's process for a pool worker, the node's Ray
    raylet for a Ray actor (a local Ray's raylet ends with the batch that
    started it).  Without it a killed batch leaves its workers running:
    they finish the episodes they hold, unrecorded, while the re-run does
    them again.  Elsewhere a pool worker only notices at its next episode
    (`run_in_process`).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the batch died before the request was made
        os._exit(1)


def run_in_process(
    spec: EpisodeSpec, out_dir: Path, staging: Path, settings: BatchSettings, parent: int | None = None
) -> dict[str, Any]:
    """`run_one` with this process's embedder (see `init_process`)."""
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the batch is gone: nobody would record this episode
    if not _PROCESS_EMBEDDER:
        init_process(settings)
    return run_one(spec, out_dir, staging, settings, _PROCESS_EMBEDDER[0])
