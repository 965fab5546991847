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
both sides have some.  Approximate Chinese numbers (一两, 三四十, 十几, 几千)
are ranges or left out.
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
    "dozen": 12,
    "decade": 10,
    "decades": 10,
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
}
_EN_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:st|nd|rd|th)?|[A-Za-z]+")
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
_ZH_NUM = re.compile(r"(?:\d{1,3}(?:[,，]\d{3})+|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿])+")


def _norm(v: float) -> float:
    return float(round(v, 6))


# Letters and digits in one token ("CO2", "G1", "3D", "H100") name a thing, not a
# quantity; the entity check looks after them.
_ALNUM_NAME = re.compile(r"(?<![\w.])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]+(?![\w.])")
# A decade: "1980s", "'80s" -> 80, as Chinese says 80年代.
_EN_DECADE = re.compile(r"(?:\b(?:1[89]|20)|')(\d)0'?s\b")
_ZH_DECADE = re.compile(r"(?:1[89]|20)?(\d)0\s*年代")


def _strip_names(text: str) -> str:
    return _ALNUM_NAME.sub(" ", text)


def english_numbers(text: str) -> Counter[float]:
    """Values of the numbers in English ``text`` (multiset)."""
    out: Counter[float] = Counter()
    for m in _EN_DECADE.finditer(text):
        out[_norm(int(m.group(1)) * 10)] += 1
    text = _strip_names(_EN_DECADE.sub(" ", text))
    tokens = _EN_TOKEN.findall(text.replace("-", " "))
    i = 0
    while i < len(tokens):
        tok = tokens[i].lower()
        value: float | None = None
        words = 0
        if tok[0].isdigit():
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
        ):
            # "a billion", "billions of", "a decade": the scale alone
            value = float(_EN_SCALES[tok.rstrip("s")] if tok != "decades" else 10)
            words = 1
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
        scaled = False
        while words and i + words < len(tokens) and tokens[i + words].lower() in _EN_SCALES and value < 1000:
            value *= _EN_SCALES[tokens[i + words].lower()]
            words += 1
            scaled = True
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
    run = re.sub(r"(?<=\d)[,，](?=\d{3})", "", run)
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
    "二氧化|一氧化|十分|万分|一些|一样|一直|一起|一定|一旦|一切|一般|一致|一边|一方面|统一|唯一|之一|"
    "万物|百姓|百科|四处|四周|三角|七嘴八舌|乱七八糟|五颜六色|一模一样|一心一意|九死一生|第一|一下|一点|一种|一个"
)
_ZH_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百千\d.]+)")


# An approximate range of adjacent numerals, "一两句" (one or two), "三四十" (30-40).
_ZH_RANGE = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿\d])([一两二三四五六七八])([两二三四五六七八九])([十百千万亿]*)"
)


def _is_range(m: re.Match[str]) -> bool:
    """Adjacent numerals (一两, 三四) make a range; 三七 does not."""
    return _ZH_DIGITS[m.group(2)] == _ZH_DIGITS[m.group(1)] + 1


def chinese_ranges(text: str) -> list[frozenset[float]]:
    """The values each approximate range in Chinese ``text`` allows: 一两 -> {1, 2}, 三四十 -> {30, 40}."""
    out = []
    for m in _ZH_RANGE.finditer(text):
        if not _is_range(m):
            continue
        a, b = _ZH_DIGITS[m.group(1)], _ZH_DIGITS[m.group(2)]
        scale = _zh_numeral("一" + m.group(3)) if m.group(3) else 1.0
        if scale:
            out.append(frozenset({_norm(a * scale), _norm(b * scale)}))
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
    r"\b(?:(twenty|thirty)[ -])?("
    + "|".join(_EN_ORDINAL_WORDS)
    + r")\b|\b(\d+)(?:st|nd|rd|th)\b|\b("
    + "|".join(_MONTHS)
    + r")\b",
)
_TIME_SECOND = re.compile(r"\b(?:a|one|split|few|\d+|two|three|several)\s+seconds?\b", re.IGNORECASE)
_ZH_ORDINAL = re.compile(
    r"第([二两三四五六七八九十百千\d][零〇一二两三四五六七八九十百千\d]*)"
    r"|([零〇一二两三四五六七八九十\d]+)(?=世纪)"
    r"|(?<![零〇一二两三四五六七八九十百千万亿\d个])(十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])(?=月)"
    r"|(?<=月)([零〇一二两三四五六七八九十\d]{1,3})(?=[日号])"
)


def english_ordinals(text: str) -> Counter[float]:
    """Ordinals, dates and centuries in English: "fourth", "20th century", "February 17th" (2 and 17).

    "first" is left out, as "one" is: "at first", "first of all".  "second"
    as a unit of time ("a second") is not an ordinal; a month name counts only
    when capitalised and not the first word (the modal "May ...").
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
    return out


def chinese_ordinals(text: str) -> Counter[float]:
    """Ordinals, months, days and centuries in Chinese: 第四, 20世纪, 3月17日 (3 and 17); 第一 is left out."""
    out: Counter[float] = Counter()
    for m in _ZH_ORDINAL.finditer(text):
        run = next(g for g in m.groups() if g)
        value = _zh_numeral(run)
        if value is not None and value >= 1:
            out[_norm(value)] += 1
    return out


def chinese_numbers(text: str) -> Counter[float]:
    """Values of the numbers in Chinese ``text`` (multiset); approximate ranges are left to `chinese_ranges`."""
    out: Counter[float] = Counter()
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
    text = _ZH_PERCENT.sub(lambda m: m.group(1) + "%", text)  # 百分之四十 -> 四十%
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


def number_mismatch(en: str, zh: str) -> tuple[list[float], list[float]]:
    """Numbers only in the English, and numbers only in the Chinese.

    Compared as sets: speakers repeat a number ("a billion, a billion") that
    a translation says once.
    """
    e, z = set(english_numbers(en)), set(chinese_numbers(zh))
    only_en, only_zh = e - z, z - e
    # Ordinals, months and centuries are compared when both sides have some;
    # a value found on the other side as either kind counts as found ("June 1"
    # has the cardinal 1, "6月1日" the day 1).
    e_ord, z_ord = set(english_ordinals(en)), set(chinese_ordinals(zh))
    if e_ord and z_ord:
        only_en |= e_ord - z_ord
        only_zh |= z_ord - e_ord
    only_en -= z | z_ord
    only_zh -= e | e_ord
    for allowed in chinese_ranges(zh):
        # "one or two" / "a sentence or two" against 一两: any value of the range will do.
        if only_en & allowed:
            only_en -= allowed
        elif not e & allowed:
            only_zh.add(max(allowed))
    return sorted(only_en), sorted(only_zh)
