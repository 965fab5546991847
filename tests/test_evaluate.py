from __future__ import annotations

import json
from pathlib import Path

import pytest

from subalign.errors import InputError
from subalign.evaluate import merge_to_units, parse_bead, read_alignment, score

from conftest import DATA, run_cli

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3))]


def test_perfect_prediction() -> None:
    r = score([GOLD], [GOLD])
    assert r["f1_strict"] == r["f1_lax"] == r["f1_exact"] == 1.0
    assert r["omission_f1"] == 1.0


def test_split_bead_counts_as_in_the_convention() -> None:
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2, 3))]
    r = score([GOLD], [pred])
    # precision over 5 predicted beads: strict hits [0]:[0], [3]:[], [4]:[2,3]; lax adds [1]:[1]
    assert r["precision_strict"] == pytest.approx(3 / 5)
    assert r["precision_lax"] == pytest.approx(4 / 5)
    # recall over the 3 non-null gold beads
    assert r["recall_strict"] == pytest.approx(2 / 3)
    assert r["recall_lax"] == pytest.approx(1.0)
    # omissions: gold {3}, predicted {2, 3}
    assert r["omission_precision"] == pytest.approx(0.5)
    assert r["omission_recall"] == pytest.approx(1.0)
    assert r.by_type["2-1"] == (0, 1)
    assert r.by_type["1-1"] == (1, 1)


def test_shifted_prediction_scores_nothing() -> None:
    r = score([GOLD], [[((0,), (1,)), ((1, 2), (0,)), ((3, 4), (2, 3))]])
    assert r["precision_strict"] == 0.0 and r["recall_strict"] == 0.0


def test_counts_pool_over_documents() -> None:
    r = score([GOLD, [((0,), (0,))]], [GOLD, [((0,), ()), ((), (0,))]])
    assert r.counts["r_n"] == 4  # 3 + 1 non-null gold beads
    assert r["recall_strict"] == pytest.approx(3 / 4)


def test_parse_and_read(tmp_path: Path) -> None:
    assert parse_bead("[1, 2]:[]:0.0") == ((1, 2), ())
    assert parse_bead("[]:[7]") == ((), (7,))
    f = tmp_path / "a.align"
    f.write_text("# comment\n[0]:[0]:0.9\n\n[1,2]:[1]\n", encoding="utf-8")
    assert read_alignment(f) == [((0,), (0,)), ((1, 2), (1,))]
    f.write_text("[0]:[0]\nnonsense\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_alignment(f)


def test_merge_to_verses() -> None:
    src_units = ["v1", "v2", "v2", "v3"]
    tgt_units = ["v1", "v2", "v2", "v2", "v3"]
    pred = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]
    assert merge_to_units(pred, src_units, tgt_units) == [((0,), (0,)), ((1, 2), (1, 2, 3)), ((3,), (4,))]


def test_eval_command_on_a_bible_folder(tmp_path: Path) -> None:
    pred = tmp_path / "pred.align"
    pred.write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n[]:[3]\n", encoding="utf-8")
    done = run_cli("eval", "--bible", str(DATA / "bible"), "-t", str(pred), "--json")
    assert done.returncode == 0, done.stderr
    res = json.loads(done.stdout)
    # Merged to verses: [1]:[1] + [2]:[] -> [1, 2]:[1] and [3]:[2] + []:[3] -> [3]:[2, 3]: all exact.
    assert res["f1_strict"] == 1.0


def test_eval_command_exports_and_scores_ted(tmp_path: Path) -> None:
    out = tmp_path / "ted"
    done = run_cli("eval", "--ted", str(DATA / "ted"), "--export", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "7.en").read_text(encoding="utf-8").splitlines() == [
        "Hello there.",
        "It is good to see you.",
        "Robots & people work together.",
        "Thank you.",
    ]
    assert (out / "7.zh").read_text(encoding="utf-8").splitlines() == [
        "你好。",
        "很高兴见到你。",
        "机器人和人一起工作。",
        "谢谢。",
    ]
    assert (out / "7.gold.align").read_text(encoding="utf-8").splitlines() == ["[0, 1]:[0, 1]", "[2]:[2]", "[3]:[3]"]
    preds = tmp_path / "pred"
    preds.mkdir()
    (preds / "7.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n", encoding="utf-8")
    res = json.loads(run_cli("eval", "--ted", str(DATA / "ted"), "-t", str(preds), "--json").stdout)
    assert res["recall_lax"] == 1.0 and res["recall_strict"] == 2 / 3
