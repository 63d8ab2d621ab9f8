#!/usr/bin/env bash
# Creates .venv and installs the locked dependencies (requirements/*.lock, made with
# `uv pip compile`). Usage: scripts/bootstrap.sh [base|dev]
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-base}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> Python-omgeving maken (.venv)"
  "$PY" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.9"
fi
stamp=".venv/.installed-$kind"
# dev.lock pins every package of base.lock at the same version (plus the dev tools), so a
# developer's dev environment already serves `make run`: keep it instead of stripping the tools.
dev_stamp=".venv/.installed-dev"
if [ "$kind" = base ] && [ -f "$dev_stamp" ] && [ ! "requirements/dev.lock" -nt "$dev_stamp" ] \
  && [ ! "requirements/base.lock" -nt "$dev_stamp" ]; then
  exit 0
fi
if [ ! -f "$stamp" ] || [ "requirements/$kind.lock" -nt "$stamp" ]; then
  echo "==> Pakketten installeren (requirements/$kind.lock)"
  .venv/bin/uv pip sync -q --python .venv/bin/python "requirements/$kind.lock"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
