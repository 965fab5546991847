"""`subalign batch` with real components: the real model, real SQLite, real SIGKILL, a real local Ray."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from subalign.batch import BatchSettings, LocalExecutor, RayExecutor, run_batch
from subalign.batch.catalogue import read_catalogue

import inputs_gen as gen
from conftest import run_cli

pytestmark = pytest.mark.slow


def _episode(speech: gen.Speech, title: str) -> str:
    return f"## {title}\n\n### 01\n\n" + "\n\n".join(speech.en) + "\n\n" + "\n\n".join(speech.zh) + "\n"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A sample episode, its GBK copy, a two-file episode, an empty and an undecodable file."""
    speech = gen.first_section()
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "ep1.md").write_text(_episode(speech, "Episode one"), encoding="utf-8")
    (folder / "ep1-gbk.md").write_bytes(_episode(speech, "Episode one").encode("gb18030"))
    (folder / "ep2.en.txt").write_text(gen.rev_en(speech), encoding="utf-8")
    (folder / "ep2.zh.md").write_text(gen.llm_chat_zh(speech), encoding="utf-8")
    (folder / "empty.md").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def _settings(tmp_path: Path) -> BatchSettings:
    return BatchSettings(duration="5:00", cache_dir=tmp_path / "cache")


def test_folder_catalogue_by_naming_convention(catalogue: Path) -> None:
    specs = {s.name: s for s in read_catalogue(catalogue)}
    assert sorted(specs) == ["empty", "ep1", "ep1-gbk", "ep2", "garbage"]
    assert specs["ep2"].zh == catalogue / "ep2.zh.md"


def test_folder_caption_files_are_episodes_when_no_transcript_is_beside_them(tmp_path: Path) -> None:
    folder = tmp_path / "cat"
    folder.mkdir()
    for name in ("talk.en.srt", "talk.zh.vtt", "bilingual.srt", "ep.md", "ep.en.vtt", "ep.zh.srt", "solo.zh.srt"):
        (folder / name).write_text("", encoding="utf-8")
    specs = {s.name: s for s in read_catalogue(folder)}
    assert sorted(specs) == ["bilingual", "ep", "solo", "talk"]
    assert (specs["talk"].transcript, specs["talk"].zh) == (folder / "talk.en.srt", folder / "talk.zh.vtt")
    assert (specs["bilingual"].transcript, specs["bilingual"].zh) == (folder / "bilingual.srt", None)
    # Beside a transcript, the English track times it; the Chinese one is not a timing source.
    assert (specs["ep"].transcript, specs["ep"].captions) == (folder / "ep.md", folder / "ep.en.vtt")
    assert specs["solo"].transcript == folder / "solo.zh.srt"  # fails when read: Chinese lines only


