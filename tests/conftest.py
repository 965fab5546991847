"""Shared fixtures.

The tests never read ../shared: the sample episode is the project's own copy
in samples/.  Real-model tests use the bundled USE model; the fake embedder
below is only for unit tests of code *around* the model.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "no-priors-ep80-karpathy.md"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the embedding cache of the test run out of the user's home."""
    old = os.environ.get("SUBALIGN_CACHE_DIR")
    os.environ["SUBALIGN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("SUBALIGN_CACHE_DIR", None)
    else:
        os.environ["SUBALIGN_CACHE_DIR"] = old


class TokenEmbedder:
    """Deterministic fake: a text's vector is the sum of vectors of the ids in it.

    An English sentence ``"... #17 ..."`` and a Chinese one ``"…#17…"`` get
    the same vector, so the aligner's behaviour around the model can be tested
    exactly.  Never used as evidence that alignment works on real text.
    """

    model_id = "fake-token-embedder"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0

    def _vec(self, token: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(self.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            ids = re.findall(r"#(\d+)", t) or [t]
            v = sum(self._vec(x) for x in ids)
            out[i] = v / np.linalg.norm(v)
        return out


@pytest.fixture
def fake_embedder() -> TokenEmbedder:
    return TokenEmbedder()


@pytest.fixture(scope="session")
def use_embedder():  # type: ignore[no-untyped-def]
    """The real default model (bundled USE multilingual v3), cached on disk."""
    from subalign.embed import make_embedder

    return make_embedder(None)


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("ffmpeg is required in CI (.ci/run installs it)")
        pytest.skip("ffmpeg not installed")
    return exe


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``subalign`` command (``python -m subalign``) and capture its output."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "subalign", *args], capture_output=True, text=True, env=full_env, check=False
    )


def make_video(ffmpeg: str, path: Path, seconds: float = 4, size: str = "640x360") -> Path:
    """A real encoded video with sound: VP9/Opus for .webm, H.264/AAC otherwise."""
    codecs = (
        ["-c:v", "libvpx-vp9", "-b:v", "200k", "-c:a", "libopus"]
        if path.suffix == ".webm"
        else ["-c:v", "libx264", "-c:a", "aac"]
    )
    subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=0x203040:s={size}:d={seconds}:r=24",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-t",
            str(seconds),
            *codecs,
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path
