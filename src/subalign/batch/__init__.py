"""A whole catalogue: resumable, kill-safe, one failure never stopping the rest.

`run_batch` reads the catalogue (:mod:`.catalogue`), skips every episode the
state store (:mod:`.state`) has done with the same inputs, settings and
version, runs the others on an executor (:mod:`.executors`: this process, a
pool of processes, or Ray), and writes ``OUT/catalogue.json`` and
``OUT/index.html`` (:mod:`.summary`).  Each episode's files go to
``OUT/NAME/``, the same files `subalign run -o OUT/NAME` writes; temporary
files go to ``OUT/.subalign/staging/`` and are renamed into place, so a
SIGKILL never leaves a torn or temporary file among the outputs (the next
run clears the staging folder).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExitCode, OutputError
from .catalogue import EpisodeSpec, read_catalogue
from .executors import Executor, LocalExecutor, RayExecutor
from .state import STATE_DIR, StateStore, episode_key
from .summary import write_summary
from .worker import BatchSettings

__all__ = ["BatchResult", "BatchSettings", "EpisodeSpec", "LocalExecutor", "RayExecutor", "run_batch"]

Progress = Callable[[str], None]


@dataclass
class BatchResult:
    """The rows of every episode (done now, done before, failed) and the batch's exit code."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    ran: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> ExitCode:
        if any(r["status"] == "failed" for r in self.rows):
            return ExitCode.INPUT
        if any(r["exit_code"] == ExitCode.QUALITY for r in self.rows):
            return ExitCode.QUALITY
        return ExitCode.OK


def _eta(done: int, total: int, started: float) -> str:
    if not done:
        return "ETA --:--"
    left = (time.perf_counter() - started) / done * (total - done)
    return f"ETA {int(left // 60)}:{int(left % 60):02d}"


def run_batch(
    catalogue: Path,
    out_dir: Path,
    settings: BatchSettings,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Run every episode of ``catalogue`` that is not done yet; write the summary."""
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    specs = read_catalogue(catalogue)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror or exc})", out_dir) from exc
    staging = out_dir / STATE_DIR / "staging"
    shutil.rmtree(staging, ignore_errors=True)  # what a killed run left half-written
    staging.mkdir(parents=True, exist_ok=True)
    state = StateStore(out_dir)
    fingerprint = settings.fingerprint()
    result = BatchResult()
    rows: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}
    todo: list[EpisodeSpec] = []
    for spec in specs:
        key = episode_key(spec, fingerprint)
        keys[spec.name] = key
        row = state.done(spec.name, key)
        if row is not None and all((out_dir / spec.name / f).exists() for f in ("report.json", "report.html")):
            rows[spec.name] = {**row, "skipped": True}
            result.skipped += 1
        else:
            todo.append(spec)
    executor = executor or LocalExecutor()
    total = len(todo)
    say(f"{result.skipped} of {len(specs)} episodes done before; running {total} ({executor.name})")
    try:
        for n, row in enumerate(executor.run(todo, out_dir, staging, settings), 1):
            state.record(row["name"], keys[row["name"]], row["status"], row)
            rows[row["name"]] = row
            result.ran += 1
            say(f"{n}/{total} episodes, {row['name']}: {row['status']}, {_eta(n, total, started)}")
    finally:
        result.rows = [rows[s.name] for s in specs if s.name in rows]
        result.seconds = time.perf_counter() - started
        write_summary(out_dir, result.rows, {"executor": executor.name, "settings": fingerprint,
                                             "seconds": round(result.seconds, 1)})
        state.close()
    return result
