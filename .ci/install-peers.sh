#!/usr/bin/env bash
# Installs, from Debian's packages, the SMPP peers the interop tests
# (test/interop) run against, the browser the editor test (test/editor)
# drives, and Kannel for the benchmark. Run as root on Debian bookworm; safe to run again.
#   kannel-extras     /usr/lib/kannel/test/drive_smpp, Kannel's test SMSC
#   libnet-smpp-perl  Net::SMPP, the Perl SMPP codec used by test/interop/net-smpp-smsc.pl
#   chromium          /usr/bin/chromium, headless, driven by playwright-core (no browser download)
#   chromium-driver   Chromium's WebDriver, installed beside it for other drivers
#   fonts-wqy-microhei a CJK font, so the zh-CN editor screenshots show Chinese, not empty boxes
#   redis-server      the Redis server the shared-receipt tests start on a port of their own
#                     (test/unit/redis-context-store, test/nodes/redis-shared)
#   kannel            bearerbox and mtbatch: the Kannel case of `npm run bench` (skipped without it)
#
#   bash .ci/install-peers.sh --check   only checks that what `npm test` needs is there
#                                       (exit 1 naming what is missing); installs nothing
set -euo pipefail

PACKAGES=(kannel-extras libnet-smpp-perl chromium chromium-driver redis-server fonts-wqy-microhei kannel)

missing=()
check() {
  missing=()
  test -x /usr/lib/kannel/test/drive_smpp || missing+=("drive_smpp (kannel-extras)")
  perl -MNet::SMPP -e 1 2>/dev/null || missing+=("Net::SMPP (libnet-smpp-perl)")
  { test -x /usr/bin/chromium && /usr/bin/chromium --version >/dev/null 2>&1; } || missing+=("chromium")
  { command -v redis-server >/dev/null && redis-server --version >/dev/null 2>&1; } || missing+=("redis-server")
  test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || missing+=("the CJK font (fonts-wqy-microhei)")
}

if [ "${1:-}" = "--check" ]; then
  check
  if [ ${#missing[@]} -gt 0 ]; then
    echo "install-peers.sh: missing: ${missing[*]}" >&2
    exit 1
  fi
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-peers.sh: run as root (it calls apt-get install)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${PACKAGES[@]}"

# what the tests and the benchmark need, present and runnable
check
command -v chromedriver >/dev/null || missing+=("chromedriver (chromium-driver)")
{ test -x /usr/sbin/bearerbox && command -v mtbatch >/dev/null; } || missing+=("bearerbox, mtbatch (kannel)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-peers.sh: still missing after install: ${missing[*]}" >&2
  exit 1
fi
echo "install-peers.sh: interop peers, browser and Kannel ready (drive_smpp, Net::SMPP, chromium, chromedriver, redis-server, bearerbox, mtbatch)"
