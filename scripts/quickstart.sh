#!/usr/bin/env bash
# The main job on a fresh machine: install, fine-tune the default model unless models/default
# already holds it (about 19 minutes on 2 CPU cores with bf16 instructions, more without), label the sample
# bill and assess it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1

# Trains models/default unless it already holds a model of this very recipe and data: a folder of an earlier
# recipe (or of earlier annotations) is retrained, and a second run of this script goes straight to labelling.
.venv/bin/clauseclf train configs/train/default.yaml --output models/default --force --unless-current
.venv/bin/clauseclf label data/examples --model models/default --output predictions.jsonl --force
# The same predictions as one page a reviewer opens in a browser (self-contained, no network).
.venv/bin/clauseclf report predictions.jsonl --output report.html --force
# The bill against the UN human-rights office's fifteen asks: assessment/assessment.{json,md,html}.
echo "assessing the sample: Parts I-III of the Act (ss. 1-46A), without its Parts on investigation powers and cooperation"
.venv/bin/clauseclf assess data/examples/ke_computer_misuse_and_cybercrimes_act_2018.txt --model models/default --output assessment --force
