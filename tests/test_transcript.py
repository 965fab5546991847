from __future__ import annotations

from pathlib import Path

import pytest

from subalign.errors import InputError
from subalign.model import Lang
from subalign.readers import read_transcript
from subalign.readers.blocks import classify

from conftest import SAMPLE


def test_sample_episode_layout() -> None:
    t = read_transcript(SAMPLE)
    assert t.layout == "episode"
    assert t.youtube_id == "hM_h0UA7upI"
    assert t.video_url == "https://www.youtube.com/watch?v=hM_h0UA7upI"
    assert "Karpathy" in t.title
    assert [s.label for s in t.sections] == ["01", "02", "03", "04"]
    assert [(len(s.en), len(s.zh)) for s in t.sections] == [(15, 15), (33, 32), (74, 73), (58, 56)]
    # The Chinese outline at the top is kept aside, never part of a section.
    assert any("的对话要点" in x.text and x.reason.startswith("before the first section") for x in t.set_aside)
    all_zh = "".join(p.text for s in t.sections for p in s.zh)
    assert "对话要点" not in all_zh
    assert t.sections[0].en[0].text.startswith("Hi, listeners.")
    assert t.sections[0].zh[0].text.startswith("大家好")
    # Offsets point back into the file.
    raw = SAMPLE.read_text(encoding="utf-8")
    p = t.sections[2].zh[5]
    assert raw[p.start : p.end] == p.text


def test_interleaved_with_speaker_labels(tmp_path: Path) -> None:
    f = tmp_path / "chat.md"
    f.write_text(
        "# A chat\n\n**Sarah:** Welcome to the show. It is great to have you.\n\n"
        "**Sarah：** 欢迎来到节目。很高兴你能来。\n\n"
        "**Andrej:** Thanks for having me.\n\n**Andrej：** 谢谢邀请。\n",
        encoding="utf-8",
    )
    t = read_transcript(f)
    assert t.layout == "interleaved"
    sec = t.sections[0]
    assert [p.speaker for p in sec.en] == ["Sarah", "Andrej"]
    assert [p.speaker for p in sec.zh] == ["Sarah", "Andrej"]
    assert sec.en[0].text == "Welcome to the show. It is great to have you."
    assert sec.zh[1].text == "谢谢邀请。"


def test_two_plain_files(tmp_path: Path) -> None:
    en = tmp_path / "ep.en.txt"
    zh = tmp_path / "ep.zh.txt"
    en.write_text("One sentence.\nAnother one.\n", encoding="utf-8")
    zh.write_text("一句话。\n另一句。\n", encoding="gb18030")
    t = read_transcript(en, zh)
    assert t.layout == "two-files"
    assert [p.text for p in t.sections[0].en] == ["One sentence.", "Another one."]
    assert [p.text for p in t.sections[0].zh] == ["一句话。", "另一句。"]
    assert t.encoding == "utf-8+gb18030"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("### 01\n\nOnly English here.\n\nAnd more English.\n", "has no Chinese text"),
        ("### 01\n\n只有中文。\n", "has no English text"),
        ("Only English.\n\nStill English.\n", "has no Chinese text"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHello.\n", "is a caption file with English lines only"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n你好。\n", "is a caption file with Chinese lines only"),
        ("Привет мир.\n\nЕщё текст.\n", "has no English or Chinese text"),
    ],
)
def test_layout_errors_name_the_file(tmp_path: Path, content: str, problem: str) -> None:
    f = tmp_path / "bad.md"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcript(f)
    assert problem in str(err.value)
    assert str(f) in str(err.value)


def test_a_bilingual_caption_file_is_read_as_its_two_languages(tmp_path: Path) -> None:
    f = tmp_path / "talk.srt"
    f.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n大家好，欢迎收听\nHi, listeners. Welcome\n\n"
        "2\n00:00:03,100 --> 00:00:05,000\nNo Priors。\nback to No Priors.\n\n"
        "3\n00:00:06,000 --> 00:00:08,000\n{\\an8}今天我们请到了 Andrej\n<i>Today</i> we have Andrej.\n",
        encoding="utf-8",
    )
    t = read_transcript(f)
    assert t.layout == "two-files" and "bilingual caption file" in t.notes[-1]
    # English lines run on to a sentence end; "No Priors。" is Chinese by its punctuation; markup
    # (an ASS override block kept by a conversion, an italic tag) is not text.
    assert [p.text for p in t.sections[0].en] == ["Hi, listeners. Welcome back to No Priors.", "Today we have Andrej."]
    assert [p.text for p in t.sections[0].zh] == ["大家好，欢迎收听 No Priors。", "今天我们请到了 Andrej"]


_ASS_STYLE = "&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1"


def test_a_fansub_ass_file_is_read_by_its_dialogue_events(tmp_path: Path) -> None:
    """Each language in its own event and style, override tags, a comment and a drawing (passed over)."""
    f = tmp_path / "talk.ass"
    f.write_text(
        "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        "MarginR, MarginV, Encoding\n"
        f"Style: 中文,Noto Sans CJK SC,60,{_ASS_STYLE}\n"
        f"Style: English,Arial,40,{_ASS_STYLE}\n"
        "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Comment: 0,0:00:00.00,0:00:01.00,中文,,0,0,0,,翻译：某字幕组\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,中文,,0,0,0,,{\\fad(200,200)}大家好\n"
        "Dialogue: 0,0:00:01.00,0:00:03.00,English,,0,0,0,,{\\i1}Hi there,{\\i0} and\\Nwelcome back.\n"
        "Dialogue: 0,0:00:02.00,0:00:03.00,中文,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}\n"
        "Dialogue: 0,0:00:03.50,0:00:05.00,中文,,0,0,0,,欢迎回来。\n"
        "Dialogue: 0,0:00:03.50,0:00:05.00,English,,0,0,0,,Good to see you.\n",
        encoding="utf-8",
    )
    t = read_transcript(f)
    assert [p.text for p in t.sections[0].en] == ["Hi there, and welcome back.", "Good to see you."]
    assert [p.text for p in t.sections[0].zh] == ["大家好 欢迎回来。"]


def test_wrong_language_in_plain_file(tmp_path: Path) -> None:
    en = tmp_path / "en.txt"
    zh = tmp_path / "zh.txt"
    en.write_text("Hello.\n", encoding="utf-8")
    zh.write_text("Also English.\n", encoding="utf-8")
    with pytest.raises(InputError, match="should hold Chinese"):
        read_transcript(en, zh)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Waymo 和 Tesla 在自动驾驶技术上各有优势", Lang.ZH), ("Tesla is ahead of Waymo.", Lang.EN), ("--- 123", None)],
)
def test_classify(text: str, lang: Lang | None) -> None:
    assert classify(text) is lang


def test_a_block_in_another_language_is_set_aside_not_refused(tmp_path: Path) -> None:
    f = tmp_path / "mixed.md"
    f.write_text("### 01\n\nHello there.\n\nПривет мир.\n\n你好。\n", encoding="utf-8")
    t = read_transcript(f)
    assert [p.text for p in t.sections[0].en] == ["Hello there."]
    assert [(x.text, x.reason) for x in t.set_aside if x.reason != "heading"] == [
        ("Привет мир.", "in neither English nor Chinese")
    ]
