"""Numbers in English and Chinese text, as comparable values.

English: digits (``2014``, ``3.5``, ``1,000``), number words (``ten``,
``twenty-five``, ``two hundred``), scale words and slang (``30 grand`` is
30,000; ``5 million``), percentages.  Chinese: digits, Chinese numerals
(``十年``, ``两个``, ``三百五十``), and the units 万 (10^4) and 亿 (10^8), so
"3 万美元" and "30 grand" are both 30,000.

The lone "one"/"a" and 一 are ignored: both languages use them as articles
and in idioms ("one of them", "一些", "一直") far more often than as counts.

Ordinals, months, days and centuries ("fourth", "March", "17th", "20th
century"; 第四, 三月, 17日, 20世纪) are a second kind of value, compared when
both sides have some.  Approximate Chinese numbers are ranges (一两, 三四十,
十四五) or intervals (几百 100-999, 上万, 二十多 20-29) that an English value
may fall in.  Halves (两年半), fractions (三分之一), percent against a
decimal or a fraction, and imperial measures against their rounded metric
value ("150 feet", 50米) are read too.  Names made of letters and digits
("MP3", "A58") are compared as names by `code_mismatch`, not as numbers.
"""

from __future__ import annotations

import re
from collections import Counter

_EN_UNITS = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "one": 1,
}
_EN_SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "grand": 1000,
    "k": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "decade": 10,
    "decades": 10,
    "millions": 10**6,
    "billions": 10**9,
    # After a number only: "10 thousands of people", "two dozen".  Alone,
    # "thousands of" and "dozens" are approximate and not compared.
    "thousands": 1000,
    "hundreds": 100,
    "dozen": 12,
}
_EN_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:st|nd|rd|th)?|\.\d+|[A-Za-z]+")
# "thousandfold", "tenfold": the number before "fold".
_EN_FOLD = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|million)fold\b", re.I)
# "doubled", "tripled": a factor, as Chinese says 2倍.
_EN_FACTOR_VERBS = {"doubled": 2, "tripled": 3, "quadrupled": 4}
# 9/11 is written 911 in Chinese.
_NINE_ELEVEN = re.compile(r"(?<![\d/])9\s*[/·．.]\s*11(?![\d/])")
_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
# A number: Arabic digits (thousands separated by , or ，) and/or Chinese numerals, with 万/亿 anywhere.
# Thousands are separated by "," or, as some translations write them, by "，000"
# ("100，000"); "300，400，500次" is a list, not 300400500.
_ZH_NUM = re.compile(r"(?:\d{1,3}(?:(?:,\d{3}|，000)(?!\d))+|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿])+")


def _norm(v: float) -> float:
    return float(round(v, 6))


# Letters and digits in one token ("CO2", "G1", "3D", "H100") name a thing, not a
# quantity; the entity check looks after them.
_ALNUM_NAME = re.compile(r"(?<![A-Za-z\d.])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]+(?![A-Za-z\d]|\.\d)")
# Of those, the ones that are measures or ordinals, not names: "5km", "20th", "3D", "10x", "4K".
_UNITS = "x|k|m|km|kg|cm|mm|g|mb|gb|tb|kb|hz|ghz|mhz|mph|ft|am|pm|mg|ml|kw|kwh|mw|gw"
_MEASURE = re.compile(r"\d+(?:st|nd|rd|th|s|d|" + _UNITS + ")", re.I)
_NUMBER_WITH_UNIT = re.compile(r"(\d+)(" + _UNITS + ")", re.I)
# A decade: "1980s", "'80s" -> 80, as Chinese says 80年代.
_EN_DECADE = re.compile(r"(?:\b(?:1[89]|20)|')([1-9])0'?s\b|(?<![\d'])\b([1-9])0s\b")
# "twentysomething", "thirtysomethings": the decade of an age.
_EN_SOMETHING = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[ -]?somethings?\b", re.I)
# "a decade or two" is ten or twenty years, as 十年或二十年 says.
_EN_DECADE_OR_TWO = re.compile(r"\b(?:a\s+)?decade or two\b", re.I)
# "the 1800s" is the 19th century (19世纪): compared as an ordinal.
_EN_CENTURY_S = re.compile(r"\b(1[0-9]|20)00'?s\b")
_EN_SHORT_YEAR = re.compile(r"(?<![\w'])[‘'’](\d\d)\b(?!'?s)")
_ZH_DECADE = re.compile(r"(?:1[89]|20)?(\d)0\s*年代")


