#!/usr/bin/env bash
# Make sure the services the test suite needs are up; start them if they are down, and
# fail loudly (never skip) when one cannot be reached.
set -euo pipefail

pg_host=127.0.0.1
pg_port=5432

pg_up() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "ensure-services: pg_isready not found; PostgreSQL client tools are required" >&2
  exit 1
fi

if ! pg_up; then
  echo "ensure-services: PostgreSQL is down on $pg_host:$pg_port, starting it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi

if ! pg_up; then
  echo "ensure-services: PostgreSQL is required at $pg_host:$pg_port and could not be started" >&2
  exit 1
fi
echo "ensure-services: PostgreSQL is up on $pg_host:$pg_port"

# The dashboard's browser tests drive Debian's Chromium (never a browser build downloaded
# by Playwright): install the package when it is missing.
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-services: installing Debian's chromium for the browser tests" >&2
  if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-services: /usr/bin/chromium is required for the browser tests" >&2
  exit 1
fi
echo "ensure-services: chromium is at /usr/bin/chromium"
