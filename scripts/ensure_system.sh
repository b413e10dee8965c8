#!/usr/bin/env bash
# Install the Debian packages the project needs (browser, PDF tools, gettext, PostgreSQL, nginx,
# wrk, redis-server for the tests of the RQ task backend). Under CI=true a missing package that cannot be installed is a failure, not a skip.
# `ensure_system.sh run` asks only for what serving the site needs (gettext for the catalogue).
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
if [ "${1:-}" != "run" ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v pg_ctlcluster >/dev/null || need+=(postgresql)
  command -v wrk >/dev/null || need+=(wrk)
  # The production smoke test (scripts/smoke_production.sh): a real nginx in front of gunicorn,
  # with a self-signed certificate made by openssl.
  [ -x /usr/sbin/nginx ] || need+=(nginx)
  command -v openssl >/dev/null || need+=(openssl)
  command -v redis-server >/dev/null || need+=(redis-server)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Installing nginx or postgresql starts their services on a machine without a
  # policy-rc.d; these scripts start what they need themselves (on loopback, stopped after),
  # so forbid the start for the duration of the install, and put things back as they were.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  msg="Missing Debian packages (${need[*]}); run: sudo apt-get install ${need[*]}"
  if [ "${CI:-}" = "true" ]; then echo "$msg" >&2; exit 1; fi
  echo "$msg (browser/PDF/PostgreSQL/production smoke tests will fail)" >&2
fi
