from __future__ import annotations

import pytest

from subalign.checks import (
    alignment_gate,
    check_additions,
    check_entities,
    check_length_ratio,
    check_low_similarity,
    check_numbers,
    check_untranslated,
    entities,
)
from subalign.model import AlignedPair, Alignment, Lang, Sentence
from subalign.numbers import chinese_numbers, chinese_ordinals, english_numbers, english_ordinals, number_mismatch


def pair(k: int, en: str, zh: str, score: float | None = 0.8) -> AlignedPair:
    return AlignedPair(
        "01",
        (Sentence(Lang.EN, k, en, "01", 0, 0, len(en)),) if en else (),
        (Sentence(Lang.ZH, k, zh, "01", 0, 0, len(zh)),) if zh else (),
        score if en and zh else None,
    )


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("It drove me around the block 10 years ago, in 2014.", "十年前，大约 2014 年，它带我绕了一圈。"),
        ("I paid 30 grand for it.", "我为此花了 3 万美元。"),
        ("That is two standard deviations away.", "那相差两个标准差。"),
        ("About 80% of your time.", "大约 80% 的时间。"),
        ("twenty-five people", "二十五个人"),
        ("5 million users and 3.5 billion views", "五百万用户和 35 亿次观看"),
        ("a decade ago", "十年前"),
        ("one of the best, a few of them", "最好的之一，一些"),
        ("I think even a billion, a billion suffices.", "我认为甚至 10 亿个参数就足够了。"),
        # Found on TED talks (false findings): ranges, names with digits, decades, halves, ordinals.
        ("If you had a sentence or two to say to them", "如果让你对他们说一两句话"),
        ("thirty or forty people came", "来了三四十个人"),
        ("the amount of CO2 per unit, this fourth factor", "第四个因素：每单位排放的二氧化碳"),
        ("The Unitree G1 is the one with 3D vision.", "优趣科技的 G1 有 3D 视觉。"),
        ("the print date was the early 1980s", "出版日期是上世纪80年代"),
        ("fuel for the six and a half billion", "为65亿人提供燃料"),
        ("more than half a million people", "逾五十万人"),
        ("three millions rads of radiation", "三百万度的辐射量"),
        ("On the 10th of September last year", "去年9月10日"),
        ("She was born on June 1, 1980.", "她出生于1980年6月1日。"),
        ("a value of the 21st century", "21世纪的价值"),
        ("My parents are closing in on 80.", "我的父母都80几岁了。"),
        ("18 months ago", "18月以前"),
        ("for the first time; give me a second", "第一次；等我一秒"),
        ("I'm only about 40 years old", "我才四十来岁"),
        ("about six or eight million years ago", "大概是600万或800万年前"),
        ("from six and a half to nine billion people", "从 65亿变成90亿"),
        ("30 billion-plus barrels, a hundred million barrels a day", "300多亿桶，每天一亿桶"),
        ("35 million hits a month", "每月点击量达到 3 千 5 百万次"),
    ],
)
def test_numbers_agree(en: str, zh: str) -> None:
    assert number_mismatch(en, zh) == ([], []), (english_numbers(en), chinese_numbers(zh))


def test_changed_number_is_an_error() -> None:
    a = Alignment([pair(0, "We trained it for 30 days.", "我们训练了 40 天。")])
    (f,) = check_numbers(a)
    assert f.kind == "number_mismatch" and str(f.severity) == "error"
    assert "30" in f.message and "40" in f.message


def test_approximate_chinese_numbers_are_not_compared() -> None:
    a = Alignment([pair(0, "That's only tens of millions, a dozen or so components.", "大概只用几千万，十来种组件。")])
    assert check_numbers(a) == []


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("But there's a third possibility.", "但是有第七种可能。"),
        ("By the end of March the LHC will be intact again.", "在八月底左右LHC被重新接通。"),
        ("On February 17th they passed it again.", "在3月17日他们再次通过了。"),
        ("the one-way entertainment of the 20th century", "六十世纪的单向娱乐"),
    ],
)
def test_changed_ordinal_month_or_century_is_found(en: str, zh: str) -> None:
    only_en, only_zh = number_mismatch(en, zh)
    assert only_en and only_zh, (english_ordinals(en), chinese_ordinals(zh))


def test_number_range_still_checks_its_values() -> None:
    assert number_mismatch("one or two sentences", "一两句话") == ([], [])
    assert number_mismatch("five or six sentences", "一两句话") != ([], [])


def test_acronym_of_english_words_is_not_a_new_name() -> None:
    a = Alignment(
        [
            pair(
                0,
                "If you wanted to win a Formula 1 race, you took a budget.",
                "如果你想在 F1 赛上夺冠，你只需要有预算。",
            ),
            pair(1, "Many, many gigabytes of digital photos.", "许多许多 GB 级别的数码照片。"),
            pair(2, "Many photos of the street art scene.", "许多街头艺术的照片，CAW 也在。"),
        ]
    )
    named = [f.message for f in check_entities(a)]
    assert not any("'F1'" in m or "'GB'" in m for m in named)
    assert any("'CAW'" in m for m in named)


def test_entities_found() -> None:
    assert entities("So Waymo in San Francisco has G1 robots and CS231N uses RoPE.") == [
        "Waymo",
        "San",
        "Francisco",
        "G1",
        "CS231N",
        "RoPE",
    ]
    assert entities("Yeah. I think it's fine.") == []


