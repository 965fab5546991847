"""Readers on the layouts people publish: Markdown from notes apps and chat exports, ASR transcripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from subalign.errors import InputError
from subalign.model import Lang
from subalign.readers import read_transcript
from subalign.readers.blocks import markdown_blocks
from subalign.readers.labels import chapter_list, find_label, parse_time

import inputs_gen as gen


def _write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_markdown_blocks_read_as_a_person_reads_them() -> None:
    blocks = markdown_blocks(
        "---\ntitle: x\n---\n# Title\n\n> quoted *speech* with a [link](http://a.b)\n\n"
        "- first **item**\n- second item\n\n![](img.png)\n\n![[embed.png]]\n\n```\ncode\n```\n\n"
        "<div>html</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> [!note] A callout\n> its body\n\n"
        "See [[Page|the page]] now.\n"
    )
    got = [(b.kind, b.text) for b in blocks]
    assert got[0][0] == "front_matter"
    assert ("heading", "Title") in got
    assert ("paragraph", "quoted speech with a link") in got
    assert ("paragraph", "first item") in got and ("paragraph", "second item") in got
    kinds = [k for k, _ in got]
    assert kinds.count("image") == 2 and "code" in kinds and "html" in kinds and "table" in kinds
    assert kinds.count("callout") == 1
    assert ("paragraph", "See the page now.") in got


@pytest.mark.parametrize(
    ("text", "chinese", "name", "time", "rest"),
    [
        ("Sarah (00:12:03): Hello there.", False, "Sarah", 723.0, "Hello there."),
        ("[00:01:02] Sarah Guo: Hello.", False, "Sarah Guo", 62.0, "Hello."),
        ("[Elad] So here we are.", False, "Elad", None, "So here we are."),
        ("Andrej  0:05", False, "Andrej", 5.0, ""),
        ("莱克斯：我们开始吧。", True, "莱克斯", None, "我们开始吧。"),
        ("[00:00:10] 主持人：欢迎。", True, "主持人", 10.0, "欢迎。"),
        ("1:02:03 and then we went on", False, None, 3723.0, "and then we went on"),
    ],
)
def test_label_forms(text: str, chinese: bool, name: str | None, time: float | None, rest: str) -> None:
    label = find_label(text, None, chinese)
    assert label is not None
    assert (label.name, label.time, text[label.end :].strip()) == (name, time, rest)


def test_sound_tags_and_prose_are_not_labels() -> None:
    assert find_label("[Music] and we are back", None, False) is None
    assert find_label("So here's the thing, we tried: it failed.", None, False) is None


def test_plain_labels_need_to_recur(tmp_path: Path) -> None:
    """'Here's the thing: ...' once is prose; 'Sarah:' opening many turns is a label."""
    prose = _write(tmp_path, "prose.en.txt", "Here's The Thing: it works.\n\nAnd then it did not.\n\nThe end.\n")
    zh = _write(tmp_path, "prose.zh.txt", "事情是这样的：它有效。\n\n后来它无效了。\n\n结束。\n")
    t = read_transcript(prose, zh)
    assert t.sections[0].en[0].text.startswith("Here's The Thing:")
    assert t.sections[0].en[0].speaker is None
    speech = gen.first_section()
    t = read_transcript(_write(tmp_path, "l.en.txt", gen.plain_labels_en(speech)), zh)
    assert [p.speaker for p in t.sections[0].en] == gen.SPEAKERS
    assert not any(p.text.startswith(("Sarah", "Elad", "Andrej")) for p in t.sections[0].en)


def test_time_and_chapter_list() -> None:
    assert [parse_time(x) for x in ("0:38", "12:05", "1:02:03", "00:01:23.450", "1:75")] == [
        38.0, 725.0, 3723.0, 83.45, None,
    ]
    chapters = chapter_list("0:00 开场\n2:31 自动驾驶\n1:02:03 结语")
    assert chapters is not None and [(c.start, c.title) for c in chapters] == [
        (0.0, "开场"), (151.0, "自动驾驶"), (3723.0, "结语"),
    ]
    # A transcript copy's timestamped snippets, seconds apart, are not chapters.
    assert chapter_list("0:01 hi there\n0:04 welcome back\n0:07 to the show") is None


