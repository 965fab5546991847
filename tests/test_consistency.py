"""Consistency across the episode, a user glossary, and the terms table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from subalign.checks import run_checks
from subalign.consistency import GlossaryEntry, check_glossary, read_glossary
from subalign.errors import InputError
from subalign.model import AlignedPair, Alignment, Lang, Sentence
from subalign.terms import glossary_tsv, term_table

from conftest import SAMPLE, run_cli


def _pair(k: int, en: str, zh: str) -> AlignedPair:
    return AlignedPair("01", (Sentence(Lang.EN, k, en, "01", 0, 0, len(en)),),
                       (Sentence(Lang.ZH, k, zh, "01", 0, 0, len(zh)),), 0.8)


def test_glossary_matching_is_whole_word_case_and_inflection_aware() -> None:
    robot = GlossaryEntry("robot", ("机器人",))
    assert robot.pattern().search("Two Robots came") and robot.pattern().search("the robot's arm")
    assert not robot.pattern().search("robotics is a field") and not robot.pattern().search("microrobot")
    gpt = GlossaryEntry("GPT", ("GPT",))
    assert gpt.rendered_in("我们用了 GPT 模型") and not gpt.rendered_in("我们用了 GPTs 模型")
    pairs = [_pair(0, "The robots are here.", "机器人来了。"), _pair(1, "A robot walked in.", "一台机械走了进来。"),
             _pair(2, "Robotics is hard.", "机器人学很难。")]
    found = check_glossary(Alignment(pairs), [robot])
    assert [(f.en, f.severity.value) for f in found] == [((1,), "error")]


def test_glossary_files_tsv_and_csv(tmp_path: Path) -> None:
    tsv = tmp_path / "g.tsv"
    tsv.write_text("en\tzh\tnote\nUnitree\t宇树科技|Unitree\tthe robot maker\nWaymo\tWaymo\t\n", encoding="utf-8")
    entries = read_glossary(tsv)
    assert entries[0] == GlossaryEntry("Unitree", ("宇树科技", "Unitree"), "the robot maker")
    csv = tmp_path / "g.csv"
    csv.write_text("en,zh\nTesla,特斯拉|Tesla\n", encoding="utf-8")
    assert read_glossary(csv)[0].zh == ("特斯拉", "Tesla")
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\trendering\nx\ty\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns en and zh"):
        read_glossary(bad)


@pytest.mark.slow
def test_every_place_of_a_wrong_rendering_is_reported(use_embedder) -> None:  # type: ignore[no-untyped-def]
    """The sample renders Unitree 优趣科技 in three places; only the first says "Unitree"."""
    from subalign.pipeline import align_episode
    from subalign.readers import read_transcript

    _, _, alignment = align_episode(read_transcript(SAMPLE), use_embedder)
    findings = run_checks(alignment, None, use_embedder)
    places = [f for f in findings if f.rendering == "优趣科技"]
    assert len(places) == 3 and len({f.group for f in places}) == 1
    assert sum(f.zh_text.count("优趣科技") for f in places) == 3
    # A glossary that accepts the rendering clears the finding; one that does not makes it an error.
    accepted = run_checks(alignment, None, use_embedder, [GlossaryEntry("Unitree", ("优趣科技",))])
    assert not [f for f in accepted if f.rendering == "优趣科技" or f.kind == "glossary"]
    wrong = run_checks(alignment, None, use_embedder, [GlossaryEntry("Unitree", ("宇树科技",))])
    assert [f.severity.value for f in wrong if f.kind == "glossary"] == ["error"]
    rows = {r.term: r for r in term_table(alignment)}
    for name, rendering in [("Tesla", "Tesla"), ("Waymo", "Waymo"), ("Optimus", "Optimus"), ("Unitree", "优趣科技"),
                            ("Eureka", "Eureka"), ("231N", "CS231N")]:
        assert rows[name].renderings.most_common(1)[0][0] == rendering, (name, rows[name].renderings)
    assert "Unitree\t优趣科技" in glossary_tsv(list(rows.values()))


@pytest.mark.slow
def test_terms_command_and_report_groups(tmp_path: Path) -> None:
    done = run_cli("terms", str(SAMPLE), "--json")
    assert done.returncode == 0, done.stderr
    rows = {r["term"]: r for r in json.loads(done.stdout)}
    assert rows["Tesla"]["count"] >= 10 and rows["Tesla"]["renderings"] == {"Tesla": rows["Tesla"]["count"]}
    tsv = run_cli("terms", str(SAMPLE), "--tsv")
    assert tsv.stdout.startswith("en\tzh\tnote\n")
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tzh\nUnitree\t宇树科技\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("run", str(SAMPLE), "--duration", "44:10", "-o", str(out), "--glossary", str(glossary))
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    glossary_groups = [g for g in report["finding_groups"] if g["kind"] == "glossary"]
    assert len(glossary_groups) == 1 and glossary_groups[0]["count"] == 1
    assert len(report["finding_groups"]) < len(report["findings"])
    # Each finding says what to check, in one sentence.
    assert all(f["check"].endswith(".") and f["check"] != "Check this pair." for f in report["findings"])


def test_a_name_rendered_two_ways_and_one_rendering_for_two_names() -> None:
    from subalign.terms import inconsistent_renderings

    pairs = [
        _pair(0, "They say Unitree makes robots.", "他们说优趣科技（Unitree）制造机器人。"),
        _pair(1, "I like Unitree a lot.", "我很喜欢宇树科技（Unitree）。"),
        _pair(2, "And Waymo drives itself.", "而且，慧摩（Waymo）能自动驾驶。"),
        _pair(3, "And Wayve drives too.", "还有，慧摩（Wayve）也能驾驶。"),
        _pair(4, "So AI is here.", "所以人工智能（AI）来了。"),
    ]
    found = inconsistent_renderings(Alignment(pairs))
    two_ways = [f for f in found if f.group == "renderings:Unitree"]
    assert [f.en for f in two_ways] == [(0,), (1,)] and "2 ways" in two_ways[0].message
    one_for_two = [f for f in found if f.group == "one rendering:慧摩"]
    assert sorted(f.en for f in one_for_two) == [(2,), (3,)]
    assert not [f for f in found if f.term == "AI"]  # a standard rendering, not a name to compare


def test_a_name_dropped_from_a_line_that_renders_the_rest() -> None:
    """A brand the episode renders in Chinese, and a title it renders as 《…》, missing from one line each."""
    from subalign.terms import dropped_names

    pairs = [
        _pair(0, "We looked at Unitree robots.", "我们看了宇树科技（Unitree）的机器人。"),
        _pair(1, "The robots of Unitree are cheap.", "宇树科技的机器人很便宜。"),
        _pair(2, "Then Unitree shipped a humanoid.", "后来他们推出了一款人形机器人。"),
        _pair(3, "I keep rereading The Bitter Lesson by Sutton.", "我一直在重读萨顿的《苦涩的教训》。"),
        _pair(4, "And The Bitter Lesson still holds today.", "而且这篇文章的观点至今仍然成立。"),
        _pair(5, "Everyone cites The Bitter Lesson.", "人人都引用《苦涩的教训》。"),
    ]
    found = dropped_names(Alignment(pairs))
    assert sorted((f.en, f.term) for f in found) == [((2,), "Unitree"), ((4,), "Bitter Lesson")]
    assert all(f.severity.value == "warning" and f.group.startswith("dropped:") for f in found)
    assert "宇树科技" in next(f.message for f in found if f.term == "Unitree")
    # A line that does not render its English as a whole is the similarity checks' to report.
    assert [f.en for f in dropped_names(Alignment(pairs), low_score=0.9)] == []


def test_a_name_kept_in_latin_somewhere_is_left_to_the_entity_check() -> None:
    from subalign.terms import dropped_names

    pairs = [
        _pair(0, "We looked at Unitree robots.", "我们看了宇树科技（Unitree）的机器人。"),
        _pair(1, "Unitree is cheap.", "Unitree 很便宜。"),
        _pair(2, "Then Unitree shipped a humanoid.", "后来他们推出了一款人形机器人。"),
    ]
    assert dropped_names(Alignment(pairs)) == []