def test_batch_isolates_failures_resumes_and_matches_single_runs(tmp_path: Path, catalogue: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(catalogue, out, _settings(tmp_path))
    rows = {r["name"]: r for r in result.rows}
    assert {n: r["status"] for n, r in rows.items()} == {
        "empty": "failed", "ep1": "done", "ep1-gbk": "done", "ep2": "done", "garbage": "failed",
    }
    assert "is empty" in rows["empty"]["error"] and "\n" not in rows["empty"]["error"]
    assert "binary data" in rows["garbage"]["error"] or "cannot be decoded" in rows["garbage"]["error"]
    assert int(result.exit_code) == 3
    summary = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))
    assert summary["counts"] == {"episodes": 5, "done": 3, "failed": 2, "quality_gate_failed": 0}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ep1/report.html" in index and "is empty" in index
    # Byte-identical to `subalign run` with the same settings.
    single = tmp_path / "single" / "ep2"
    done = run_cli("run", str(catalogue / "ep2.en.txt"), "--zh", str(catalogue / "ep2.zh.md"), "--duration", "5:00",
                   "-o", str(single), env={"SUBALIGN_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    for f in single.iterdir():
        assert (out / "ep2" / f.name).read_bytes() == f.read_bytes(), f.name
    # Run again: nothing is redone; change one input: only that episode is.
    stamp = (out / "ep1" / "report.json").stat().st_mtime_ns
    again = run_batch(catalogue, out, _settings(tmp_path))
    assert again.ran == 2 and again.skipped == 3  # the two failed ones are tried again
    (catalogue / "ep1-gbk.md").write_bytes(_episode(gen.first_section(), "Episode one, fixed").encode("gb18030"))
    third = run_batch(catalogue, out, _settings(tmp_path))
    assert third.skipped == 2 and {r["name"] for r in third.rows if not r.get("skipped")} == {
        "ep1-gbk", "empty", "garbage",
    }
    assert (out / "ep1" / "report.json").stat().st_mtime_ns == stamp


def test_manifest_with_a_missing_caption_file(tmp_path: Path, catalogue: Path) -> None:
    manifest = catalogue / "catalogue.csv"
    manifest.write_text(
        "transcript,zh,captions,media,duration\nep1.md,,,,5:00\nep2.en.txt,ep2.zh.md,missing.en.vtt,,\n",
        encoding="utf-8",
    )
    result = run_batch(manifest, tmp_path / "out", _settings(tmp_path))
    rows = {r["name"]: r for r in result.rows}
    assert rows["ep1"]["status"] == "done"
    assert rows["ep2"]["status"] == "failed" and "missing.en.vtt: no such file (caption file)" in rows["ep2"]["error"]


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize(("executor", "jobs"), [("local", 1), ("local", 2), ("ray", 2)])
def test_sigkill_then_resume_loses_and_redoes_nothing(
    tmp_path: Path, catalogue: Path, executor: str, jobs: int
) -> None:
    (catalogue / "empty.md").unlink()
    (catalogue / "garbage.txt").unlink()
    out = tmp_path / "out"
    env = {**os.environ, "SUBALIGN_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    args = [sys.executable, "-m", "subalign", "batch", str(catalogue), "-o", str(out), "--duration", "5:00"]
    args += ["--jobs", str(jobs), "--executor", executor]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = out / ".subalign" / "state.sqlite"
    deadline = time.time() + 300
    done_before: list[str] = []
    while time.time() < deadline and proc.poll() is None:
        if state.exists():
            try:
                with sqlite3.connect(state) as db:
                    done_before = [r[0] for r in db.execute("SELECT name FROM episodes WHERE status='done'")]
            except sqlite3.Error:
                done_before = []
            if done_before:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before it could be killed"
    workers = _children(proc.pid) if jobs > 1 else []
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The workers (a pool's processes, Ray's actors) die with the batch: none finishes an
    # episode nobody records, nothing is written after the kill.
    deadline = time.time() + 10
    while time.time() < deadline and any(_running(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _running(w)]
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".subalign" not in p.parts}
    time.sleep(6)  # longer than one of these episodes takes
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".subalign" not in p.parts} == written
    # No torn or temporary file among the outputs (staging is the batch's own folder).
    outputs = [p for p in out.rglob("*") if p.is_file() and ".subalign" not in p.parts]
    assert not [p for p in outputs if p.name.startswith(".") or p.suffix == ".tmp"]
    for p in outputs:
        if p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"))
    stamps = {p: p.stat().st_mtime_ns for p in (out / done_before[0]).iterdir()}
    done = subprocess.run([*args, "--json"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    rows = {r["name"]: r for r in json.loads(done.stdout)["episodes"]}
    assert rows[done_before[0]].get("skipped") is True
    assert all(r["status"] == "done" for r in rows.values()) and len(rows) == 3
    assert {p: p.stat().st_mtime_ns for p in (out / done_before[0]).iterdir()} == stamps
    assert not list((out / ".subalign" / "staging").iterdir())


def test_jobs_and_a_local_ray_give_the_same_bytes(tmp_path: Path, catalogue: Path) -> None:
    (catalogue / "empty.md").unlink()
    (catalogue / "garbage.txt").unlink()
    local = run_batch(catalogue, tmp_path / "local", _settings(tmp_path), LocalExecutor(jobs=2))
    ray_exec = RayExecutor(jobs=2)
    remote = run_batch(catalogue, tmp_path / "ray", _settings(tmp_path), ray_exec)
    assert ray_exec.startup_seconds is not None and ray_exec.startup_seconds > 0
    assert [r["status"] for r in local.rows] == [r["status"] for r in remote.rows] == ["done"] * 3
    for name in ("ep1", "ep1-gbk", "ep2"):
        for f in (tmp_path / "local" / name).iterdir():
            assert (tmp_path / "ray" / name / f.name).read_bytes() == f.read_bytes(), (name, f.name)
