#!/usr/bin/env bash
# Install Chromium from the distribution's packages if it is missing, for the browser tests
# (tests/browser.py finds it at /usr/bin/chromium). Quiet and idempotent.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# Check that it starts (its launcher complains on stderr on some machines: shown only on failure).
if ! out="$(/usr/bin/chromium --version 2>&1)"; then
  echo "$out" >&2
  exit 1
fi