def _strip_names(text: str) -> str:
    """Remove names with digits ("CO2", "G1"); a measure keeps its number ("95kg" -> "95 kg")."""

    def name(m: re.Match[str]) -> str:
        unit = _NUMBER_WITH_UNIT.fullmatch(m.group(0))
        return f" {unit.group(1)} {unit.group(2)} " if unit else " "

    return _ALNUM_NAME.sub(name, text)


def english_numbers(text: str) -> Counter[float]:
    """Values of the numbers in English ``text`` (multiset)."""
    out: Counter[float] = Counter()
    text = _NINE_ELEVEN.sub("911", _EN_CENTURY_S.sub(" ", text))
    # "in '71" is 1971 (and "'05" 2005), as Chinese writes it.
    text = _EN_SHORT_YEAR.sub(lambda m: (" 19" if int(m.group(1)) > 30 else " 20") + m.group(1), text)
    for m in _EN_DECADE.finditer(text):
        out[_norm(int(m.group(1) or m.group(2)) * 10)] += 1
    for m in _EN_SOMETHING.finditer(text):
        out[_norm(_EN_UNITS[m.group(1).lower()])] += 1
    text = _strip_names(_EN_SOMETHING.sub(" ", _EN_DECADE.sub(" ", text)))
    text = _EN_FOLD.sub(r"\1 fold", text)
    text = _EN_DECADE_OR_TWO.sub(" 10 or 20 ", text)
    tokens = _EN_TOKEN.findall(text.replace("-", " "))
    i = 0
    while i < len(tokens):
        tok = tokens[i].lower()
        value: float | None = None
        words = 0
        last_scale = 0
        if tok[0].isdigit() or tok[0] == ".":
            if tok[-2:] in ("st", "nd", "rd", "th"):
                i += 1  # an ordinal ("20th century") is not a quantity
                continue
            value = float(tok.replace(",", ""))
            words = 1
        elif tok in _EN_UNITS:
            value = float(_EN_UNITS[tok])
            words = 1
            # "twenty five", "two hundred"
            while (
                i + words < len(tokens) and tokens[i + words].lower() in _EN_UNITS and value >= 20 and value % 10 == 0
            ):
                value += _EN_UNITS[tokens[i + words].lower()]
                words += 1
        elif tok in (
            "hundred",
            "thousand",
            "million",
            "billion",
            "trillion",
            "millions",
            "billions",
            "trillions",
            "decade",
            "decades",
            "dozen",
        ):
            # "a billion", "billions of", "a decade", "a dozen": the scale alone
            if tok == "decade" and i > 0 and tokens[i - 1].lower() in ("this", "that"):
                i += 1  # "this decade" is a time, not ten years
                continue
            value = float(_EN_SCALES[tok.rstrip("s")] if tok != "decades" else 10)
            words = 1
            if value >= 100 and not tok.endswith("s"):
                last_scale = int(value)  # "a thousand and one"
        elif tok in _EN_FACTOR_VERBS:
            value, words = float(_EN_FACTOR_VERBS[tok]), 1
        elif tok == "quarter" and [t.lower() for t in tokens[i + 1 : i + 3]] == ["of", "a"]:
            value, words = 0.25, 3  # "a quarter of a billion"
        elif (
            tok == "half"
            and i + 2 < len(tokens)
            and tokens[i + 1].lower() == "a"
            and (tokens[i + 2].lower() in _EN_SCALES)
        ):
            value, words = 0.5, 2  # "half a million"
        if value is None:
            i += 1
            continue
        if [t.lower() for t in tokens[i + words : i + words + 3]] == ["and", "a", "half"]:
            value += 0.5  # "six and a half billion", "two and a half miles"
            words += 3
        elif [t.lower() for t in tokens[i + words : i + words + 2]] == ["and", "half"]:
            value += 0.5  # "a four-and-half year period"
            words += 2
        ahead = [t.lower() for t in tokens[i + words : i + words + 4]]
        if (
            len(ahead) == 4
            and ahead[0] in ("quarter", "quarters")
            and ahead[1:3] == ["of", "a"]
            and ahead[3] in _EN_SCALES
        ):
            value *= 0.25  # "three quarters of a billion"
            words += 3
        scaled = last_scale > 0
        while (
            words
            and i + words < len(tokens)
            and tokens[i + words].lower() in _EN_SCALES
            # "five hundred thousand"; "250 hundred thousand" (a bigger scale after a smaller one)
            and (value < 1000 or 0 < last_scale < _EN_SCALES[tokens[i + words].lower()])
        ):
            last_scale = _EN_SCALES[tokens[i + words].lower()]
            value *= last_scale
            words += 1
            scaled = True
        if scaled and last_scale >= 100:
            # "two hundred (and) fifty", "thirty-five thousand eight hundred thirty"
            j = i + words + (i + words < len(tokens) and tokens[i + words].lower() == "and")
            rest, used = _en_words_below_thousand(tokens, j)
            if used and rest < last_scale:
                value += rest
                words = j - i + used
        if not scaled and value < 1000:
            # "six or eight million", "six and a half to nine billion": the scale applies to both.
            ahead = [t.lower() for t in tokens[i + words : i + words + 3]]
            if (
                len(ahead) == 3
                and ahead[0] in ("or", "to")
                and ahead[2] in ("million", "billion", "trillion")
                and (ahead[1] in _EN_UNITS or ahead[1][0].isdigit())
            ):
                value *= _EN_SCALES[ahead[2]]
        if not (tok == "one" and words == 1):
            out[_norm(value)] += 1
        i += words
    return out


