#!/usr/bin/env bash
# Refresh locale/fr/LC_MESSAGES/django.po from the code, keeping existing translations and
# taking new ones from locale/parts/*.po (one part per app, written alongside the code),
# then compile it. Run after adding UI strings.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PO=locale/fr/LC_MESSAGES/django.po
$PY manage.py makemessages -l fr --no-obsolete --no-wrap --no-location \
  --ignore='.venv/*' --ignore='tests/*' --ignore='staticfiles/*' >/dev/null
shopt -s nullglob
parts=(locale/parts/*.po)
tmp=$(mktemp)
msgcat --use-first --no-wrap "${parts[@]}" "$PO" -o "$tmp"
msgmerge --quiet --no-fuzzy-matching --no-wrap "$tmp" "$PO" -o "$PO"
rm -f "$tmp"
$PY manage.py compilemessages -l fr --ignore='.venv/*' >/dev/null
