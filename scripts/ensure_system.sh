#!/usr/bin/env bash
# Install the Debian packages the project needs (browser, PDF tools, gettext, PostgreSQL, wrk,
# redis-server for the tests of the RQ task backend).
# Under CI=true a missing package that cannot be installed is a failure, not a skip.
# `ensure_system.sh run` asks only for what serving the site needs (gettext for the catalogue).
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
if [ "${1:-}" != "run" ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v pg_ctlcluster >/dev/null || need+=(postgresql)
  command -v wrk >/dev/null || need+=(wrk)
  command -v redis-server >/dev/null || need+=(redis-server)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  msg="Missing Debian packages (${need[*]}); run: sudo apt-get install ${need[*]}"
  if [ "${CI:-}" = "true" ]; then echo "$msg" >&2; exit 1; fi
  echo "$msg (browser/PDF/PostgreSQL tests will fail)" >&2
fi
