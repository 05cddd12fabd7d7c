#!/usr/bin/env bash
# Installs, from Debian's packages, the SMPP peers the interop tests
# (test/interop) run against. Run as root on Debian bookworm; safe to run again.
#   kannel-extras     /usr/lib/kannel/test/drive_smpp, Kannel's test SMSC
#   libnet-smpp-perl  Net::SMPP, the Perl SMPP codec used by test/interop/net-smpp-smsc.pl
set -euo pipefail

PACKAGES=(kannel-extras libnet-smpp-perl)

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
echo "install-peers.sh: interop peers ready (drive_smpp, Net::SMPP)"
