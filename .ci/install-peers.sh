#!/usr/bin/env bash
# Installs, from Debian's packages, the SMPP peers the interop tests
# (test/interop) run against, and the browser the editor test (test/editor)
# drives. Run as root on Debian bookworm; safe to run again.
#   kannel-extras     /usr/lib/kannel/test/drive_smpp, Kannel's test SMSC
#   libnet-smpp-perl  Net::SMPP, the Perl SMPP codec used by test/interop/net-smpp-smsc.pl
#   chromium          /usr/bin/chromium, headless, driven by playwright-core (no browser download)
#   chromium-driver   Chromium's WebDriver, installed beside it for other drivers
#   fonts-wqy-microhei a CJK font, so the zh-CN editor screenshots show Chinese, not empty boxes
#   redis-server      the Redis server the shared-receipt tests start on a port of their own
#                     (test/unit/redis-context-store, test/nodes/redis-shared)
set -euo pipefail

PACKAGES=(kannel-extras libnet-smpp-perl chromium chromium-driver redis-server fonts-wqy-microhei)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-peers.sh: run as root (it calls apt-get install)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${PACKAGES[@]}"

# what the tests need, present and runnable
test -x /usr/lib/kannel/test/drive_smpp || { echo "install-peers.sh: drive_smpp missing after install" >&2; exit 1; }
perl -MNet::SMPP -e 1 || { echo "install-peers.sh: Net::SMPP not loadable after install" >&2; exit 1; }
{ test -x /usr/bin/chromium && /usr/bin/chromium --version >/dev/null 2>&1; } || { echo "install-peers.sh: chromium missing or not runnable after install" >&2; exit 1; }
command -v chromedriver >/dev/null || { echo "install-peers.sh: chromedriver missing after install" >&2; exit 1; }
{ command -v redis-server >/dev/null && redis-server --version >/dev/null 2>&1; } || { echo "install-peers.sh: redis-server missing or not runnable after install" >&2; exit 1; }
echo "install-peers.sh: interop peers and browser ready (drive_smpp, Net::SMPP, chromium, chromedriver, redis-server)"
