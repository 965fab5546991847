from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subalign.model import Lang, Paragraph
from subalign.segment import segment_paragraphs, split_chinese, split_english


def sentences(text: str, lang: Lang) -> list[str]:
    spans = split_english(text) if lang is Lang.EN else split_chinese(text)
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi, listeners. Welcome back to No Priors.", ["Hi, listeners.", "Welcome back to No Priors."]),
        ("Mr. Smith paid $3.5 million. Then he left.", ["Mr. Smith paid $3.5 million.", "Then he left."]),
        ("I took CS 231N. It was great.", ["I took CS 231N.", "It was great."]),
        ("It is written in C++. Really.", ["It is written in C++.", "Really."]),
        ("Wait... what? Yes!", ["Wait... what?", "Yes!"]),
        ("And then... So we left.", ["And then...", "So we left."]),
        ('She said "Stop." Then left.', ['She said "Stop."', "Then left."]),
        ("It ran 2.5 vs. 3.0 times, e.g. twice. Ok.", ["It ran 2.5 vs. 3.0 times, e.g. twice.", "Ok."]),
        ("J. R. R. Tolkien wrote it. Is it recent or-", ["J. R. R. Tolkien wrote it.", "Is it recent or-"]),
        ("We moved to the U.S. in 2014. It was fine.", ["We moved to the U.S. in 2014.", "It was fine."]),
    ],
)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text, Lang.EN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "大家好，欢迎收听 No Priors。今天我们请到了 Andrej Karpathy。",
            ["大家好，欢迎收听 No Priors。", "今天我们请到了 Andrej Karpathy。"],
        ),
        ("GPT-3.5 很好……真的吗？是的", ["GPT-3.5 很好……", "真的吗？", "是的"]),
        ("他说：“你好！”然后走了。", ["他说：“你好！”", "然后走了。"]),
        ("课程（CS 231N。）很有名。对！", ["课程（CS 231N。）", "很有名。", "对！"]),
        ("Mr. Smith 在 U.S. 工作了 10.5 年。", ["Mr. Smith 在 U.S. 工作了 10.5 年。"]),
    ],
)
def test_chinese_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text, Lang.ZH) == expected


def test_offsets_point_back_into_the_source() -> None:
    text = "Hello there. How are you? Fine."
    para = Paragraph(Lang.EN, 0, text, 100, 100 + len(text))
    sents = segment_paragraphs([para], "01")
    assert [s.text for s in sents] == ["Hello there.", "How are you?", "Fine."]
    source = " " * 100 + text
    for s in sents:
        assert source[s.start : s.end] == s.text
        assert s.section == "01" and s.paragraph == 0


@given(st.text(alphabet=st.sampled_from(list("ab .!?…\"'”）。！？C+3\n")), max_size=80))
def test_english_split_loses_nothing(text: str) -> None:
    joined = "".join(sentences(text, Lang.EN))
    assert joined.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


@given(st.text(alphabet=st.sampled_from(list("你好 。！？…”）ab.3\n")), max_size=80))
def test_chinese_split_loses_nothing(text: str) -> None:
    joined = "".join(sentences(text, Lang.ZH))
    assert joined.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
