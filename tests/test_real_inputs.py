"""End to end on episodes laid out as people publish them, with the real default model.

What must hold on any such input: no Markdown and no speaker label on
screen; material that is not translation listed in the report and absent
from the subtitles; no English word lost from the subtitles and no Chinese
character lost from subtitles plus report; no hard-limit violation; a cue
never mixes two speakers.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pysrt
import pytest

from subalign.segment import split_english

import inputs_gen as gen
from captions_gen import auto_vtt, json3, manual_srt, speak, srv3
from conftest import run_cli

pytestmark = pytest.mark.slow

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _run(tmp_path: Path, en: Path, zh: Path | None, *extra: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path / "out"
    args = ["run", str(en), *(["--zh", str(zh)] if zh else []), "-o", str(out), "--json", *extra]
    done = run_cli(*args)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return out, json.loads((out / "report.json").read_text(encoding="utf-8"))


def _track(out: Path, suffix: str) -> list[pysrt.SubRipItem]:
    (f,) = out.glob(f"*.{suffix}.srt")
    return list(pysrt.open(str(f), encoding="utf-8"))


def _assert_holds(out: Path, report: dict, en_speech: list[str], zh_file: Path) -> None:  # type: ignore[type-arg]
    en_cues, zh_cues = _track(out, "en"), _track(out, "zh-Hans")
    shown = "\n".join(c.text for c in [*en_cues, *zh_cues])
    assert "**" not in shown and "](" not in shown and "![" not in shown and "```" not in shown
    for name in gen.SPEAKERS + list(gen.ZH_NAMES.values()):
        assert not re.search(rf"(^|\n){name}\s*[:：]", shown), name
    # No English word lost: the English track holds the speech's words, in order.
    words = [w for t in en_speech for w in t.split()]
    assert " ".join(c.text.replace("\n", " ") for c in en_cues).split() == words
    # No Chinese character lost: subtitles plus what the report set aside hold the whole file.
    kept = Counter(_HAN.findall("".join(c.text for c in zh_cues)))
    aside = Counter(_HAN.findall("".join(b["text"] for b in report["set_aside"]["blocks"])))
    # Speaker labels are who speaks, reported as speakers, not text to subtitle.
    source = re.sub(r"\*\*[^*\n]{1,10}：\*\*|\[[^\]\n]{1,10}\]", "", zh_file.read_text(encoding="utf-8"))
    missing = Counter(_HAN.findall(source)) - kept - aside
    assert not missing, missing
    assert report["style"]["hard_violations"] == 0


def _no_cue_mixes_speakers(out: Path, turns: list[str], speakers: list[str]) -> None:
    """No English cue holds the end of one speaker's turn and the start of another's."""
    texts = [c.text.replace("\n", " ") for c in _track(out, "en")]
    for k in range(len(turns) - 1):
        if speakers[k] == speakers[k + 1]:
            continue
        tail, head = " ".join(turns[k].split()[-2:]), " ".join(turns[k + 1].split()[:2])
        assert not any(tail in t and head in t and t.index(tail) < t.index(head) for t in texts), (tail, head)


def test_llm_chat_rendering_with_a_rev_transcript(tmp_path: Path) -> None:
    speech = gen.first_section()
    en = tmp_path / "ep.en.txt"
    zh = tmp_path / "ep.zh.md"
    en.write_text(gen.rev_en(speech), encoding="utf-8")
    zh.write_text(gen.llm_chat_zh(speech), encoding="utf-8")
    out, report = _run(tmp_path, en, zh, "--duration", "3:00")
    _assert_holds(out, report, speech.en, zh)
    _no_cue_mixes_speakers(out, speech.en, gen.SPEAKERS)
    zh_shown = "".join(c.text for c in _track(out, "zh-Hans"))
    for preamble in ("好的，根据您提供的", "希望这份翻译对您有所帮助", "本期节目中，主持人与嘉宾", "开场介绍"):
        assert preamble not in zh_shown
        assert any(preamble in b["text"] for b in report["set_aside"]["blocks"])
    assert report["speakers"]["zh_for"] == {"Sarah": "莎拉", "Andrej": "安德烈", "Elad": "埃拉德"}
    # The Rev labels' times anchor the estimate.
    assert "transcript timestamps" in report["timing"]["sources"]


def test_notion_page_with_a_descript_transcript(tmp_path: Path) -> None:
    speech = gen.first_section()
    en = tmp_path / "ep.en.txt"
    zh = tmp_path / "ep.zh.md"
    en.write_text(gen.descript_en(speech), encoding="utf-8")
    zh.write_text(gen.notion_zh(speech), encoding="utf-8")
    out, report = _run(tmp_path, en, zh)  # no duration: the timestamps are enough
    _assert_holds(out, report, speech.en, zh)
    zh_shown = "".join(c.text for c in _track(out, "zh-Hans"))
    assert "来源" not in zh_shown and "译者注" not in zh_shown and "Tesla and Waymo" not in zh_shown


def test_youtube_transcript_copy_with_an_llm_rendering(tmp_path: Path) -> None:
    """An unpunctuated auto-caption copy (a time line before each snippet) against a chat-organised translation."""
    speech = gen.first_section()
    copy, _ = gen.youtube_copy_en(speech)
    en = tmp_path / "ep.en.txt"
    zh = tmp_path / "ep.zh.md"
    en.write_text(copy, encoding="utf-8")
    zh.write_text(gen.llm_chat_zh(speech), encoding="utf-8")
    out, report = _run(tmp_path, en, zh)  # the copy's times are enough: no duration
    snippets = [ln for ln in copy.splitlines() if ln and not re.fullmatch(r"[\d:]+", ln)]
    _assert_holds(out, report, snippets, zh)
    zh_shown = "".join(c.text for c in _track(out, "zh-Hans"))
    for outline_item in ("软件问题与硬件问题", "端到端神经网络", "好的，根据您提供的"):
        assert outline_item not in zh_shown
    assert set(report["timing"]["sources"]) == {"transcript timestamps"}


def test_interleaved_file_with_bracket_labels_and_dialogue_dashes(tmp_path: Path) -> None:
    speech = gen.first_section()
    ep = tmp_path / "ep.md"
    ep.write_text(gen.interleaved_brackets(speech), encoding="utf-8")
    profile = tmp_path / "dash.toml"
    profile.write_text('base = "netflix"\ndialogue = "dash"\n', encoding="utf-8")
    out, report = _run(tmp_path, ep, None, "--duration", "3:00", "--profile", str(profile))
    en_cues = _track(out, "en")
    # Two short turns share a cue, one line each, opened by a hyphen.
    assert any(c.text.count("\n") == 1 and all(ln.startswith("-") for ln in c.text.split("\n")) for c in en_cues)
    assert report["style"]["hard_violations"] == 0
    assert " ".join(c.text.replace("\n", " ").replace("-", "") for c in en_cues).split() == [
        w.replace("-", "") for t in speech.en for w in t.split()
    ]
    assert report["speakers"]["zh_for"]["Andrej"] == "安德烈"


def _caption_file(tmp_path: Path, kind: str, words: list[tuple[str, float, float]], ffmpeg: str) -> Path:
    if kind == "json3":
        f = tmp_path / "ep.en.json3"
        f.write_text(json3(words), encoding="utf-8")
        return f
    if kind == "srv3":
        f = tmp_path / "ep.en.srv3"
        f.write_text(srv3(words), encoding="utf-8")
        return f
    vtt = tmp_path / "ep.en.vtt"
    vtt.write_text(auto_vtt(words), encoding="utf-8")
    if kind == "vtt":
        return vtt
    # yt-dlp --convert-subs srt is ffmpeg's conversion of YouTube's rolling VTT: make it the same way.
    srt = tmp_path / "ep.en.srt"
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(vtt), str(srt)], check=True)
    raw = srt.read_bytes()
    assert re.search(rb"-->[^\n]*\n\r?\n[a-z]", raw) and b"\r" in raw  # the quirks are really there
    return srt


# Without word times (yt-dlp's SRT), a word's place inside its caption line is estimated by length.
@pytest.mark.parametrize(("kind", "tolerance"), [("srt", 1.0), ("vtt", 0.5), ("json3", 0.5), ("srv3", 0.5)])
def test_youtube_caption_tracks_time_the_cues(tmp_path: Path, ffmpeg: str, kind: str, tolerance: float) -> None:
    speech = gen.first_section()
    words, starts = speak(speech.en, seed=3, intro=5.0)
    captions = _caption_file(tmp_path, kind, words, ffmpeg)
    en, zh = tmp_path / "ep.en.txt", tmp_path / "ep.zh.md"
    en.write_text("\n\n".join(speech.en), encoding="utf-8")
    zh.write_text(gen.llm_chat_zh(speech), encoding="utf-8")
    out, report = _run(tmp_path, en, zh, "--captions", str(captions))
    assert report["timing"]["captions"]["format"] == ("srv" if kind == "srv3" else kind)
    assert report["timing"]["sources"] == {"captions": len(report["sections"][0]["pairs"])}
    _assert_holds(out, report, speech.en, zh)
    # Each paragraph's first cue starts where its speech does.
    cues = _track(out, "en")
    # And every cue, also those that start inside a sentence, starts at its first word (p95).
    position, errors = 0, []
    for c in cues:
        errors.append(abs(c.start.ordinal / 1000 - words[position][1]))
        position += len(c.text.split())
    assert position == len(words)
    errors.sort()
    assert errors[int(0.95 * (len(errors) - 1))] < tolerance, errors[-10:]
    for text, start in zip(speech.en, starts, strict=True):
        first = " ".join(text.split()[:4])
        cue = next(c for c in cues if c.text.replace("\n", " ").startswith(first))
        assert abs(cue.start.ordinal / 1000 - start) < tolerance, (first, cue.start, start)


def test_zh_start_forces_where_the_translation_starts(tmp_path: Path) -> None:
    """When detection fails, --zh-start LINE sets aside everything before that line of the Chinese file."""
    speech = gen.first_section()
    en, zh = tmp_path / "ep.en.txt", tmp_path / "ep.zh.md"
    en.write_text("\n\n".join(speech.en), encoding="utf-8")
    zh.write_text("一段不像译文的开场白，作者的话。\n\n另一段说明。\n\n" + "\n\n".join(speech.zh), encoding="utf-8")
    out, report = _run(tmp_path, en, zh, "--duration", "3:00", "--zh-start", "5")
    blocks = [b for b in report["set_aside"]["blocks"] if b["reason"].startswith("before line 5")]
    assert [b["line"] for b in blocks] == [1, 3]
    assert "作者的话" not in "".join(c.text for c in _track(out, "zh-Hans"))


def test_chapter_list_file_anchors_the_estimate(tmp_path: Path) -> None:
    speech = gen.first_section()
    en, zh = tmp_path / "ep.en.md", tmp_path / "ep.zh.md"
    parts = []
    for k, text in enumerate(speech.en):
        if k in (0, 5):
            parts.append("## Welcome" if k == 0 else "## Regulation or technology")
        parts.append(text)
    en.write_text("\n\n".join(parts), encoding="utf-8")
    zh.write_text("\n\n".join(speech.zh), encoding="utf-8")
    chapters = tmp_path / "chapters.txt"
    chapters.write_text("0:00 Welcome\n2:30 Regulation or technology\n", encoding="utf-8")
    _, report = _run(tmp_path, en, zh, "--duration", "6:00", "--chapters", str(chapters))
    assert [c["start"] for c in report["input"]["chapters"]] == [0.0, 150.0]
    pairs = report["sections"][0]["pairs"]
    second = next(p for p in pairs if p["en_text"].startswith(speech.en[5][:30]))
    assert second["start"] == 150.0
    bad = tmp_path / "bad.txt"
    bad.write_text("no times here\n", encoding="utf-8")
    done = run_cli("run", str(en), "--zh", str(zh), "--chapters", str(bad), "-o", str(tmp_path / "x"))
    assert done.returncode == 3 and "is not a chapter list" in done.stderr


def test_condensed_translation_keeps_every_cue_above_the_minimum(tmp_path: Path) -> None:
    """An LLM's condensed rendering: 3-1 and 4-1 pairs, dropped small talk, padding; estimated times."""
    speech = gen.first_section()
    condensed = []
    for k, text in enumerate(speech.zh):
        sentences = [x + "。" for x in text.split("。") if x]
        if k % 3 == 1:
            continue  # a turn left out
        kept = "，".join(x.rstrip("。") for x in sentences[: max(1, len(sentences) // 2)]) + "。"
        condensed.append(("对方打趣说：" if k % 4 == 0 else "") + kept)
    en, zh = tmp_path / "ep.en.txt", tmp_path / "ep.zh.txt"
    en.write_text("\n\n".join(speech.en), encoding="utf-8")
    zh.write_text("\n\n".join(condensed), encoding="utf-8")
    for duration in ("1:30", "9:00"):  # crowded and roomy
        out, report = _run(tmp_path / duration.replace(":", ""), en, zh, "--duration", duration)
        assert report["style"]["hard_violations"] == 0
        for c in _track(out, "en-zh"):
            assert (c.end.ordinal - c.start.ordinal) / 1000 >= 5 / 6 - 0.002
        assert " ".join(c.text.replace("\n", " ") for c in _track(out, "en")).split() == [
            w for t in speech.en for w in t.split()
        ]
        too_short = any("needs more time than the duration" in r for r in report["gate"]["reasons"])
        assert too_short == (duration == "1:30")  # 90 s cannot hold these cues: said, not hidden


def _subtitle_style_zh(zh_paragraphs: list[str]) -> list[str]:
    """A Chinese translation as a subtitle track has it: a line per clause, no punctuation at a line's end."""
    lines: list[str] = []
    for p in zh_paragraphs:
        for clause in re.split(r"(?<=[，。！？；])", p):
            clause = clause.strip().rstrip("，。；")
            if clause:
                lines.append(clause)
    return lines


def _vtt(lines: list[str], start: float = 5.0, per_line: float = 2.0) -> str:
    def ts(t: float) -> str:
        return f"{int(t // 3600):02d}:{int(t // 60 % 60):02d}:{t % 60:06.3f}"

    at = [start + k * per_line for k in range(len(lines))]
    cues = [f"{ts(a)} --> {ts(a + per_line - 0.1)}\n{ln}" for a, ln in zip(at, lines, strict=True)]
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


@pytest.mark.parametrize("english", ["manual srt", "auto vtt"])
def test_caption_tracks_as_the_transcript(tmp_path: Path, english: str) -> None:
    """An English caption track and a Chinese translation track: read as the two files, timed by the English."""
    speech = gen.first_section()
    sentences = [p[a:b] for p in speech.en for a, b in split_english(p)]
    words, starts = speak(sentences, seed=4, intro=3.0)
    en = tmp_path / ("ep.en.srt" if english == "manual srt" else "ep.en.vtt")
    track = manual_srt(sentences, starts, words) if english == "manual srt" else auto_vtt(words)
    en.write_text(track, encoding="utf-8")
    zh_lines = _subtitle_style_zh(speech.zh)
    zh = tmp_path / "ep.zh.vtt"
    zh.write_text(_vtt(zh_lines), encoding="utf-8")
    out, report = _run(tmp_path, en, zh)
    assert report["input"]["layout"] == "two-files"
    assert any("caption file" in n for n in report["input"]["notes"])
    # The English captions time the subtitles (no --duration, no --captions given).
    assert report["timing"]["captions"]["path"] == str(en)
    assert report["timing"]["sources"] == {"captions": len(report["sections"][0]["pairs"])}
    # Every caption word and every Chinese character reaches the subtitles or the report.
    en_cues, zh_cues = _track(out, "en"), _track(out, "zh-Hans")
    shown = " ".join(c.text.replace("\n", " ") for c in en_cues).split()
    if english == "manual srt":
        assert shown == " ".join(sentences).split()
    else:  # as the track has them (lower case, no punctuation), each once although the cues roll
        spoken = ["".join(c for c in w.lower() if c.isalnum() or c in "'%-") for w, _, _ in words]
        assert shown == [w for w in spoken if w]
    kept = Counter(_HAN.findall("".join(c.text for c in zh_cues)))
    aside = Counter(_HAN.findall("".join(b["text"] for b in report["set_aside"]["blocks"])))
    assert not Counter(_HAN.findall("".join(zh_lines))) - kept - aside
    # The Chinese track's lines were joined into sentences, not aligned one subtitle line at a time.
    assert report["counts"]["zh_sentences"] < len(zh_lines) / 2
    assert report["style"]["hard_violations"] == 0


@pytest.mark.parametrize("kind", ["srt", "vtt", "ass"])
def test_a_bilingual_subtitle_file_read_back_gives_the_same_pairs(tmp_path: Path, kind: str) -> None:
    """subalign's own bilingual subtitles, given as the transcript: their English and Chinese lines are the texts."""
    speech = gen.first_section()
    episode = tmp_path / "ep.md"
    k = next(i for i, p in enumerate(speech.en) if " and " in p)
    speech.en[k] = speech.en[k].replace(" and ", " & ", 1)  # escaped in WebVTT, read back as written
    episode.write_text("## Ep\n\n### 01\n\n" + "\n\n".join(speech.en + speech.zh) + "\n", encoding="utf-8")
    first, report = _run(tmp_path, episode, None, "--duration", "3:00")
    (bilingual,) = first.glob(f"*.en-zh.{kind}")
    again = tmp_path / "again"
    done = run_cli("run", str(bilingual), "-o", str(again), "--json")
    assert done.returncode in (0, 1), done.stderr
    back = json.loads((again / "report.json").read_text(encoding="utf-8"))
    assert back["input"]["notes"] == [
        f"{bilingual.name}: read as a bilingual caption file (its English and its Chinese lines)"
    ]
    assert back["timing"]["captions"]["path"] == str(bilingual)
    # The same English words and Chinese characters, and nearly the same pairs.
    def en_words(out: Path) -> list[str]:
        return " ".join(c.text.replace("\n", " ") for c in _track(out, "en")).split()

    def zh_chars(out: Path) -> Counter[str]:
        return Counter(_HAN.findall("".join(c.text for c in _track(out, "zh-Hans"))))

    assert en_words(again) == en_words(first) and "&" in en_words(first)
    assert zh_chars(again) == zh_chars(first)
    assert abs(back["counts"]["pairs"] - report["counts"]["pairs"]) <= 0.1 * report["counts"]["pairs"]


def test_an_english_caption_file_alone_asks_for_the_chinese(tmp_path: Path) -> None:
    en = tmp_path / "ep.en.srt"
    en.write_text("1\n00:00:01,000 --> 00:00:02,500\nHello there.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n",
                  encoding="utf-8")
    done = run_cli("run", str(en), "-o", str(tmp_path / "out"))
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"subalign: error: {en}: is a caption file with English lines only, no Chinese "
        "(for the Chinese give a second file with --zh)"
    ]
    assert not (tmp_path / "out").exists()
