#!/usr/bin/env bash
# Run the whole test suite (a few minutes on 2 CPU cores): install what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -f scripts/install_browser.sh ]; then
  bash scripts/install_browser.sh   # headless Chromium for the review-queue browser test
fi
export HF_HUB_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