def test_llm_chat_rendering_with_a_rev_transcript(tmp_path: Path) -> None:
    speech = gen.first_section()
    en = _write(tmp_path, "ep.en.txt", gen.rev_en(speech))
    zh = _write(tmp_path, "ep.zh.md", gen.llm_chat_zh(speech))
    t = read_transcript(en, zh)
    assert t.layout == "two-files"
    sec = t.sections[0]
    assert [p.speaker for p in sec.en] == gen.SPEAKERS
    assert sec.en[1].anchors == ((0, gen.paragraph_times(speech.en)[1] // 1),)
    labelled = [p for p in sec.zh if p.speaker]
    assert [p.speaker for p in labelled] == [gen.ZH_NAMES[s] for s in gen.SPEAKERS]
    assert all("**" not in p.text and not p.text.startswith("莎拉") for p in sec.zh)
    reasons = {x.reason for x in t.set_aside}
    assert {"chapter list", "tags", "code block", "heading"} <= reasons
    assert [(c.start, c.title) for c in t.chapters] == [(float(s), title) for s, title in gen.CHAPTERS]
    # Bold topic headings are headings, not speech.
    assert any(x.text == "开场介绍" and x.reason == "heading" for x in t.set_aside)


def test_notion_page_with_english_headings(tmp_path: Path) -> None:
    speech = gen.first_section()
    en = _write(tmp_path, "ep.en.txt", gen.descript_en(speech))
    zh = _write(tmp_path, "ep.zh.md", gen.notion_zh(speech))
    t = read_transcript(en, zh)
    reasons = {x.reason for x in t.set_aside}
    assert {"front matter", "title", "code block", "image", "table", "heading"} <= reasons
    assert any(x.reason == "heading" and x.text == "01. Tesla and Waymo" for x in t.set_aside)
    assert t.title.startswith("与 Andrej Karpathy")
    assert t.youtube_id == "hM_h0UA7upI"
    # The English heading inside the Chinese file does not make it unreadable, and is no speech.
    assert not any("Tesla and Waymo" in p.text for p in t.sections[0].zh)


def test_interleaved_file_with_bracket_labels(tmp_path: Path) -> None:
    t = read_transcript(_write(tmp_path, "ep.md", gen.interleaved_brackets(gen.first_section())))
    assert [s.label for s in t.sections] == ["Welcome", "Regulation or technology"]
    assert [p.speaker for s in t.sections for p in s.en] == gen.SPEAKERS
    assert [p.speaker for s in t.sections for p in s.zh] == [gen.ZH_NAMES[x] for x in gen.SPEAKERS]
    assert t.youtube_id == "hM_h0UA7upI"


def test_youtube_transcript_copy_gives_anchors(tmp_path: Path) -> None:
    speech = gen.first_section()
    copy, _ = gen.youtube_copy_en(speech)
    t = read_transcript(_write(tmp_path, "ep.en.txt", copy), _write(tmp_path, "ep.zh.txt", "\n\n".join(speech.zh)))
    paras = t.sections[0].en
    assert all(p.anchors for p in paras)
    assert not any(ch.isdigit() and ":" in p.text[:6] for p in paras for ch in p.text[:1])
    first_times = [p.anchors[0][1] for p in paras]
    assert first_times == sorted(first_times) and first_times[0] == 0.0
    assert "hi listeners welcome back" in paras[0].text


def test_files_given_the_other_way_round_are_swapped(tmp_path: Path) -> None:
    speech = gen.first_section()
    zh = _write(tmp_path, "a.txt", "\n\n".join(speech.zh))
    en = _write(tmp_path, "b.txt", "\n\n".join(speech.en))
    t = read_transcript(zh, en)
    assert t.sections[0].en[0].text.startswith("Hi, listeners.")
    assert t.notes and "other way round" in t.notes[0]


def test_a_file_mostly_in_the_wrong_language_is_refused(tmp_path: Path) -> None:
    speech = gen.first_section()
    en = _write(tmp_path, "a.en.txt", "\n\n".join(speech.en))
    with pytest.raises(InputError, match="should hold Chinese but is mostly English"):
        read_transcript(en, _write(tmp_path, "b.zh.txt", "\n\n".join(speech.en[:3])))


def test_english_quote_inside_the_chinese_file_stays_chinese_side(tmp_path: Path) -> None:
    en = _write(tmp_path, "a.en.txt", "He said: stay hungry, stay foolish.\n\nThat was it.\n")
    zh = _write(tmp_path, "a.zh.md", "他说了一句话。\n\n> Stay hungry, stay foolish.\n\n就是这样。\n")
    t = read_transcript(en, zh)
    assert [p.lang for p in t.sections[0].zh] == [Lang.ZH] * 3
    assert t.sections[0].zh[1].text == "Stay hungry, stay foolish."


def test_timestamps_alone_on_their_blocks_time_what_follows(tmp_path: Path) -> None:
    copy = "0:00\n\nhi listeners welcome back\n\n0:03\n\nto no priors today\n\n1:02:07\n\nbye\n"
    en = _write(tmp_path, "c.en.txt", copy)
    t = read_transcript(en, _write(tmp_path, "c.zh.txt", "大家好。\n\n欢迎回来。\n"))
    assert [(p.text, p.anchors) for p in t.sections[0].en] == [
        ("hi listeners welcome back", ((0, 0.0),)), ("to no priors today", ((0, 3.0),)), ("bye", ((0, 3727.0),)),
    ]


def test_a_speaker_with_one_turn_in_a_labelled_file(tmp_path: Path) -> None:
    en = _write(tmp_path, "b.en.txt", "Speaker A: Hello there.\n\nSpeaker B: I am fine.\n\nSpeaker A: Great.\n")
    zh = _write(tmp_path, "b.zh.txt", "A：你好。\n\nB：我很好。\n\nA：太好了。\n")
    t = read_transcript(en, zh)
    assert [(p.speaker, p.text) for p in t.sections[0].en] == [
        ("Speaker A", "Hello there."), ("Speaker B", "I am fine."), ("Speaker A", "Great."),
    ]
    assert [p.speaker for p in t.sections[0].zh] == ["A", "B", "A"]


def test_timestamped_lines_are_not_rev_labels(tmp_path: Path) -> None:
    """'[00:00:01] Hello there.' then '[00:00:03] ...' on the next line: times, not a name before a time."""
    en = _write(tmp_path, "c.en.txt", "[00:00:01] Hello there.\n[00:00:03] How are you today?\n[00:00:06] Fine.\n")
    t = read_transcript(en, _write(tmp_path, "c.zh.txt", "你好。\n今天好吗？\n很好。\n"))
    (para,) = t.sections[0].en
    assert para.text == "Hello there. How are you today? Fine." and para.speaker is None
    assert [t for _, t in para.anchors] == [1.0, 3.0, 6.0]


def test_hard_wrapped_prose_is_one_paragraph_but_sentence_lines_are_many(tmp_path: Path) -> None:
    wrapped = "So this is a long sentence that a plain\ntext editor wrapped at some width, and\nit goes on. The end.\n"
    zh = _write(tmp_path, "w.zh.txt", "这是一句很长的话。结束。\n")
    t = read_transcript(_write(tmp_path, "w.en.txt", wrapped), zh)
    assert [p.text for p in t.sections[0].en] == [" ".join(wrapped.split())]
    lines = read_transcript(_write(tmp_path, "l.en.txt", "One sentence.\nAnother one.\nA third!\n"), zh)
    assert [p.text for p in lines.sections[0].en] == ["One sentence.", "Another one.", "A third!"]