_EN_WORD_UNITS = {w: v for w, v in _EN_UNITS.items() if w != "zero"}


def _en_words_below_thousand(tokens: list[str], j: int) -> tuple[float, int]:
    """A number in words below 1000 at ``tokens[j]``: "eight hundred thirty", "twenty five"; (value, tokens used)."""

    def word(k: int) -> str:
        return tokens[k].lower() if k < len(tokens) and tokens[k].lower() in _EN_WORD_UNITS else ""

    def tens_units(k: int) -> tuple[float, int]:
        w = word(k)
        if not w:
            return 0.0, 0
        v = float(_EN_WORD_UNITS[w])
        if v >= 20 and v % 10 == 0 and word(k + 1) and _EN_WORD_UNITS[word(k + 1)] < 10:
            return v + _EN_WORD_UNITS[word(k + 1)], 2
        return v, 1

    value, used = tens_units(j)
    if used and value < 10 and j + used < len(tokens) and tokens[j + used].lower() == "hundred":
        value *= 100
        used += 1
        k = j + used + (j + used < len(tokens) and tokens[j + used].lower() == "and")
        more, n = tens_units(k)
        if n:
            value += more
            used = k - j + n
    return value, used


def _below_wan(run: str) -> float | None:
    """A number below 万 in digits, Chinese numerals or both: "三百五十" 350, "3千" 3000, "十" 10."""
    if not run:
        return 0.0
    total, current = 0.0, None
    for tok in re.findall(r"\d+(?:\.\d+)?|.", run):
        if tok[0].isdigit():
            current = float(tok)
        elif tok in _ZH_DIGITS:
            current = _ZH_DIGITS[tok] if current is None else current * 10 + _ZH_DIGITS[tok]
        elif tok in _ZH_SMALL:
            total += (1 if current is None else current) * _ZH_SMALL[tok]
            current = None
        else:
            return None
    return total + (current or 0)


def _zh_numeral(run: str) -> float | None:
    """Value of a Chinese number: "七千万" 7e7, "1万3千" 13000, "两千五百万" 2.5e7, "35亿" 3.5e9."""
    run = re.sub(r"(?<=\d),(?=\d{3})|(?<=\d)，(?=000)", "", run)
    if "亿" in run:
        high, _, low = run.partition("亿")
        h, rest = _zh_numeral(high or "一"), _zh_numeral(low)
        return None if h is None or rest is None else h * 1e8 + rest
    if "万" in run:
        high, _, low = run.partition("万")
        h, rest = _below_wan(high or "一"), _below_wan(low)
        return None if h is None or rest is None else h * 1e4 + rest
    return _below_wan(run)


# Words whose numerals are not counts: 二氧化碳 (carbon dioxide), 十分 (very), 万一 (in case)...
_ZH_IDIOMS = re.compile(
    "二氧化|一氧化|十分(?![钟之])|万分|统一|唯一|之一|万物|百姓|百科|四处|四周|三角|四分卫|"
    "七嘴八舌|乱七八糟|五颜六色|一模一样|一心一意|九死一生|第一|"
    # an article, unless a numeral comes before it (二十一个 is 21)
    "(?<![零〇一二两三四五六七八九十百千万亿\\d])(?:一些|一样|一直|一起|一定|一旦|一切|一般|一致|一边|一方面|一下|一点|一种|一个)|"
    # weekdays: 周五 is Friday
    "(?<![零〇一二两三四五六七八九十百千万亿\\d])(?:周|星期|礼拜)[一二三四五六日天]"
)
# "两个半月", "两年半", "四岁半": and a half.
_ZH_HALF = re.compile(r"([零〇一二两三四五六七八九十百千万亿\d.]+)(个|年|周|岁|天|倍|星期|礼拜)半")
# "三分之一" (a third): the denominator, and the numerator unless it is 一.
_ZH_FRACTION = re.compile(r"([零〇一二两三四五六七八九十百千万亿\d]+)分之([零〇一二两三四五六七八九十百千万亿\d]+)")
_ZH_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百千\d.]+)")


