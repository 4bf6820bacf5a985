#!/usr/bin/env bash
# The main job on a fresh machine: install, fine-tune the default model if models/default
# is not there yet (about 5 minutes on 2 CPU cores), label the sample bill.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1

if [ ! -f models/default/model.safetensors ]; then
  .venv/bin/clauseclf train configs/train/default.yaml --output models/default
fi
.venv/bin/clauseclf label data/examples --model models/default --output predictions.jsonl --force
# The same predictions as one page a reviewer opens in a browser (self-contained, no network).
.venv/bin/clauseclf report predictions.jsonl --output report.html --force
