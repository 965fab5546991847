"""The batch's state store: which episode is done, for which inputs and settings (SQLite under OUT).

An episode's key hashes the bytes of its text inputs (transcript, Chinese
file, captions), the size and modification time of its media (a video is
not read whole to decide whether to redo it), the run settings and the
subalign version.  An episode is recorded ``done`` only after all its files
are in place; a batch killed at any moment is resumed by running it again:
what is done with the same key is skipped, the rest is redone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import OutputError
from .catalogue import MEDIA_SUFFIXES, EpisodeSpec

STATE_DIR = ".subalign"


def episode_key(spec: EpisodeSpec, settings: dict[str, Any]) -> str:
    """What an episode's outputs depend on, as one hash."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"version": __version__, "settings": settings}, sort_keys=True).encode())
    for role, path in (("transcript", spec.transcript), ("zh", spec.zh), ("captions", spec.captions),
                       ("media", spec.media)):
        digest.update(role.encode())
        if path is None or not path.exists():
            digest.update(b"-")
        elif path.suffix.lower() in MEDIA_SUFFIXES:
            st = path.stat()
            digest.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
        else:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update((spec.duration or "").encode())
    return digest.hexdigest()


class StateStore:
    """Episodes' keys, status and summary rows, in ``OUT/.subalign/state.sqlite``."""

    def __init__(self, out_dir: Path) -> None:
        folder = out_dir / STATE_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(folder / "state.sqlite", timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS episodes (name TEXT PRIMARY KEY, key TEXT, status TEXT, "
                "row TEXT, updated REAL)"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot hold the batch state ({exc})", folder) from exc

    def done(self, name: str, key: str) -> dict[str, Any] | None:
        """The summary row of ``name`` if it is done with this key."""
        got = self._db.execute("SELECT key, status, row FROM episodes WHERE name=?", (name,)).fetchone()
        if got and got[0] == key and got[1] == "done":
            row: dict[str, Any] = json.loads(got[2])
            return row
        return None

    def record(self, name: str, key: str, status: str, row: dict[str, Any]) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO episodes VALUES (?, ?, ?, ?, ?)",
                (name, key, status, json.dumps(row, ensure_ascii=False), time.time()),
            )

    def close(self) -> None:
        self._db.close()
