#!/usr/bin/env bash
# Install headless Chromium and its driver (Debian packages) for the browser tests of the
# review queue and the report. Idempotent: does nothing when both are already there.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# Quiet unless it fails; then show apt's own words.
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver; } \
    >"$log" 2>&1; then
  cat "$log" >&2
  echo "error: could not install chromium and chromium-driver" >&2
  exit 1
fi
