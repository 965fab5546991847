"""Nothing lost: every sentence of a generated episode reaches the subtitles.

Episodes are generated with Hypothesis: sections of English paragraphs and a
free "translation" that merges, splits, drops and pads.  The fake embedder
makes the alignment exact-ish, but the property must hold whatever the
aligner decides: each English and each Chinese sentence appears in the
bilingual subtitle file exactly once, in order (an untranslated sentence as
an English-only cue, an addition inside its neighbour's Chinese), and the
report lists the omissions and additions.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pysrt
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from subalign.align import align_transcript
from subalign.checks import run_checks
from subalign.cues import build_cues
from subalign.model import Lang
from subalign.readers import parse_document
from subalign.segment import segment_sections
from subalign.textio import DecodedText
from subalign.timing import estimate_from_duration
from subalign.writers import Layout, get_writer

from conftest import TokenEmbedder

EN_WORDS = ["model", "data", "Tesla", "road", "brain", "school", "robot", "C++", "3.5", "U.S.", "Mr. Lee"]
ZH_WORDS = ["模型", "数据", "特斯拉", "道路", "大脑", "学校", "机器人", "GPT-4", "3.5"]


@st.composite
def episodes(draw: st.DrawFn) -> str:
    counter = iter(range(10_000))
    parts = ["## Generated episode\n\n[video](https://www.youtube.com/watch?v=abcdefghijk)\n\n这是摘要，不是翻译。\n"]
    for sec in range(draw(st.integers(1, 3))):
        en_paras, zh_paras = [], []
        for _ in range(draw(st.integers(1, 4))):
            en_sents, zh_sents = [], []
            for _ in range(draw(st.integers(1, 4))):
                k = next(counter)
                words = " ".join(draw(st.lists(st.sampled_from(EN_WORDS), min_size=1, max_size=5)))
                en_sents.append(f"Sentence #{k} is about {words}.")
                fate = draw(st.sampled_from(["keep", "keep", "keep", "drop", "merge", "pad"]))
                zh_words = "".join(draw(st.lists(st.sampled_from(ZH_WORDS), min_size=1, max_size=4)))
                if fate == "drop":
                    continue
                if fate == "merge" and zh_sents:
                    zh_sents[-1] = zh_sents[-1].rstrip("。") + f"，还有#{k}{zh_words}。"
                    continue
                if fate == "pad":
                    zh_sents.append(f"对方打趣说#{9000 + k}。")
                zh_sents.append(f"第#{k}句讲{zh_words}。")
            en_paras.append(" ".join(en_sents))
            if zh_sents:
                zh_paras.append("".join(zh_sents))
        if not zh_paras:
            zh_paras.append(f"补充说明#{8000 + sec}。")
        parts.append(f"### {sec + 1:02d}\n\n" + "\n\n".join(en_paras) + "\n\n" + "\n\n".join(zh_paras) + "\n")
    return "\n".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(episodes(), st.floats(min_value=30, max_value=5000))
@example(  # frame snapping once ran the last cue 11 ms past the episode's end
    "## Generated episode\n\n[video](https://www.youtube.com/watch?v=abcdefghijk)\n\n这是摘要，不是翻译。\n\n### 01\n\n"
    "Sentence #0 is about model. Sentence #1 is about model. Sentence #2 is about model. "
    "Sentence #3 is about model.\n\nSentence #4 is about model.\n\n"
    "第#0句讲模型。第#1句讲模型。第#2句讲模型。第#3句讲模型。\n\n第#4句讲模型。\n",
    30.78125,
)
def test_every_sentence_reaches_the_bilingual_file(text: str, duration: float) -> None:
    transcript = parse_document(DecodedText(text, "utf-8", Path("gen.md")))
    segmented = segment_sections(transcript.sections)
    en = [s.text for _, e, _ in segmented for s in e]
    zh = [s.text for _, _, z in segmented for s in z]
    alignment = align_transcript(segmented, TokenEmbedder())
    findings = run_checks(alignment)
    timed = estimate_from_duration(alignment.pairs, duration)
    cues = build_cues(timed, end_limit=duration)  # as the pipeline does

    srt_writer = get_writer("srt")
    srt = pysrt.from_string(srt_writer.dumps(cues, Layout((Lang.ZH, Lang.EN))))
    en_track = pysrt.from_string(srt_writer.dumps(cues, Layout((Lang.EN,))))
    zh_track = pysrt.from_string(srt_writer.dumps(cues, Layout((Lang.ZH,))))
    got_en = [item.text for item in en_track]
    got_zh = [item.text.replace("\n", "") for item in zh_track]
    assert " ".join(got_en).split() == " ".join(en).split()
    assert "".join(got_zh) == "".join(zh)
    # The bilingual file holds exactly the lines of both tracks.
    assert sum(len(i.text.split("\n")) for i in srt) == sum(
        len(i.text.split("\n")) for track in (en_track, zh_track) for i in track
    )
    # Times are ordered, inside the duration, and never empty.
    assert all(a.start <= b.start for a, b in itertools.pairwise(srt))
    assert all(item.end > item.start for item in srt)
    assert srt[-1].end.ordinal <= round(duration * 1000) + 1
    # The report side: every unaligned sentence is a finding.
    omitted = {i for p in alignment.omissions for i in (s.index for s in p.en)}
    added = {i for p in alignment.additions for i in (s.index for s in p.zh)}
    assert omitted == {i for f in findings if f.kind == "omission" for i in f.en}
    assert added == {i for f in findings if f.kind == "addition" for i in f.zh}
    # The summary is never aligned.
    assert "这是摘要" not in "".join(got_zh)
