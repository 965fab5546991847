"""Standard Chinese renderings of common Latin names and acronyms.

A translation that writes 人工智能 for "AI" or 激光雷达 for "LiDAR" renders
the name; the entity check should not ask a reviewer to confirm it.  The
table holds terms and acronyms whose Chinese rendering is the norm in
technical and news writing.  Brand, company and place names are left out
on purpose: a translation that keeps "Tesla" in Latin letters everywhere
but once should use one form (a consistency finding), and a brand's Chinese
name is exactly what a reviewer must confirm ("Unitree" -> "优趣科技" is
wrong; 宇树科技 is the company's own name).

Keys are lower-case names; each entry gives the Chinese renderings and the
English phrases the name may stand for ("LLM" for "language model").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownRendering:
    """How a name is rendered in Chinese, and what English it abbreviates."""

    chinese: tuple[str, ...]
    english: tuple[str, ...] = ()


KNOWN_RENDERINGS: dict[str, KnownRendering] = {
    "ai": KnownRendering(("人工智能",), ("artificial intelligence",)),
    "agi": KnownRendering(("通用人工智能",), ("artificial general intelligence", "general intelligence")),
    "asi": KnownRendering(("超级人工智能", "超级智能"), ("superintelligence",)),
    "llm": KnownRendering(("大语言模型", "大型语言模型", "语言模型"), ("large language model", "language model")),
    "llms": KnownRendering(("大语言模型", "大型语言模型", "语言模型"), ("large language model", "language model")),
    "ml": KnownRendering(("机器学习",), ("machine learning",)),
    "rl": KnownRendering(("强化学习",), ("reinforcement learning",)),
    "nlp": KnownRendering(("自然语言处理",), ("natural language processing",)),
    "gpu": KnownRendering(("图形处理器", "显卡"), ("graphics processing unit", "graphics card")),
    "gpus": KnownRendering(("图形处理器", "显卡"), ("graphics processing unit", "graphics card")),
    "cpu": KnownRendering(("中央处理器", "处理器"), ("central processing unit", "processor")),
    "lidar": KnownRendering(("激光雷达",)),
    "api": KnownRendering(("应用程序接口", "接口"), ("application programming interface",)),
    "apis": KnownRendering(("应用程序接口", "接口"), ("application programming interface",)),
    "ui": KnownRendering(("用户界面", "界面"), ("user interface",)),
    "vr": KnownRendering(("虚拟现实",), ("virtual reality",)),
    "ar": KnownRendering(("增强现实",), ("augmented reality",)),
    "iot": KnownRendering(("物联网",), ("internet of things",)),
    "ceo": KnownRendering(("首席执行官", "总裁")),
    "cto": KnownRendering(("首席技术官",)),
    "cfo": KnownRendering(("首席财务官",)),
    "phd": KnownRendering(("博士",)),
    "dna": KnownRendering(("脱氧核糖核酸", "基因")),
    "gdp": KnownRendering(("国内生产总值",), ("gross domestic product",)),
    "us": KnownRendering(("美国",), ("united states",)),
    "usa": KnownRendering(("美国",), ("united states",)),
    "uk": KnownRendering(("英国",), ("united kingdom",)),
    "eu": KnownRendering(("欧盟",), ("european union",)),
    "un": KnownRendering(("联合国",), ("united nations",)),
    "nasa": KnownRendering(("美国国家航空航天局", "美国宇航局", "美国航天局")),
    "b2b": KnownRendering(("企业对企业",), ("business to business", "business-to-business")),
    "b2c": KnownRendering(("企业对消费者",), ("business to consumer", "business-to-consumer")),
    # Letters that label alternatives ("we could do A, or we could do B") are the celestial stems.
    "a": KnownRendering(("甲",)),
    "b": KnownRendering(("乙",)),
    "c": KnownRendering(("丙",)),
    "d": KnownRendering(("丁",)),
}


def rendered_in(name: str, chinese: str) -> bool:
    """Whether ``chinese`` holds ``name`` in Latin letters or a standard rendering of it."""
    key = name.lower()
    if key in chinese.lower():
        return True
    known = KNOWN_RENDERINGS.get(key)
    return known is not None and any(c in chinese for c in known.chinese)


def is_standard_rendering(name: str, chinese_name: str) -> bool:
    """Whether ``chinese_name`` is a standard rendering of ``name`` ("激光雷达" for "LiDAR")."""
    known = KNOWN_RENDERINGS.get(name.lower())
    return known is not None and chinese_name in known.chinese


def stands_for(name: str, english: str) -> bool:
    """Whether ``english`` says what the acronym ``name`` stands for ("LLM" in "… language models …")."""
    known = KNOWN_RENDERINGS.get(name.lower())
    text = " ".join(english.lower().replace("-", " ").split())
    return known is not None and any(e.replace("-", " ") in text for e in known.english)