# An approximate range of adjacent numerals, "一两句" (one or two), "三四十" (30-40).
_ZH_RANGE = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿\d])((?:[一二两三四五六七八九]?十)?)"
    r"([一两二三四五六七八])([两二三四五六七八九])([十百千万亿]*)"
)


def _is_range(m: re.Match[str]) -> bool:
    """Adjacent numerals (一两, 三四, 十四五) make a range; 三七 does not."""
    return _ZH_DIGITS[m.group(3)] == _ZH_DIGITS[m.group(2)] + 1


def chinese_ranges(text: str) -> list[frozenset[float]]:
    """The values each approximate range in Chinese ``text`` allows: 一两 -> {1, 2}, 三四十 -> {30, 40}."""
    out = []
    for m in _ZH_RANGE.finditer(text):
        if not _is_range(m):
            continue
        prefix, scale = m.group(1), m.group(4)
        a, b = _zh_numeral(prefix + m.group(2) + scale), _zh_numeral(prefix + m.group(3) + scale)
        if a and b:
            out.append(frozenset({_norm(a), _norm(b)}))
    return out


# Approximate numbers: 几个 (a few), 十几 (a dozen or so), 几百 / 数百 / 上百 (hundreds),
# 成千上万, 二十多 (twenty-odd), 八十几, 四十来.  Each allows an interval of values.
_ZH_APPROX_SCALE = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿\d])(?:(?:好几|几|数)([十百千万亿]+)|[上成]([百千万亿][十百千万亿]*))"
)
_ZH_APPROX_FEW = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿\d])(?:好几|几)(?![十百千万亿])")
_ZH_APPROX_TEEN = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿\d])十[几多来]")
_ZH_APPROX_ODD = re.compile(
    r"([零〇一二两三四五六七八九十百千万亿\d]*[\d零〇一二两三四五六七八九]?([十百千万亿]))[几多来](?![百千万亿])"
)


def chinese_approximations(text: str) -> list[tuple[float | None, float, float]]:
    """Approximate numbers in Chinese ``text``: (compared value or None, low, high), low <= value < high.

    几百 allows 100-999, 十几 11-19, 几个 2-9; 二十多 is compared as 20 and allows 20-29.
    """
    out: list[tuple[float | None, float, float]] = []
    text = _as_percents(text)  # 加上百分之十 is not 上百
    for m in _ZH_APPROX_SCALE.finditer(text):
        scale = _zh_numeral("一" + (m.group(1) or m.group(2)))
        if scale:
            out.append((None, scale, 10 * scale))
    out.extend((None, 2.0, 10.0) for _ in _ZH_APPROX_FEW.finditer(text))
    out.extend((None, 10.0, 20.0) for _ in _ZH_APPROX_TEEN.finditer(text))
    for m in _ZH_APPROX_ODD.finditer(text):
        base, unit = _zh_numeral(m.group(1)), _zh_numeral("一" + m.group(2))
        if base and unit and len(m.group(1)) > 1:
            out.append((_norm(base), base, base + unit))
    return out


