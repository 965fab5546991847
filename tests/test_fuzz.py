"""Every reader of user input, fed mutated real-shaped files: one-line errors, never a traceback.

A short run here; ``benchmarks/fuzz.py`` runs 10,000 inputs per reader.
The Hypothesis test builds Markdown transcripts from the pieces real ones
are made of and checks that what is read as speech carries no markup.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subalign.errors import SubalignError
from subalign.readers import read_transcript

import fuzz_gen


@pytest.fixture(scope="module")
def fuzz_seeds(tmp_path_factory: pytest.TempPathFactory, ffmpeg: str) -> dict[str, list[bytes]]:
    return fuzz_gen.seeds(tmp_path_factory.mktemp("seeds"), ffmpeg)


@pytest.mark.parametrize("name", [t.name for t in fuzz_gen.targets(Path("/tmp"))])
def test_mutated_inputs_fail_cleanly(tmp_path: Path, fuzz_seeds: dict[str, list[bytes]], name: str) -> None:
    (target,) = [t for t in fuzz_gen.targets(tmp_path) if t.name == name]
    outcome = fuzz_gen.run(target, fuzz_seeds[name], 150, tmp_path, random.Random(name))
    assert outcome.crashes == [], outcome.crashes[:3]
    assert outcome.accepted > 0  # the seeds themselves mostly survive small edits


_EN = st.sampled_from(["We built the model.", "It works on the road!", "Is that right?", "Yeah.", "So we tried it."])
_ZH = st.sampled_from(["我们做了模型。", "它在路上能用！", "是这样吗？", "是的。", "所以我们试了。"])
_NAMES = st.sampled_from(["Sarah", "Andrej", "Lex Fridman"])


@st.composite
def markdown_transcripts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["en", "zh", "label", "zh_label", "heading", "list", "quote", "code", "image",
                                     "table", "bold", "link", "tags", "chapters"]))
        en, zh, name = draw(_EN), draw(_ZH), draw(_NAMES)
        parts.append({
            "en": en, "zh": zh, "label": f"**{name}:** {en}", "zh_label": f"**{name}：** {zh}",
            "heading": f"## **0{draw(st.integers(1, 9))}.** {en}", "list": f"- {zh}\n- *{en}*",
            "quote": f"> {zh}", "code": f"```\n{zh}\n```", "image": "![](cover.png)",
            "table": f"| a | b |\n|---|---|\n| {zh} | {en} |", "bold": f"**{zh.rstrip('。')}**",
            "link": f"[{en}](https://example.com)", "tags": "#人工智能 #AI", "chapters": "0:00 开场\n5:10 正题",
        }[kind])
    return "\n\n".join(parts) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=markdown_transcripts())
def test_markdown_speech_carries_no_markup(tmp_path: Path, text: str) -> None:
    f = tmp_path / "ep.md"
    f.write_text(text, encoding="utf-8")
    try:
        t = read_transcript(f)
    except SubalignError as exc:
        assert "\n" not in str(exc)
        return
    for section in t.sections:
        for p in (*section.en, *section.zh):
            assert "**" not in p.text and "](" not in p.text and "```" not in p.text and "|---" not in p.text
            assert not p.text.startswith(("Sarah:", "Andrej:", "Lex Fridman:", "#"))
