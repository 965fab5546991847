"""Where a batch's episodes run: here, in a pool of local processes, or on a Ray cluster.

Every executor takes the episodes to run and yields their summary rows as
they finish, in any order; the model is loaded once per worker process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Protocol

from ..errors import EnvironmentProblem
from .catalogue import EpisodeSpec
from .worker import BatchSettings, end_with_parent, init_process, run_in_process, run_one


class Executor(Protocol):
    name: str

    def run(
        self, specs: Sequence[EpisodeSpec], out_dir: Path, staging: Path, settings: BatchSettings
    ) -> Iterator[dict[str, Any]]:
        """Summary rows of ``specs``, as each finishes."""
        ...


class LocalExecutor:
    """``--jobs 1``: in this process; more: a pool of that many processes (spawned, one model each)."""

    name = "local"

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs

    def run(
        self, specs: Sequence[EpisodeSpec], out_dir: Path, staging: Path, settings: BatchSettings
    ) -> Iterator[dict[str, Any]]:
        if self.jobs <= 1 or len(specs) <= 1:
            embedder = settings.embedder()
            for spec in specs:
                yield run_one(spec, out_dir, staging, settings, embedder)
            return
        context = multiprocessing.get_context("spawn")
        workers = min(self.jobs, len(specs))
        # The workers end with this process, even when it is killed (`init_process`).
        parent = os.getpid()
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=init_process, initargs=(settings, parent)
        ) as pool:
            futures = [pool.submit(run_in_process, spec, out_dir, staging, settings, parent) for spec in specs]
            for future in as_completed(futures):
                yield future.result()


class RayExecutor:
    """A Ray cluster (``--ray-address``) or a local Ray started here; one actor per CPU slot, each with its model.

    Inputs and outputs must be reachable at the same paths from every node
    (a shared file system or a mounted bucket); see the README.
    """

    name = "ray"

    def __init__(self, jobs: int = 1, address: str | None = None, cpus_per_episode: int = 1) -> None:
        self.jobs = jobs
        self.address = address
        self.cpus = cpus_per_episode
        self.startup_seconds: float | None = None

    def run(
        self, specs: Sequence[EpisodeSpec], out_dir: Path, staging: Path, settings: BatchSettings
    ) -> Iterator[dict[str, Any]]:
        import time

        try:
            import ray
            from ray.util import ActorPool
        except ImportError as exc:
            raise EnvironmentProblem("needs Ray: pip install 'subalign[ray]'", "--executor ray") from exc
        started = time.perf_counter()
        owns = not ray.is_initialized()
        if owns:
            if self.address:
                ray.init(address=self.address, log_to_driver=False, include_dashboard=False)
            else:
                ray.init(num_cpus=max(1, self.jobs * self.cpus), log_to_driver=False, include_dashboard=False)

        @ray.remote(num_cpus=self.cpus)
        class EpisodeWorker:
            """Holds one embedder for every episode this actor runs."""

            def __init__(self, settings: BatchSettings) -> None:
                end_with_parent(os.getppid())
                self.settings = settings
                self.embedder = settings.embedder()

            def run(self, spec: EpisodeSpec, out_dir: str, staging: str) -> dict[str, Any]:
                return run_one(spec, Path(out_dir), Path(staging), self.settings, self.embedder)

        try:
            actors = [EpisodeWorker.remote(settings) for _ in range(max(1, min(self.jobs, len(specs))))]  # type: ignore[attr-defined]
            self.startup_seconds = time.perf_counter() - started
            pool = ActorPool(actors)
            yield from pool.map_unordered(lambda a, s: a.run.remote(s, str(out_dir), str(staging)), list(specs))
        finally:
            if owns:
                ray.shutdown()