_EN_ORDINAL_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "twentieth": 20,
    "thirtieth": 30,
    "secondly": 2,
    "thirdly": 3,
    "fourthly": 4,
    # fractions: "a third" is 三分之一, "three quarters" 四分之三
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifths": 5,
    "tenths": 10,
}
_MONTHS = {
    m: k + 1
    for k, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    )
}
_EN_ORDINAL = re.compile(
    r"\b(?i:(?:(twenty|thirty)[ -])?("
    + "|".join(_EN_ORDINAL_WORDS)
    + r"))\b|\b(\d+)(?:st|nd|rd|th)\b|\b("
    + "|".join(_MONTHS)
    + r")\b",
)
# Other ordinals: "the next day" (第二天), "Napoleon III" (三世), "3D" (三维), "the 1800s" (19世纪).
_EN_NEXT_DAY = re.compile(r"\b(?:(?:next|following) (?:day|morning|year)|day after)\b", re.I)
_WEEKDAYS = {
    d: k + 1 for k, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
}
_EN_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")s?\b")
_ZH_WEEKDAY_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_ZH_WEEKDAY = re.compile(r"(?<![零〇一二两三四五六七八九十百千万亿\d])(?:周|星期|礼拜)([一二三四五六日天])")
_EN_DIMENSIONAL = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|\d+)[ -]dimension(?:al|s)\b", re.I)
_ROMAN = {"II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
_EN_REGNAL = re.compile(r"\b[A-Z][a-z]+ (" + "|".join(_ROMAN) + r")\b")
_EN_DIMENSIONS = re.compile(r"\b([1-9])-?D\b")
# "a second" is time unless a noun follows ("a second idea" is an ordinal).
_TIME_SECOND = re.compile(
    r"\b(?:\d+|few|two|three|several|many)\s+seconds\b"
    r"|\b(?:a|one|split|half a)\s+second\b(?=\s*(?:[^\w\s]|$)|\s+(?:ago|later|or|and|to|of|for|before|after|longer|"
    r"here|there|now|then|in|on|at|I|you|we|he|she|it|they|the|that|this|is|was)\b)",
    re.IGNORECASE,
)
_ZH_ORDINAL = re.compile(
    r"第([二两三四五六七八九十百千\d][零〇一二两三四五六七八九十百千\d]*)"
    r"|([零〇一二两三四五六七八九十\d]+)(?=世纪)"
    r"|(?<![零〇一二两三四五六七八九十百千万亿\d个])(十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])(?=月)"
    r"|(?<=月)([零〇一二两三四五六七八九十\d]{1,3})(?=[日号])"
    r"|([零〇一二两三四五六七八九十百千\d]+)(?=年级|周年|岁生日)"
    r"|(?<=其)([二三四五六七八九])(?![零〇一二两三四五六七八九十百千万亿\d])"
    r"|([1-9一二三四五六七八九])(?:(?=维(?![持护修生吾也纳基京权新]))|[Dd](?![A-Za-z]))"
    r"|(?<=[\u4e00-\u9fff])([二三四五六七八九])(?=世(?![纪界]))"
)


def english_ordinals(text: str) -> Counter[float]:
    """Ordinals, dates and centuries in English: "fourth", "20th century", "February 17th" (2 and 17).

    "first" is left out, as "one" is: "at first", "first of all".  "second"
    as a unit of time ("a second") is not an ordinal; a month name counts only
    when capitalised and not the first word (the modal "May ...").  Also of
    this kind: fractions ("a third", 三分之一), "the next day" (第二天),
    regnal numbers ("Napoleon III", 三世), dimensions ("3D", 三维) and "the
    1800s" (19世纪).
    """
    out: Counter[float] = Counter()
    text = _TIME_SECOND.sub(" ", text)
    for m in _EN_ORDINAL.finditer(text):
        if m.group(2):
            out[
                _norm((_EN_UNITS[m.group(1).lower()] if m.group(1) else 0) + _EN_ORDINAL_WORDS[m.group(2).lower()])
            ] += 1
        elif m.group(3):
            out[_norm(int(m.group(3)))] += 1
        elif m.group(4) and m.start() > 0:
            out[_norm(_MONTHS[m.group(4)])] += 1
    out.update(_norm(2) for _ in _EN_NEXT_DAY.finditer(text))
    out.update(_norm(_ROMAN[m.group(1)]) for m in _EN_REGNAL.finditer(text))
    out.update(_norm(int(m.group(1))) for m in _EN_DIMENSIONS.finditer(text))
    out.update(_norm(int(m.group(1)) + 1) for m in _EN_CENTURY_S.finditer(text))
    out.update(_norm(_WEEKDAYS[m.group(1)]) for m in _EN_WEEKDAY.finditer(text))
    for m in _EN_DIMENSIONAL.finditer(text):
        n = m.group(1).lower()
        out[_norm(float(n) if n.isdigit() else _EN_UNITS[n])] += 1
    return out


def chinese_ordinals(text: str) -> Counter[float]:
    """Ordinals, months, days and centuries in Chinese: 第四, 20世纪, 3月17日 (3 and 17); 第一 is left out.

    Also 其三 (thirdly), 五年级, 200周年, 三岁生日, 三维 (3D), 拿破仑三世, weekdays (周五, Friday).
    """
    out: Counter[float] = Counter()
    out.update(_norm(_ZH_WEEKDAY_DIGITS[m.group(1)]) for m in _ZH_WEEKDAY.finditer(text))
    for m in _ZH_ORDINAL.finditer(text):
        run = next(g for g in m.groups() if g)
        value = _zh_numeral(run)
        if value is not None and value >= 1:
            out[_norm(value)] += 1
    return out


# Tenths: 三成 is 30%, 两成五 25% (and a batting average of .300 is 三成).
_ZH_TENTHS = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿\d])([二两三四五六七八九十])成([一二三四五六七八九])?"
    r"(?![为功立长本员就熟绩果年千百万亿群])"
)


def _tenths(m: re.Match[str]) -> str:
    tenths = 10 if m.group(1) == "十" else _ZH_DIGITS[m.group(1)]
    return f"、{tenths * 10 + (_ZH_DIGITS[m.group(2)] if m.group(2) else 0)}%"


