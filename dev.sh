#!/usr/bin/env bash
# docverify developer entry point. On a fresh Debian machine with Python 3.11:
#   ./dev.sh run    set everything up, then verify the sample applications and start the reviewer app
#   ./dev.sh test   set everything up, then run the whole test suite (what CI runs)
# Both install what is missing (Debian packages incl. Tesseract, a virtualenv in .venv) and are safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
export OMP_THREAD_LIMIT=1          # Tesseract: one thread per process (see shared notes)
export PYTHONDONTWRITEBYTECODE=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to install system packages: $*" >&2; return 1; fi
}

system_packages() {
  local want=(tesseract-ocr tesseract-ocr-eng python3-venv fonts-dejavu-core fonts-liberation)
  if [ "${1:-}" = test ]; then
    want+=(chromium)
    # the integration tests talk to real services; install any that this machine lacks
    command -v pg_ctlcluster >/dev/null || want+=(postgresql)
    command -v redis-server >/dev/null || want+=(redis-server)
    [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || want+=(rabbitmq-server)
  fi
  local missing=()
  for p in "${want[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  # A Python from elsewhere (pyenv) already has venv: don't insist on Debian's python3-venv then.
  if [ ${#missing[@]} -gt 0 ] && [ "${missing[*]}" = "python3-venv" ] && python_bin -m venv --help >/dev/null 2>&1; then return; fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

python_bin() {
  for py in python3.11 python3.12 python3.13 python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      "$py" "$@"; return; fi
  done
  echo "Python 3.11 or newer is required" >&2; return 1
}

virtualenv() {
  local extra=$1 stamp="$VENV/.installed-$1"
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; python_bin -m venv "$VENV"; }
  local want; want=$(sha256sum pyproject.toml | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing docverify and its Python dependencies into .venv"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    if [ "$extra" = dev ]; then "$VENV/bin/pip" install -q -e ".[dev]"; else "$VENV/bin/pip" install -q -e .; fi
    echo "$want" > "$stamp"
  fi
}

cmd_run() {
  system_packages run
  virtualenv run
  local out="$ROOT/out"
  mkdir -p "$out"
  say "verifying the committed sample applications (samples/committed)"
  "$VENV/bin/docverify" verify samples/committed/*/ --jobs 2 > "$out/verdicts.jsonl"
  "$VENV/bin/docverify" evaluate samples/committed --json "$out/evaluation.json" --plot "$out/evaluation.png"
  say "verdicts: out/verdicts.jsonl   evaluation: out/evaluation.json, out/evaluation.png"
  if "$VENV/bin/docverify" serve --help >/dev/null 2>&1; then
    say "starting the reviewer web app (Ctrl-C to stop)"
    exec "$VENV/bin/docverify" serve --demo
  fi
}

cmd_test() {
  system_packages test
  virtualenv dev
  if [ -x tests/integration/services.sh ]; then say "starting PostgreSQL, Redis and RabbitMQ if they are down"; tests/integration/services.sh; fi
  say "ruff"
  "$VENV/bin/ruff" check .
  say "import layers (models <- pipeline <- workers <- docverify)"
  "$VENV/bin/lint-imports"
  say "pytest"
  "$VENV/bin/pytest" "$@"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: ./dev.sh run | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
