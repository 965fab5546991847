"""A byte-level mutator and the reader targets it is run against.

Used by the fuzz test (a short run in CI) and by ``benchmarks/fuzz.py``
(10,000 inputs per reader).  Each target reads one mutated file the way the
CLI does; the contract is that it either succeeds or raises
:class:`~subalign.errors.SubalignError` (one line, a documented exit code),
never anything else.  The mutations are the ones real files suffer:
truncation, flipped bytes, lost or doubled line ends, a BOM or NUL in the
middle, pieces of other formats spliced in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from subalign.errors import SubalignError

# Fragments that mean something to one of the readers.
TOKENS: tuple[bytes, ...] = (
    b"-->", b" --> ", b"\r\n", b"\n\n", b"\r", b"\x00", b"\xef\xbb\xbf", b"**", b"__", b"```", b"~~~", b"---\n",
    b"# ", b"## ", b"### 01\n", b"- ", b"1. ", b"> ", b"> [!note] ", b"|---|---|\n", b"![](x.png)", b"[a](http://b)",
    b"<div>", b"</p>", b"<s t=\"1\">", b"<p t=\"x\" d=\"1\">", b"{", b"}", b"\"events\":", b"\"segs\":[", b"null",
    b"00:00:01,000", b"00:00:01.000", b"99:99:99,999", b"0:38\n", b"[00:01:02] ", b"Sarah (00:12:03):", b"[Music]",
    "莱克斯：".encode(), "**莎拉：**".encode(), "。".encode(), "\ufffd".encode(), b"\xff\xfe", b"\xe4\xb8",
    b"<00:00:01.500><c>", b"WEBVTT\n", b"NOTE x\n", b"[Script Info]\n", b"Dialogue: 0,0:00:01.00,0:00:02.00,",
    b"<!ENTITY a \"b\">", b"=" * 5, b"\t", b"    ",
)


def mutate(seed: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One to four random edits of ``seed``."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        pos = rng.randint(0, len(data)) if data else 0
        if op < 0.2 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.35:
            del data[pos : pos + rng.randint(1, 64)]
        elif op < 0.55:
            data[pos:pos] = rng.choice(TOKENS)
        elif op < 0.65 and data:
            a = rng.randrange(len(data))
            data[pos:pos] = data[a : a + rng.randint(1, 200)]
        elif op < 0.75:
            del data[pos:]
        elif op < 0.85 and others:
            other = rng.choice(others)
            a = rng.randrange(len(other) or 1)
            data[pos:pos] = other[a : a + rng.randint(1, 300)]
        elif op < 0.92:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            data = bytearray(data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"", b"\n\n"])))
    return bytes(data)


@dataclass(frozen=True)
class Target:
    """A reader to fuzz: the file suffix its inputs get, and how the CLI would read such a file."""

    name: str
    suffix: str
    read: Callable[[Path], object]


def targets(workdir: Path) -> list[Target]:
    """Every reader of user input, as the CLI calls it."""
    from subalign.lint import lint_cues, read_subtitles
    from subalign.readers import read_transcript
    from subalign.readers.captions import read_caption_track
    from subalign.style import PROFILES, load_profile

    english = workdir / "fixed.en.txt"
    english.write_text("Hello there. This is the English side.\n\nA second paragraph.\n", encoding="utf-8")

    def lint(path: Path) -> object:
        return lint_cues(read_subtitles(path), PROFILES["netflix"])

    return [
        Target("transcript-md", ".md", read_transcript),
        Target("transcript-txt", ".txt", read_transcript),
        Target("two-files-zh", ".zh.md", lambda p: read_transcript(english, p)),
        Target("captions-srt", ".srt", read_caption_track),
        Target("captions-vtt", ".vtt", read_caption_track),
        Target("captions-json3", ".json3", read_caption_track),
        Target("captions-srv3", ".srv3", read_caption_track),
        Target("lint-srt", ".srt", lint),
        Target("lint-vtt", ".vtt", lint),
        Target("lint-ass", ".ass", lint),
        Target("profile-toml", ".toml", load_profile),
    ]


@dataclass
class Outcome:
    """How a fuzz run went for one target."""

    inputs: int = 0
    accepted: int = 0
    refused: int = 0
    crashes: list[tuple[bytes, str]] | None = None


def run(target: Target, seeds: list[bytes], count: int, workdir: Path, rng: random.Random) -> Outcome:
    """Feed ``count`` mutated seeds to ``target``; record any exception that is not a SubalignError."""
    out = Outcome(crashes=[])
    path = workdir / f"input{target.suffix}"
    for _ in range(count):
        data = mutate(rng.choice(seeds), rng, seeds)
        path.write_bytes(data)
        out.inputs += 1
        try:
            target.read(path)
            out.accepted += 1
        except SubalignError as exc:
            out.refused += 1
            if "\n" in str(exc):
                assert out.crashes is not None
                out.crashes.append((data, f"multi-line error: {exc!r}"))
        except Exception as exc:  # the contract being tested: nothing but SubalignError escapes
            assert out.crashes is not None
            out.crashes.append((data, f"{type(exc).__name__}: {exc}"))
    return out


def seeds(tmp: Path, ffmpeg: str | None = None) -> dict[str, list[bytes]]:
    """Real-shaped inputs for each target: the layouts of `inputs_gen`, YouTube's caption formats, our outputs."""
    import subprocess

    import captions_gen as cg
    import inputs_gen as gen

    golden = Path(__file__).resolve().parent / "golden"
    speech = gen.first_section()
    short = gen.Speech(speech.en[:4], speech.zh[:4])
    words, starts = cg.speak(short.en, intro=2.0)
    vtt = cg.auto_vtt(words)
    srt_variants = [cg.manual_srt(short.en, starts, words).encode()]
    if ffmpeg:
        src = tmp / "seed.vtt"
        src.write_text(vtt, encoding="utf-8")
        subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(src), str(tmp / "seed.srt")], check=True)
        srt_variants.append((tmp / "seed.srt").read_bytes())
    one_language = [
        gen.llm_chat_zh(short).encode(),
        gen.notion_zh(short).encode(),
        gen.rev_en(short).encode(),
        gen.youtube_copy_en(short)[0].encode(),
    ]
    bilingual = [
        gen.interleaved_brackets(short).encode(),
        ("### 01\n\n" + "\n\n".join(short.en) + "\n\n" + "\n\n".join(short.zh) + "\n").encode("gb18030"),
        ("# English\n\n" + gen.descript_en(short) + "\n# 中文\n\n" + gen.llm_chat_zh(short)).encode(),
    ]
    subtitles = {ext: [f.read_bytes() for f in sorted(golden.glob(f"*.{ext}"))] for ext in ("srt", "vtt", "ass")}
    return {
        "transcript-md": bilingual + one_language[:1],
        "transcript-txt": bilingual + one_language[2:3],
        "two-files-zh": one_language[:2],
        "captions-srt": srt_variants,
        "captions-vtt": [vtt.encode()],
        "captions-json3": [cg.json3(words).encode()],
        "captions-srv3": [cg.srv3(words).encode()],
        "lint-srt": subtitles["srt"],
        "lint-vtt": subtitles["vtt"],
        "lint-ass": subtitles["ass"],
        "profile-toml": [b'base = "netflix"\nen_chars_per_line = 40\nzh_punctuation = "spaces"\ndialogue = "dash"\n',
                         b'base = "bbc"\nname = "mine"\nmax_duration = 6.5\n'],
    }