def _as_percents(text: str) -> str:
    """Percentages written as N%: 百分之四十 -> 四十%, 三成 -> 30%, 一半 -> 50% ("50 percent" is 一半)."""
    text = _ZH_PERCENT.sub(lambda m: m.group(1) + "%", text)
    return _ZH_TENTHS.sub(_tenths, text).replace("一半", "、50%")


def _digits(value: float) -> str:
    """A value written back as plain digits for the numeral reader: 1e6 -> "1000000", 2.5 -> "2.5"."""
    return str(int(value)) if value == int(value) else f"{value:f}".rstrip("0")


def _fraction(m: re.Match[str]) -> str:
    """三分之二 -> its denominator and numerator, as "two thirds" has 2 and the ordinal 3."""
    den, num = _zh_numeral(m.group(1)), _zh_numeral(m.group(2))
    if not den or num is None:
        return m.group(0)
    return "、" + "、".join([_digits(den)] + ([_digits(num)] if num != 1 else [])) + "、"


def _chinese_fraction_values(text: str) -> dict[float, set[float]]:
    """The fractions in Chinese ``text`` by value, with their parts: 五分之一 -> {0.2: {5, 1}}."""
    out: dict[float, set[float]] = {}
    for m in _ZH_FRACTION.finditer(text):
        den, num = _zh_numeral(m.group(1)), _zh_numeral(m.group(2))
        if den and num is not None:
            out.setdefault(_norm(num / den), set()).update({_norm(den), _norm(num)})
    return out


def _half(m: re.Match[str]) -> str:
    value = _zh_numeral(m.group(1))
    return m.group(0) if value is None else f"、{_digits(value + 0.5)}{m.group(2)}"


def chinese_numbers(text: str) -> Counter[float]:
    """Values of the numbers in Chinese ``text`` (multiset); approximate ranges are left to `chinese_ranges`."""
    out: Counter[float] = Counter()
    text = _NINE_ELEVEN.sub("911", text)
    for m in _ZH_DECADE.finditer(text):
        out[_norm(int(m.group(1)) * 10)] += 1
    text = _strip_names(_ZH_DECADE.sub(" ", text))
    text = _ZH_ORDINAL.sub(" ", text)  # ordinals, months, days: see chinese_ordinals
    text = re.sub(r"第[零〇一二两三四五六七八九十百千\d]+", " ", text)  # 第一
    # 几 makes a number approximate: "80几岁" is 80 and more (compared as 80);
    # 十几 ("a dozen or so") and 几千万 ("tens of millions") are not compared.
    text = re.sub(r"(?<![零〇一二两三四五六七八九十百千万亿\d])十几", " ", text)
    text = re.sub(r"几[零〇一二两三四五六七八九十百千万亿\d]*", " ", text)
    text = re.sub(r"(?<![零〇一二两三四五六七八九十百千万亿\d])十来", " ", text)  # 十来种 "ten or so"
    text = re.sub(r"(?<=[十百千万])来", "", text)  # 四十来岁: about 40, compared as 40
    text = _ZH_RANGE.sub(lambda m: " " if _is_range(m) else m.group(0), text)
    text = _as_percents(text)
    text = _ZH_FRACTION.sub(_fraction, text)
    # "三、五十年" is thirty or fifty years: the scale applies to both
    text = re.sub(
        r"(?<![零〇一二两三四五六七八九十百千万亿\d])([二两三四五六七八九])[、或到至]([二两三四五六七八九])([十百千万亿]+)",
        r"\1\3、\2\3",
        text,
    )
    text = _ZH_HALF.sub(_half, text)
    text = _ZH_APPROX_SCALE.sub(" ", text)  # 数百万, 上万: see chinese_approximations
    text = re.sub(r"(?<=\d)\s+(?=[十百千万亿])|(?<=[十百千万亿])\s+(?=\d)", "", text)  # "3 千 5 百万" -> "3千5百万"
    text = re.sub(r"(?<=[\d零〇一二两三四五六七八九十百千])多(?=[百千万亿])", "", text)  # 300多亿: more than 300亿
    text = _ZH_IDIOMS.sub(" ", text)
    for m in _ZH_NUM.finditer(text):
        run = m.group(0).strip("，,")
        if run in ("一", "万", "亿", "千", "百", "十") and run != "十":
            continue  # 一 as an article; a lone scale word is not a number
        value = _zh_numeral(run)
        if value is not None:
            out[_norm(value)] += 1
    return out