def test_entity_rendering_and_inconsistency() -> None:
    pairs = [pair(i, "Tesla is ahead here.", "Tesla 在这里领先。") for i in range(3)]
    pairs.append(pair(3, "But Tesla has a software problem.", "但特斯拉面临软件问题。"))
    pairs.append(pair(4, "Robots like Unitree are coming.", "比如优趣科技（Unitree）的机器人即将到来。"))
    pairs.append(pair(5, "Tesla drives well.", "Ford 开得很好。"))
    found = {(f.en, f.message.split(":")[0]) for f in check_entities(Alignment(pairs))}
    assert ((3,), "'Tesla' is not in the Chinese (kept in Latin letters in 3 of 5 places)") in found
    assert ((5,), "'Tesla' is not in the Chinese (kept in Latin letters in 3 of 5 places)") in found
    assert ((4,), "'Unitree' is rendered as '优趣科技'") in found
    assert ((5,), "'Ford' is in the Chinese but not in the English") in found


def test_untranslated_english_but_not_glosses() -> None:
    a = Alignment(
        [
            pair(0, "We used it.", "我们用了 the model that we trained last year 这个方法。"),
            pair(1, "Supervision is sparse.", "监督信号（Supervision Signal）很稀疏。"),
        ]
    )
    assert [f.en for f in check_untranslated(a)] == [(0,)]


def test_low_similarity_is_calibrated_on_the_document() -> None:
    # The same absolute score is an outlier in one document and normal in another.
    high = [pair(i, f"s{i}", f"z{i}", 0.86 + 0.001 * (i % 5)) for i in range(20)]
    low = [pair(i, f"s{i}", f"z{i}", 0.30 + 0.05 * (i % 5)) for i in range(20)]
    probe = pair(99, "x", "y", 0.82)
    assert [f.en for f in check_low_similarity(Alignment([*high, probe]))] == [(99,)]
    assert check_low_similarity(Alignment([*low, probe])) == []


def test_length_ratio_outlier() -> None:
    pairs = [pair(i, "This sentence has a fairly ordinary length here.", "这个句子的长度相当普通。") for i in range(12)]
    pairs.append(pair(50, "This sentence has a fairly ordinary length here.", "短。"))
    assert [f.en for f in check_length_ratio(Alignment(pairs))] == [(50,)]


def test_gate_flags_mostly_unaligned_documents() -> None:
    pairs = [pair(i, f"e{i}", "") for i in range(8)] + [pair(i, f"e{i}", f"z{i}") for i in range(8, 10)]
    reasons = alignment_gate(Alignment(pairs))
    assert reasons and "have no Chinese" in reasons[0]
    assert alignment_gate(Alignment([pair(i, f"e{i}", f"z{i}", 0.5 + 0.02 * i) for i in range(12)])) == []


def test_whole_added_sentence_is_a_warning_a_lead_in_is_information() -> None:
    a = Alignment(
        [
            pair(0, "We trained it for thirty days.", "我们训练了三十天。"),
            pair(1, "", "对方打趣说："),
            pair(2, "", "这是一个完全没有出现在英文原文里的句子，译者自己加上的。"),
        ]
    )
    found = {f.zh_text: str(f.severity) for f in check_additions(a)}
    assert found == {"对方打趣说：": "info", "这是一个完全没有出现在英文原文里的句子，译者自己加上的。": "warning"}


def test_untranslated_sentence_inside_a_merged_pair() -> None:
    """A long English sentence folded into a 2-1 pair is a warning; a short interjection only information."""
    from subalign.checks import check_merged

    from conftest import TokenEmbedder

    def two_to_one(k: int, extra: str) -> AlignedPair:
        """English #k plus an untranslated sentence, against the Chinese of #k alone."""
        en = (f"#{k} is what we said.", f"#{k + 1} {extra}")
        return AlignedPair(
            "01",
            tuple(Sentence(Lang.EN, k + d, t, "01", 0, 0, len(t)) for d, t in enumerate(en)),
            (Sentence(Lang.ZH, k, f"#{k}。", "01", 0, 0, 3),),
            0.5,
        )

    pairs = [pair(k, f"#{k} is what we said.", f"#{k}。") for k in range(10)]
    pairs += [two_to_one(20, "this sentence was never translated."), two_to_one(30, "Whoa!")]
    found = {f.en_text: str(f.severity) for f in check_merged(Alignment(pairs), TokenEmbedder())}
    assert found == {"#21 this sentence was never translated.": "warning", "#31 Whoa!": "info"}


def test_chinese_that_renders_another_sentence_is_reported() -> None:
    """A rendering pasted in the wrong place points at the English it does translate."""
    from subalign.checks import check_misplaced

    from conftest import TokenEmbedder

    pairs = [pair(k, f"#{k} is what we said.", f"#{k}。", 0.9) for k in range(12)]
    pairs[9] = pair(9, "#9 is what we said.", "#3。", 0.2)
    (f,) = check_misplaced(Alignment(pairs), TokenEmbedder())
    assert f.en == (9,) and f.zh == (9,) and str(f.severity) == "warning"
    assert "#3 is what we said." in f.message
