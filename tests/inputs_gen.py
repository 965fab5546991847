"""Episodes laid out the way people publish them, built from the sample's first section.

Each function writes one real-world layout of the same speech and its
translation: an LLM chat export of the Chinese (preamble, summary, outline,
chapter list, tags, mind map, bold topic headings, speaker labels with a
full-width colon, a closing note), a Notion/Obsidian page (front matter,
title, metadata blockquote, TOC plugin block, image, English heading,
callout), English ASR transcripts (Rev ``Name (00:01:02):``, Descript
``[00:01:02] Name: text``, plain ``Name:``), a YouTube "Show transcript"
copy, and a single interleaved file with ``[Name]`` labels.  The speech is
the sample's; the layouts are what those tools write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from subalign.readers import read_transcript

from conftest import SAMPLE

# Who speaks each paragraph of the sample's first section (No Priors: Sarah Guo and Elad Gil host).
SPEAKERS = ["Sarah", "Andrej", "Elad", "Andrej", "Andrej", "Sarah", "Andrej", "Elad", "Andrej", "Sarah",
            "Andrej", "Elad", "Andrej", "Andrej", "Andrej"]
ZH_NAMES = {"Sarah": "莎拉", "Andrej": "安德烈", "Elad": "埃拉德"}
# The topics the two parts of the section are about, as an LLM would head them.
TOPICS = [(0, "开场介绍", "Welcome"), (5, "监管还是技术", "Regulation or technology")]
CHAPTERS = [(0, "开场介绍"), (75, "监管还是技术")]


@dataclass(frozen=True)
class Speech:
    en: list[str]
    zh: list[str]


def first_section() -> Speech:
    sec = read_transcript(SAMPLE).sections[0]
    return Speech([p.text for p in sec.en], [p.text for p in sec.zh])


def _ts(seconds: float, hours: bool = False) -> str:
    s = int(seconds)
    if hours or s >= 3600:
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def paragraph_times(en: list[str], seconds_per_char: float = 0.06) -> list[float]:
    out, t = [], 0.0
    for p in en:
        out.append(round(t, 1))
        t += len(p) * seconds_per_char
    return out


def llm_chat_zh(speech: Speech) -> str:
    """What a chat assistant returns when asked to translate and organise the interview."""
    parts = [
        "好的，根据您提供的访谈英文原文，以下是整理后的中文翻译，并附有摘要、大纲和章节：",
        "## 内容摘要",
        "本期节目中，主持人与嘉宾讨论了自动驾驶的现状、Waymo 与 Tesla 的技术路线差异，"
        "以及端到端神经网络如何逐步取代人工编写的代码。",
        "## 大纲",
        "- 自动驾驶从演示到大规模应用\n- Waymo 与 Tesla 的优势对比\n- 软件问题与硬件问题\n- 端到端神经网络",
        "## 章节",
        "\n".join(f"{_ts(t)} {title}" for t, title in CHAPTERS),
        "#人工智能 #自动驾驶 #特斯拉",
        "```mermaid\nmindmap\n  root((访谈))\n    自动驾驶\n    神经网络\n```",
        "---",
    ]
    starts = {k: title for k, title, _ in TOPICS}
    for k, (text, who) in enumerate(zip(speech.zh, SPEAKERS, strict=False)):
        if k in starts:
            parts.append(f"**{starts[k]}**")
        parts.append(f"**{ZH_NAMES[who]}：** {text}")
    parts += ["---", "希望这份翻译对您有所帮助！如果需要调整译文风格或补充内容，请随时告诉我。"]
    return "\n\n".join(parts) + "\n"


def notion_zh(speech: Speech) -> str:
    """A Notion or Obsidian page holding the Chinese rendering."""
    parts = [
        "---\ntitle: 与 Andrej Karpathy 的对话\ntags: [播客, AI]\ncreated: 2024-09-08\n---",
        "# 与 Andrej Karpathy 的对话（No Priors 第 80 期）",
        "> 来源：[YouTube](https://www.youtube.com/watch?v=hM_h0UA7upI)\n> 日期：2024-09-08 · 译者：某某",
        "```table-of-contents\ntitle: 目录\n```",
        "![封面](cover.png)",
        "![[karpathy.jpg]]",
        "## **01.** Tesla and Waymo",
    ]
    for k, text in enumerate(speech.zh):
        if k == 5:
            parts.append("## **02.** Regulation versus technology")
            parts.append("> [!note] 译者注\n> 本节讨论监管与技术，原文口语化较强，译文略有整理。")
        parts.append(text)
    parts.append("| 术语 | 说明 |\n|---|---|\n| FSD | 完全自动驾驶 |")
    return "\n\n".join(parts) + "\n"


def rev_en(speech: Speech) -> str:
    """Rev's transcript export: ``Name (hh:mm:ss):`` on its own line before each turn."""
    times = paragraph_times(speech.en)
    parts = [f"{who} ({_ts(t, hours=True)}):\n{text}" for text, who, t in zip(speech.en, SPEAKERS, times, strict=False)]
    return "\n\n".join(parts) + "\n"


def descript_en(speech: Speech) -> str:
    """Descript's export: ``[hh:mm:ss] Name: text``."""
    times = paragraph_times(speech.en)
    lines = [f"[{_ts(t, hours=True)}] {who}: {text}" for text, who, t in zip(speech.en, SPEAKERS, times, strict=False)]
    return "\n\n".join(lines) + "\n"


def plain_labels_en(speech: Speech) -> str:
    return "\n\n".join(f"{who}: {text}" for text, who in zip(speech.en, SPEAKERS, strict=False)) + "\n"


def youtube_copy_en(speech: Speech, words_per_snippet: int = 9) -> tuple[str, list[float]]:
    """YouTube's "Show transcript" panel copied: a time line before each snippet of an auto track."""
    times = paragraph_times(speech.en)
    lines: list[str] = []
    for text, t0 in zip(speech.en, times, strict=True):
        words = re.sub(r"[^\w\s'-]", "", text.lower()).split()
        rate = len(text) * 0.06 / max(1, len(words))
        for k in range(0, len(words), words_per_snippet):
            lines += [_ts(t0 + k * rate), " ".join(words[k : k + words_per_snippet])]
    return "\n".join(lines) + "\n", times


def interleaved_brackets(speech: Speech) -> str:
    """One file, each English turn followed by its Chinese, with ``[Name]`` labels and English headings."""
    parts = ["# No Priors Ep. 80 — bilingual transcript", "[Watch on YouTube](https://youtu.be/hM_h0UA7upI)"]
    starts = {k: en for k, _, en in TOPICS}
    for k, (en, zh, who) in enumerate(zip(speech.en, speech.zh, SPEAKERS, strict=False)):
        if k in starts:
            parts.append(f"## {starts[k]}")
        parts.append(f"[{who}] {en}")
        parts.append(f"[{ZH_NAMES[who]}] {zh}")
    return "\n\n".join(parts) + "\n"