_EN_FACTOR = re.compile(r"\b([\w.,-]+)\s+times\s+(?:as|more)\b", re.I)
_ZH_EXCESS_FACTOR = re.compile(r"(?:高出|多出|增加|提高|上升)了?\s*([零〇一二两三四五六七八九十百千\d.]+)\s*倍")


def number_mismatch(en: str, zh: str) -> tuple[list[float], list[float]]:
    """Numbers only in the English, and numbers only in the Chinese.

    Compared as sets: speakers repeat a number ("a billion, a billion") that
    a translation says once.  Counts matter only beside a value the other
    side lacks: "six times in six directions" against 九个方向 ... 六次 has
    one 6 too few in the Chinese, and the 9 in its place.
    """
    ec, zc = english_numbers(en), chinese_numbers(zh)
    eo, zo = english_ordinals(en), chinese_ordinals(zh)
    e, z, e_ord, z_ord = set(ec), set(zc), set(eo), set(zo)
    # A value found on the other side as either kind counts as found ("June 1"
    # has the cardinal 1, "6月1日" the day 1).  Ordinals, months and centuries
    # are compared when both sides have some.
    only_en, only_zh = e - z - z_ord, z - e - e_ord
    ord_en, ord_zh = (e_ord - z_ord - z, z_ord - e_ord - e) if e_ord and z_ord else (set(), set())
    if (only_zh or ord_zh) and not (only_en or ord_en):
        only_en = {v for v in e if ec[v] > zc[v] + zo[v]}
        ord_en = {v for v in e_ord if z_ord and eo[v] > zo[v] + zc[v]}
    elif (only_en or ord_en) and not (only_zh or ord_zh):
        only_zh = {v for v in z if zc[v] > ec[v] + eo[v]}
        ord_zh = {v for v in z_ord if e_ord and zo[v] > eo[v] + ec[v]}
    # The rest reads cardinals only: an approximate 几个 may stand for "five
    # words", not for "Friday".
    en_pct, zh_pct = _english_percents(en), _chinese_percents(zh)
    zh_fractions = _chinese_fraction_values(zh)
    for v in list(only_en):
        # ".5" against 50%, "20 percent" against 五分之一, "2,500 percent" against 25倍
        if v in en_pct and (_norm(v / 100) in only_zh or _norm(v / 100) in zh_fractions):
            only_en.discard(v)
            only_zh.discard(_norm(v / 100))
            only_zh -= zh_fractions.get(_norm(v / 100), set())
        elif v not in en_pct and _norm(v * 100) in only_zh and _norm(v * 100) in zh_pct:
            only_en.discard(v)
            only_zh.discard(_norm(v * 100))
        elif 100 <= v < 1000 and v == int(v) and _norm(v / 10) in only_zh & zh_pct and _ZH_TENTHS.search(zh):
            # a batting average: "a 300 hitter" is 击球率三成
            only_en.discard(v)
            only_zh.discard(_norm(v / 10))
    # "three times as likely" against 高出两倍: Chinese 高出 N 倍 may count the excess only.
    excess = {_norm(x) for m in _ZH_EXCESS_FACTOR.finditer(zh) if (x := _zh_numeral(m.group(1))) is not None}
    for v in [v for m in _EN_FACTOR.finditer(en) for v in english_numbers(m.group(1))]:
        if v in only_en and _norm(v - 1) in only_zh & excess:
            only_en.discard(v)
            only_zh.discard(_norm(v - 1))
    metric_zh = _chinese_metric_values(zh)
    for v, metric in english_conversions(en).items():
        # "150 feet" against 50米, "130 degrees" against 50多摄氏度: a rounded conversion
        for w in metric_zh & only_zh:
            if any(_rounds_to(x, w) for x in metric):
                only_en.discard(v)
                only_zh.discard(w)
                break
    for allowed in chinese_ranges(zh):
        # "one or two" / "a sentence or two" against 一两: any value of the range will do.
        if only_en & allowed:
            only_en -= allowed
        elif not e & allowed:
            only_zh.add(max(allowed))
    approximate = chinese_approximations(zh)
    if not only_zh - {base for base, _, _ in approximate}:
        # "10,000 parodies" against 上万个, "25 years" against 二十多年; but
        # "2000 AD" against 公元2010年 is a changed number even beside 几千年.
        for base, low, high in approximate:
            near = {v for v in only_en if low <= v < high}
            if near:
                only_en -= near
                only_zh.discard(base)
    return sorted(only_en | ord_en), sorted(only_zh | ord_zh)


_EN_PERCENT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+)\s*(?:%|percent\b|per cent\b)", re.I)
_ZH_PERCENT_VALUE = re.compile(r"([\d.零〇一二两三四五六七八九十百千万亿]+)\s*[%％]")


