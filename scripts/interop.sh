#!/usr/bin/env bash
# Interoperability tests with real TAXII clients (taxii2-client, python-stix2) and scripted
# OpenCTI / MISP / Sentinel request patterns: `npm run test:interop`, and twice in .ci/run.
#
# 1. checks for Python >= 3.10 with the venv module (stix2 3.0.2 needs 3.10);
# 2. creates or reuses a virtual environment outside the clone, keyed by the requirements file:
#    ${TAXIWAY_CACHE:-$HOME/.cache/taxiway}/interop-venv-<hash>, and installs the pinned packages;
# 3. builds Taxiway (npm run build);
# 4. runs pytest on test/interop; the tests start Taxiway themselves on a free port with a fresh
#    SQLite file, or with a fresh MongoDB database when MONGODB_URI is set.
# The exit code is pytest's; "no tests collected" (5) counts as a failure.
# Extra arguments go to pytest, e.g. `npm run test:interop -- -k sentinel -v`.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREMENTS=test/interop/requirements.txt
PYTHON=${PYTHON:-python3}
MIN_PYTHON=3.10

fail() {
  echo "interop: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 || fail "node is not on PATH (Node 20 is needed to build and run Taxiway)."

# shellcheck source=lib/python-venv.sh
. scripts/lib/python-venv.sh
python_venv interop "$REQUIREMENTS" "$MIN_PYTHON" "stix2 3.0.2 requires it"

echo "interop: building Taxiway"
npm run --silent build || fail "npm run build failed (see the messages above)."

store="SQLite (temporary file)"
if [ -n "${MONGODB_URI:-}" ]; then store="MongoDB (MONGODB_URI, fresh database)"; fi
echo "interop: running test/interop against $store"

started=$(date +%s)
set +e
# No .pytest_cache or __pycache__ in the clone.
PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider -r fEX test/interop "$@"
code=$?
set -e
elapsed=$(( $(date +%s) - started ))

if [ "$code" -eq 5 ]; then
  echo "interop: FAILED: pytest collected no tests" >&2
  exit 1
fi
if [ "$code" -eq 0 ]; then
  echo "interop: passed against $store in ${elapsed}s"
else
  echo "interop: FAILED (pytest exit $code) against $store in ${elapsed}s" >&2
fi
exit "$code"
