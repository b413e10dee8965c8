#!/usr/bin/env bash
# The production smoke test (`make smoke`, part of `make test`): docs/operations.md
# « Production deployment », step by step, on this machine, then Chromium through nginx.
#
#  1. a fresh virtualenv installed from the lock (requirements/base.txt, hashes checked);
#  2. the configuration from deploy/.env.example, with a generated secret, DJANGO_DEBUG=0 and
#     a scratch PostgreSQL database, loaded as the docs say (set -a; . file; set +a);
#  3. check --deploy --fail-level WARNING, migrate, compilemessages, collectstatic,
#     load_course, create_account for the first administrator and a trainer;
#  4. gunicorn with deploy/gunicorn.conf.py (and the task worker, once the product has one);
#  5. nginx (Debian's) with deploy/nginx-site.conf: same file, loopback ports, a self-signed
#     certificate in place of the real one, so https, HSTS, secure cookies and
#     X-Forwarded-Proto are those of production;
#  6. tests/smoke/drive.py: each role in Chromium through nginx, the lockout by client address;
#  7. stops everything it started and drops the database, whatever happened (trap).
#
# Ports (loopback): SMOKE_HTTPS_PORT (8161), SMOKE_GUNICORN_PORT (8162), SMOKE_HTTP_PORT (8163).
# SMOKE_KEEP=1 keeps the work folder (logs, configuration) for a look after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HTTPS_PORT=${SMOKE_HTTPS_PORT:-8161}
GUNICORN_PORT=${SMOKE_GUNICORN_PORT:-8162}
HTTP_PORT=${SMOKE_HTTP_PORT:-8163}
PG_ADMIN_URL=${SMOKE_PG_ADMIN_URL:-postgres://training:training@127.0.0.1:5432/postgres}
PG_BASE_URL=${PG_ADMIN_URL%/*}
DB_NAME=${SMOKE_DATABASE:-training_smoke_$$}
DRIVER_PYTHON=${SMOKE_DRIVER_PYTHON:-$ROOT/.venv/bin/python}
NGINX=${NGINX:-/usr/sbin/nginx}
work=$(mktemp -d -t partage-smoke-XXXXXX)
VENV=$work/venv
pids=()
db_created=0

say() { echo "[smoke $(date +%H:%M:%S)] $*"; }
fail() { echo "[smoke] FAILED: $*" >&2; exit 1; }

cleanup() {
  local status=$?
  set +e
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ "$db_created" = 1 ]; then
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null
  fi
  bash "$ROOT/scripts/ensure_postgres.sh" stop  # only if it started the cluster
  if [ "$status" != 0 ]; then
    for log in "$work/gunicorn.log" "$work/worker.log" "$work/nginx/error.log"; do
      [ -s "$log" ] && { echo "--- last lines of $log" >&2; tail -n 40 "$log" >&2; }
    done
  fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then say "work folder kept: $work"; else rm -rf "$work"; fi
  [ "$status" = 0 ] && say "stopped gunicorn and nginx, dropped $DB_NAME: all clean."
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTPS_PORT" "$GUNICORN_PORT" "$HTTP_PORT"; do
  port_free "$port" || fail "port $port is taken (set SMOKE_HTTPS_PORT, SMOKE_GUNICORN_PORT, SMOKE_HTTP_PORT)"
done
[ -x "$NGINX" ] || fail "nginx is not installed (scripts/ensure_system.sh installs it)"

say "PostgreSQL: scratch database $DB_NAME"
bash scripts/ensure_postgres.sh
psql "$PG_ADMIN_URL" -qc "CREATE DATABASE \"$DB_NAME\"" >/dev/null
db_created=1

say "1. virtualenv from the lock (requirements/base.txt)"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --require-hashes -r requirements/base.txt 2>&1 | grep -v "^WARNING: Location" || true
"$VENV/bin/python" -c "import django, gunicorn, weasyprint" || fail "the lock does not install"

say "2. configuration: deploy/.env.example, then this machine's values"
secret=$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")
{
  cat deploy/.env.example
  cat <<ENV

# --- scripts/smoke_production.sh: this machine's values
DJANGO_SECRET_KEY=$secret
DJANGO_ALLOWED_HOSTS=127.0.0.1
DJANGO_CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$HTTPS_PORT
SITE_URL=https://127.0.0.1:$HTTPS_PORT
DATABASE_URL=$PG_BASE_URL/$DB_NAME
DJANGO_STATIC_ROOT=$work/static
DJANGO_MEDIA_ROOT=$work/media
GUNICORN_BIND=127.0.0.1:$GUNICORN_PORT
GUNICORN_WORKERS=3
LOG_FORMAT=json
# No mail server here: emails are printed in gunicorn's log, where the driver reads them.
EMAIL_HOST=
ENV
} >"$work/partage.env"
set -a
# shellcheck disable=SC1091
. "$work/partage.env"
set +a

manage() { "$VENV/bin/python" manage.py "$@"; }
say "3. check --deploy, migrate, compilemessages, collectstatic, load_course, accounts"
manage check --deploy --fail-level WARNING
manage migrate --noinput -v0
manage compilemessages -l fr --ignore=.venv -v0
manage collectstatic --noinput -v0
manage load_course >/dev/null
invite() {  # email role first last → the invitation link printed by create_account
  manage create_account "$1" --role "$2" --first-name "$3" --last-name "$4" >"$work/account-$2.txt"
  sed -n 's/^Link to choose the password: //p' "$work/account-$2.txt"
}
admin_link=$(invite admin@smoke.example administrator Alice Martin)
trainer_link=$(invite formatrice@smoke.example trainer Claire Rousseau)
[ -n "$admin_link" ] && [ -n "$trainer_link" ] || fail "create_account printed no link"

say "4. gunicorn --config deploy/gunicorn.conf.py on 127.0.0.1:$GUNICORN_PORT"
"$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py >"$work/gunicorn.log" 2>&1 &
pids+=($!)
# The task worker, as deploy/partage-worker.service runs it: emails and bundles are tasks.
manage tasks_worker >"$work/worker.log" 2>&1 &
pids+=($!)

say "5. nginx with deploy/nginx-site.conf on https://127.0.0.1:$HTTPS_PORT"
mkdir -p "$work/nginx/tls" "$work/nginx/temp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/nginx/tls/privkey.pem" \
  -out "$work/nginx/tls/fullchain.pem" 2>/dev/null
# The site file as an operator installs it; only what differs on this machine is replaced.
sed -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$GUNICORN_PORT;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
    -e "/listen \[::\]:/d" \
    -e "s|server_name formation.example.org;|server_name 127.0.0.1;|" \
    -e "s|/etc/ssl/partage/|$work/nginx/tls/|" \
    -e "s|/var/log/nginx/|$work/nginx/|" \
    -e "s|return 301 https://\$host\$request_uri;|return 301 https://\$host:$HTTPS_PORT\$request_uri;|" \
    deploy/nginx-site.conf >"$work/nginx/site.conf"
for original in "server 127.0.0.1:8000;" "listen 443" "formation.example.org" "/etc/ssl/partage"; do
  ! grep -v '^ *#' "$work/nginx/site.conf" | grep -qF "$original" || fail "deploy/nginx-site.conf changed: '$original' not replaced"
done
user_line=""
[ "$(id -u)" = 0 ] && user_line="user $(id -un);"
cat >"$work/nginx/nginx.conf" <<NGINX
$user_line
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $work/nginx/temp/body;
    proxy_temp_path $work/nginx/temp/proxy;
    fastcgi_temp_path $work/nginx/temp/fastcgi;
    uwsgi_temp_path $work/nginx/temp/uwsgi;
    scgi_temp_path $work/nginx/temp/scgi;
    include $work/nginx/site.conf;
}
NGINX
"$NGINX" -t -q -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf"
"$NGINX" -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" &
pids+=($!)

say "waiting for /sante/ through nginx"
for _ in $(seq 1 60); do
  if curl -skf "https://127.0.0.1:$HTTPS_PORT/sante/" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -sk "https://127.0.0.1:$HTTPS_PORT/sante/" | grep -q '"status": "ok"' || fail "/sante/ is not healthy"

say "6. Chromium through nginx (tests/smoke/drive.py)"
SMOKE_BASE_URL="https://127.0.0.1:$HTTPS_PORT" \
SMOKE_HTTP_URL="http://127.0.0.1:$HTTP_PORT" \
SMOKE_GUNICORN_URL="http://127.0.0.1:$GUNICORN_PORT" \
SMOKE_ADMIN_LINK="$admin_link" SMOKE_TRAINER_LINK="$trainer_link" \
SMOKE_WORK="$work" SMOKE_MEDIA_ROOT="$work/media" \
SMOKE_GUNICORN_LOG="$work/gunicorn.log" SMOKE_NGINX_LOG="$work/nginx/partage.access.log" \
SMOKE_WORKER_LOG="$work/worker.log" \
  "$DRIVER_PYTHON" tests/smoke/drive.py

say "the lockout's records, from the database"
manage shell -c "
from axes.models import AccessAttempt
addresses = sorted(set(AccessAttempt.objects.values_list('ip_address', flat=True)))
print('login failures recorded for', addresses)
assert '127.0.0.2' in addresses and '127.0.0.1' not in addresses, addresses
"
say "production smoke test passed"