def _english_percents(text: str) -> set[float]:
    out = set()
    for m in _EN_PERCENT.finditer(text):
        word = m.group(1).lower()
        value = _EN_UNITS.get(word) if word.isalpha() else float(word.replace(",", ""))
        if value is not None:
            out.add(_norm(value))
    return out


def _chinese_percents(text: str) -> set[float]:
    values = (_zh_numeral(m.group(1)) for m in _ZH_PERCENT_VALUE.finditer(_as_percents(text)))
    return {_norm(v) for v in values if v is not None}


# Imperial measures and their metric equivalents, as a translation converts them.
_EN_MEASURE = re.compile(
    r"(\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+)[ -](feet|foot|ft|miles?|pounds?|lbs?|inch(?:es)?|yards?|gallons?"
    r"|degrees?(?: Fahrenheit)?|°F|megapixels?)\b",
    re.I,
)
_TO_METRIC = {
    "f": 0.3048,
    "m": 1.609344,
    "p": 0.45359237,
    "l": 0.45359237,
    "i": 2.54,
    "y": 0.9144,
    "g": 3.785,
    "x": 1e6,  # megapixels: 300 megapixels is 3亿像素
}


_ZH_METRIC = re.compile(
    r"([\d.零〇一二两三四五六七八九十百千万亿]+)\s*[多余]?\s*个?\s*(?:米|公里|千米|公斤|千克|厘米|毫米|摄氏度|°C|℃|度|升|像素)"
)


def _chinese_metric_values(text: str) -> set[float]:
    values = (_zh_numeral(m.group(1)) for m in _ZH_METRIC.finditer(text))
    return {_norm(v) for v in values if v is not None}


def _rounds_to(exact: float, shown: float) -> bool:
    """Whether a translator could write ``shown`` for a converted ``exact``: 45.7 -> 50 or 46, not 51."""
    tolerance = max(0.5, 0.02 * shown, 0.1 * shown if shown % 5 == 0 else 0.0)
    return abs(exact - shown) <= tolerance


def english_conversions(text: str) -> dict[float, list[float]]:
    """Values with an imperial unit, and the metric values a translation may give instead.

    "150 feet" -> {150: [45.72]}, "130 degrees" -> {130: [54.4]} (Fahrenheit
    to Celsius), "300 megapixels" -> {300: [3e8]}.
    """
    out: dict[float, list[float]] = {}
    for m in _EN_MEASURE.finditer(text):
        word, unit = m.group(1).lower(), m.group(2).lower()
        value = _EN_UNITS.get(word) if word.isalpha() else float(word.replace(",", ""))
        if value is None:
            continue
        if unit.startswith(("degree", "°")):
            metric = (value - 32) * 5 / 9
        else:
            metric = value * _TO_METRIC["x" if unit.startswith("mega") else unit[0]]
        out.setdefault(_norm(value), []).append(metric)
    return out


# Oxides by their Chinese names: 二氧化碳 is CO2, 一氧化碳 CO, 二氧化硫 SO2.
_ZH_OXIDE = re.compile(r"([一二三四五六七八九]?)氧化([碳硫氮])")
_OXIDE_ELEMENT = {"碳": "c", "硫": "s", "氮": "n"}


def codes(text: str) -> set[str]:
    """Names made of letters and digits in ``text``, lower-cased ("cs231n", "g1"; 二氧化碳 as "co2")."""
    codes = {m.group(0).lower() for m in _ALNUM_NAME.finditer(text) if not _MEASURE.fullmatch(m.group(0))}
    for m in _ZH_OXIDE.finditer(text):
        count = _ZH_DIGITS.get(m.group(1), 1)
        codes.add(_OXIDE_ELEMENT[m.group(2)] + "o" + (str(count) if count > 1 else ""))
    return codes


def same_code(a: str, b: str) -> bool:
    """Whether two names with digits are one: "231n" and "cs231n" (letters put in front); not "aed4" and "aed4eu"."""
    short, long = sorted((a, b), key=len)
    return a == b or (long.endswith(short) and long[: len(long) - len(short)].isalpha())


def code_mismatch(en: str, zh: str) -> tuple[list[str], list[str]]:
    """Names made of letters and digits ("A58", "MP3", "CS231N") that differ between the languages.

    Reported only when both sides have one the other lacks: a Chinese that
    renders "CO2" as 二氧化碳 has no code in its place, one that writes MP8
    for MP3 has.
    """
    e, z = codes(en), codes(zh)
    only_e = {c for c in e if not any(same_code(c, d) for d in z)}
    only_z = {d for d in z if not any(same_code(c, d) for c in e)}
    if only_e and only_z:
        return sorted(only_e), sorted(only_z)
    return [], []
