#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright. Install it when missing and
# possible (root with apt-get); otherwise say how, and let the browser tests fail loudly.
set -euo pipefail
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "WARNING: no Chromium found. The browser tests will fail until you run:" >&2
echo "    sudo apt-get install chromium" >&2
