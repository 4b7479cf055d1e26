#!/usr/bin/env bash
# Set up everything moisinno-data needs on a fresh Debian machine (Python 3.11+).
#   bash scripts/setup.sh          the tool itself, in .venv/
#   bash scripts/setup.sh --test   also the test tools: Debian's chromium (browser tests)
#                                  and a local udata server in its own venv (publish tests)
# Safe to rerun: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then apt_install python3 python3-venv python3-pip; fi
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' || {
  echo "Python 3.11 ou plus récent est nécessaire (trouvé : $("$PY" --version))." >&2; exit 2; }
if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c 'import ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi

step() { echo "→ $*"; }
quiet_pip() { "$@" 2>&1 | grep -v -i -E '^(warning|deprecation)' || true; }

if [ ! -x .venv/bin/python ]; then
  step "Environnement Python .venv/ (≈ 5 s)"; "$PY" -m venv .venv
fi
step "pip à jour (≈ 5 s)"
quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if [ "$want_test" = 1 ]; then
  step "moisinno-data et ses outils de test dans .venv/ (≈ 90 s la première fois, 5 s ensuite)"
  quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
else
  step "moisinno-data et ses dépendances dans .venv/ (≈ 60 s la première fois, 5 s ensuite)"
  quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
.venv/bin/python -c 'import moisinno_data' || { echo "Installation de moisinno-data incomplète." >&2; exit 2; }
# An editable install leaves no bytecode, and PYTHONDONTWRITEBYTECODE=1 (set on many CI
# and dev machines) stops Python writing it: each run would compile the package again
# (~50 ms of `moisinno validate`). compileall writes it anyway, as pip does for a wheel;
# a file edited later is just compiled in memory until the next setup.
step "Bytecode de moisinno_data précompilé (≈ 2 s)"
.venv/bin/python -m compileall -q moisinno_data >/dev/null

if [ "$want_test" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    step "Navigateur chromium pour les tests de la page web (≈ 60 s)"; apt_install chromium
  fi
  if [ -f scripts/udata_local.py ]; then
    step "Serveur udata local pour les tests de publication (≈ 60 s la première fois)"
    .venv/bin/python scripts/udata_local.py install
  fi
fi
echo "Installation prête (.venv/). Pour la commande moisinno : source .venv/bin/activate"
