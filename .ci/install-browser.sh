#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/browser), if it is not there yet.
# Idempotent; `playwright install` cannot download browsers on this network, so the tests
# drive /usr/bin/chromium through Playwright's executable_path.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version 2>/dev/null | head -1
