from __future__ import annotations

import json
from pathlib import Path

import pytest

from subalign.errors import InputError
from subalign.lint import LintCue, attribute_lines, lint_cues, read_subtitles
from subalign.model import Lang
from subalign.style import PROFILES, break_chinese, break_english, load_profile, zh_width, zh_word_starts

from conftest import DATA, run_cli

NETFLIX = PROFILES["netflix"]
LINT = DATA / "lint"


def rules(path: Path) -> set[tuple[int, str, str]]:
    return {(v.cue, v.rule, v.lang) for v in lint_cues(read_subtitles(path), NETFLIX)}


def test_bad_srt_every_rule() -> None:
    got = rules(LINT / "bad.srt")
    assert (1, "duration below minimum", "") in got
    assert (1, "overlap with next cue", "") in got
    assert (2, "duration above maximum", "") in got
    assert (2, "characters per line", "en") in got
    assert (3, "characters per line", "zh") in got
    assert (3, "lines per cue", "zh") in got
    assert (2, "gap below minimum", "") in got  # the gap after cue 2
    assert (4, "markup inside text", "") in got
    assert (4, "'-->' inside text", "") in got
    assert (5, "reading speed (cps)", "en") in got


def test_bad_vtt_overlap_and_empty() -> None:
    got = rules(LINT / "bad.vtt")
    assert (1, "overlap with next cue", "") in got
    assert (3, "empty cue", "") in got
    assert not any(rule == "markup inside text" for _, rule, _ in got)  # <c.zh> spans are WebVTT, not stray tags


def test_good_file_is_clean() -> None:
    assert lint_cues(read_subtitles(LINT / "good.vtt"), NETFLIX) == []
    done = run_cli("lint", str(LINT / "good.vtt"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_lint_command_exit_codes_and_json() -> None:
    done = run_cli("lint", str(LINT / "bad.srt"), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    entry = report["files"][str(LINT / "bad.srt")]
    assert entry["errors"] >= 8 and entry["warnings"] >= 1
    v = next(x for x in entry["violations"] if x["rule"] == "characters per line" and x["lang"] == "en")
    assert v["limit"] == 42 and v["measured"] > 42 and v["cue"] == 2 and v["start"] == 1.3
    text = run_cli("lint", str(LINT / "bad.srt")).stdout
    assert "cue 2 at 00:00:01.300: characters per line [en]" in text


@pytest.mark.parametrize("name", ["malformed.srt", "malformed.vtt"])
def test_malformed_files_are_input_errors(name: str) -> None:
    with pytest.raises(InputError):
        read_subtitles(LINT / name)
    done = run_cli("lint", str(LINT / name))
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and name in done.stderr and "Traceback" not in done.stderr


def test_ass_tolerance_for_centiseconds() -> None:
    cues = [LintCue(1, 0.0, 0.83, ("Hi.",)), LintCue(2, 0.91, 2.0, ("There.",))]
    assert lint_cues(cues, NETFLIX, tolerance=0.011) == []
    assert {v.rule for v in lint_cues(cues, NETFLIX)} == {"duration below minimum", "gap below minimum"}


def test_line_attribution_keeps_latin_terms_in_the_chinese_block() -> None:
    lines = ["商业对消费者（B2C，", "Business-to-Consumer）", "I don't think B2C should be", "the right start point"]
    assert attribute_lines(lines) == [Lang.ZH, Lang.ZH, Lang.EN, Lang.EN]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short line.", ["Short line."]),
        (
            "I think it's technology, you're just not seeing it in a demo",
            ["I think it's technology,", "you're just not seeing it in a demo"],
        ),
        (
            "He said that the model was going to be great for everyone",
            ["He said that the model was going", "to be great for everyone"],
        ),
    ],
)
def test_english_line_breaks(text: str, expected: list[str]) -> None:
    assert break_english(text, 42) == expected


def test_english_never_breaks_article_noun_or_names() -> None:
    lines = break_english("We met Andrej Karpathy at the conference about the robots today", 42)
    assert lines is not None
    for a, b in [("Andrej", "Karpathy"), ("the", "conference"), ("the", "robots")]:
        assert not (lines[0].endswith(a) and lines[1].startswith(b))


def test_chinese_breaks_at_punctuation_and_counts_half_width() -> None:
    assert zh_width("Tesla 和 Waymo") == 2.5 + 0.5 + 1 + 0.5 + 2.5
    lines = break_chinese("在旧金山，Waymo 自动驾驶已经成为一种常见的出行方式。", 16)
    assert lines == ["在旧金山，", "Waymo 自动驾驶已经成为一种常见的出行方式。"] or all(
        zh_width(x) <= 16 for x in lines or []
    )
    assert lines is not None and all(zh_width(x) <= 16 for x in lines)
    assert "Waymo" in "".join(lines)  # never cut inside a Latin word


@pytest.mark.parametrize(
    "text",
    [
        "但试想一下一旦我们习惯了这项技术如果突然无法使用设备",
        "从技术发展的角度来看你认为在实现人形机器人这个愿景的过程中",
    ],
)
def test_chinese_never_breaks_inside_a_word(text: str) -> None:
    lines = break_chinese(text, 16)
    assert lines is not None and "".join(lines) == text
    # The cut is at a word start in the segmenter's view, so 技|术, 机器|人 never occur.
    assert len(lines[0]) in zh_word_starts(text)
    for word in ("技术", "设备", "机器人", "愿景", "过程"):
        if word in text:
            assert any(word in line for line in lines), word


def test_profile_from_toml(tmp_path: Path) -> None:
    f = tmp_path / "house.toml"
    f.write_text('base = "netflix"\nen_chars_per_line = 37\nzh_punctuation = "spaces"\n', encoding="utf-8")
    p = load_profile(str(f))
    assert p.en_chars_per_line == 37 and p.zh_width_per_line == 16 and p.zh_punctuation == "spaces"
    f.write_text("en_chars_per_lines = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown style setting"):
        load_profile(str(f))
    with pytest.raises(InputError, match="neither a style profile"):
        load_profile("netflicks")


def test_our_own_files_are_linted_with_the_languages_we_wrote() -> None:
    """A Chinese line that keeps an English quote is Chinese: not a third English line."""
    from subalign.lint import lint_outputs
    from subalign.model import Lang
    from subalign.style import PROFILES

    srt = "1\n00:00:01,000 --> 00:00:03,000\nStay hungry, stay foolish.\nHe said: stay hungry,\nstay foolish.\n"
    guessed = lint_outputs({"a.en-zh.srt": srt}, PROFILES["netflix"])
    told = lint_outputs({"a.en-zh.srt": srt}, PROFILES["netflix"], {"a.en-zh.srt": [(Lang.ZH, Lang.EN, Lang.EN)]})
    assert guessed["hard_violations"] == 1 and told["hard_violations"] == 0
