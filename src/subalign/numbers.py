"""Numbers in English and Chinese text, as comparable values.

English: digits (``2014``, ``3.5``, ``1,000``), number words (``ten``,
``twenty-five``, ``two hundred``), scale words and slang (``30 grand`` is
30,000; ``5 million``), percentages.  Chinese: digits, Chinese numerals
(``十年``, ``两个``, ``三百五十``), and the units 万 (10^4) and 亿 (10^8), so
"3 万美元" and "30 grand" are both 30,000.

The lone "one"/"a" and 一 are ignored: both languages use them as articles
and in idioms ("one of them", "一些", "一直") far more often than as counts.
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
}
_EN_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[A-Za-z]+")
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
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_NUM = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s*([万亿]*)")


def _norm(v: float) -> float:
    return float(round(v, 6))


def english_numbers(text: str) -> Counter[float]:
    """Values of the numbers in English ``text`` (multiset)."""
    tokens = _EN_TOKEN.findall(text.replace("-", " "))
    out: Counter[float] = Counter()
    i = 0
    while i < len(tokens):
        tok = tokens[i].lower()
        value: float | None = None
        words = 0
        if tok[0].isdigit():
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
        elif tok in ("million", "billion", "trillion", "millions", "billions", "trillions"):
            # "a billion", "billions of": the scale alone
            value = float(_EN_SCALES[tok.rstrip("s")])
            words = 1
        if value is None:
            i += 1
            continue
        while words and i + words < len(tokens) and tokens[i + words].lower() in _EN_SCALES and value < 1000:
            value *= _EN_SCALES[tokens[i + words].lower()]
            words += 1
        if not (tok == "one" and words == 1):
            out[_norm(value)] += 1
        i += words
    return out


def _zh_numeral(run: str) -> float | None:
    """Value of a run of Chinese numerals below 万: "三百五十" -> 350, "十" -> 10."""
    total, current = 0, None
    for ch in run:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch] if current is None else current * 10 + _ZH_DIGITS[ch]
        elif ch in _ZH_SMALL:
            total += (1 if current is None else current) * _ZH_SMALL[ch]
            current = None
        else:
            return None
    return float(total + (current or 0))


def chinese_numbers(text: str) -> Counter[float]:
    """Values of the numbers in Chinese ``text`` (multiset)."""
    out: Counter[float] = Counter()
    for m in _ZH_NUM.finditer(text):
        run, scales = m.group(1), m.group(2)
        if run[0].isdigit():
            value: float | None = float(run.replace(",", ""))
        else:
            if run == "一" and not scales:
                continue  # 一些, 一直, 一个: an article, not a count
            value = _zh_numeral(run)
        if value is None:
            continue
        for ch in scales:
            value *= _ZH_BIG[ch]
        out[_norm(value)] += 1
    return out


def number_mismatch(en: str, zh: str) -> tuple[list[float], list[float]]:
    """Numbers only in the English, and numbers only in the Chinese.

    Compared as sets: speakers repeat a number ("a billion, a billion") that
    a translation says once.
    """
    e, z = set(english_numbers(en)), set(chinese_numbers(zh))
    return sorted(e - z), sorted(z - e)
