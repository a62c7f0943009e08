#!/usr/bin/env bash
# Property-based API tests of a live Taxiway against its OpenAPI document (schemas/openapi.yaml)
# with schemathesis, within a bounded time budget. Run by .ci/run once per store.
#
#   bash scripts/schemathesis.sh                       # SQLite (a fresh temporary file)
#   MONGODB_URI=mongodb://127.0.0.1:27017/ bash scripts/schemathesis.sh   # a fresh MongoDB database
#   bash scripts/schemathesis.sh --include-path-regex manifest -v   # extra arguments go to schemathesis
#
# 1. checks for Python >= 3.11 with the venv module (schemathesis 4.32.5 needs 3.11);
# 2. creates or reuses a virtual environment outside the clone, keyed by the requirements file and
#    the Python version: ${TAXIWAY_CACHE:-$HOME/.cache/taxiway}/schemathesis-venv-<hash>;
# 3. builds Taxiway (npm run build);
# 4. starts it on a free 127.0.0.1 port with a generated config (API root "fuzz", a read-write, a
#    read-only and a write-only collection for the user "fuzzer") and a fresh store: a temporary
#    SQLite file, or, when MONGODB_URI is set, a new database `taxiway_schemathesis_<time>_<pid>`
#    (dropped afterwards);
# 5. seeds it (test/schemathesis/seed.py), runs schemathesis with test/schemathesis/schemathesis.toml
#    (every check explicit; the one switched off says why) as "fuzzer" with HTTP Basic;
# 6. stops the server. The exit code is schemathesis's (non-zero on any failure or error).
#
# Budget, from the environment: SCHEMATHESIS_MAX_TIME (seconds for the whole schemathesis run;
# default 90: examples and coverage run once, fuzzing and stateful testing repeat until it is
# spent), SCHEMATHESIS_MAX_EXAMPLES (per operation and round; default 25), SCHEMATHESIS_SEED
# (default 1, so runs are reproducible; "random" for a new seed each run, printed at the end).
# SCHEMATHESIS_REPORT_DIR keeps a JUnit report and a HAR of every request there.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

REQUIREMENTS=test/schemathesis/requirements.txt
CONFIG="$ROOT/test/schemathesis/schemathesis.toml"
SPEC="$ROOT/schemas/openapi.yaml"
PYTHON=${PYTHON:-python3}
MIN_PYTHON=3.11
MAX_TIME=${SCHEMATHESIS_MAX_TIME:-90}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}
SEED=${SCHEMATHESIS_SEED:-1}

fail() {
  echo "schemathesis: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 || fail "node is not on PATH (Node 20 is needed to build and run Taxiway)."
[[ "$MAX_TIME" =~ ^[1-9][0-9]*$ ]] || fail "SCHEMATHESIS_MAX_TIME must be a positive number of seconds, not '$MAX_TIME'."
[[ "$MAX_EXAMPLES" =~ ^[1-9][0-9]*$ ]] || fail "SCHEMATHESIS_MAX_EXAMPLES must be a positive integer, not '$MAX_EXAMPLES'."
if [ "$SEED" = random ]; then SEED=$(( (RANDOM << 15) | RANDOM )); fi
[[ "$SEED" =~ ^[0-9]+$ ]] || fail "SCHEMATHESIS_SEED must be a non-negative integer or 'random', not '$SEED'."

# shellcheck source=lib/python-venv.sh
. scripts/lib/python-venv.sh
python_venv schemathesis "$REQUIREMENTS" "$MIN_PYTHON" "schemathesis 4.32.5 requires it"

echo "schemathesis: building Taxiway"
npm run --silent build || fail "npm run build failed (see the messages above)."

WORK=$(mktemp -d "${TMPDIR:-/tmp}/taxiway-schemathesis.XXXXXX")
SERVER_PID=""
DATABASE=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    # Only if it is still running after 5 s, so a pid reused by then is never signalled.
    if kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
  fi
  if [ -n "$DATABASE" ]; then
    # Best effort: FerretDB in CI is thrown away anyway.
    MONGODB_URI="$MONGODB_URI" DATABASE="$DATABASE" timeout 20 node -e '
      const { MongoClient } = require("mongodb");
      const c = new MongoClient(process.env.MONGODB_URI, { serverSelectionTimeoutMS: 5000 });
      c.connect().then(() => c.db(process.env.DATABASE).dropDatabase()).catch(() => {}).finally(() => c.close());
    ' >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

random_password() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
hash_password() { printf %s "$1" | node bin/taxiway.js hash-password; }
FUZZER_PW=$(random_password)
SEEDER_PW=$(random_password)
FUZZER_HASH=$(hash_password "$FUZZER_PW") || fail "taxiway hash-password failed."
SEEDER_HASH=$(hash_password "$SEEDER_PW") || fail "taxiway hash-password failed."
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

if [ -n "${MONGODB_URI:-}" ]; then
  DATABASE="taxiway_schemathesis_$(date +%s)_$$"
  STORE_LABEL="MongoDB (MONGODB_URI, database $DATABASE)"
  STORE_YAML="store: { type: mongodb, mongodb: { uri: \"$MONGODB_URI\", database: $DATABASE } }"
else
  STORE_LABEL="SQLite (temporary file)"
  STORE_YAML="store: { type: sqlite, sqlite: { path: taxiway.db } }"
fi

# Small pages, so paging (more/next and the date headers) is exercised on every list endpoint.
cat > "$WORK/taxiway.yaml" <<EOF
server: { host: 127.0.0.1, port: $PORT, log_level: warn, log_format: json }
discovery: { title: Taxiway schemathesis, description: property-based API tests, default: fuzz }
api_roots:
  - { path: fuzz, title: Fuzz, default_page_size: 2, max_page_size: 3 }
  - { path: other, title: Another API root }
collections:
  - id: 5a1b2c3d-0000-4000-8000-000000000001
    api_root: fuzz
    alias: rw
    title: Read-write
    permissions: { read: { users: [fuzzer] }, write: { users: [fuzzer] } }
  - id: 5a1b2c3d-0000-4000-8000-000000000002
    api_root: fuzz
    alias: ro
    title: Read-only
    permissions: { read: { users: [fuzzer] }, write: { users: [seeder] } }
  - id: 5a1b2c3d-0000-4000-8000-000000000003
    api_root: fuzz
    title: Write-only
    permissions: { write: { users: [fuzzer] } }
  - id: 5a1b2c3d-0000-4000-8000-000000000004
    api_root: other
    title: Not for the fuzzer
    permissions: { read: { users: [seeder] }, write: { users: [seeder] } }
users:
  - { name: fuzzer, password_hash: "$FUZZER_HASH" }
  - { name: seeder, password_hash: "$SEEDER_HASH" }
# The ignored_auth check sends wrong credentials on purpose, from 127.0.0.1, once per operation:
# the default throttle would answer its later probes (and then everything) with 429. The
# throttle has tests of its own.
auth: { throttle: { address_failures: 1000000, pair_failures: 1000000, user_slowdown_after: 1000000 } }
# /_metrics/ on the main listener, open to loopback (the default allow-list).
metrics: { enabled: true }
$STORE_YAML
EOF

URL="http://127.0.0.1:$PORT"
echo "schemathesis: starting Taxiway on $URL with $STORE_LABEL"
node bin/taxiway.js serve --config "$WORK/taxiway.yaml" >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!

server_log() {
  echo "schemathesis: the end of Taxiway's log:" >&2
  tail -n 40 "$WORK/server.log" >&2 || true
}

PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" test/schemathesis/seed.py "$URL" "$FUZZER_PW" "$SEEDER_PW" ||
  { server_log; fail "could not seed Taxiway."; }
kill -0 "$SERVER_PID" 2>/dev/null || { server_log; fail "Taxiway exited during start-up."; }

REPORTS=("--report" "junit" "--report-junit-path" "$WORK/junit.xml")
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then
  mkdir -p "$SCHEMATHESIS_REPORT_DIR"
  REPORTS=("--report" "junit,har" "--report-dir" "$(cd "$SCHEMATHESIS_REPORT_DIR" && pwd)")
fi

echo "schemathesis: testing $SPEC against $STORE_LABEL (budget ${MAX_TIME}s, ${MAX_EXAMPLES} examples per operation and round, seed $SEED)"
started=$(date +%s)
set +e
# From the work folder: schemathesis and hypothesis keep their caches in the current directory.
(
  cd "$WORK" &&
    "$VENV/bin/schemathesis" --config-file "$CONFIG" --no-color run "$SPEC" \
      --url "$URL" --auth "fuzzer:$FUZZER_PW" --workers 1 \
      --max-time "$MAX_TIME" --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
      --generation-database none --request-timeout 30 \
      "${REPORTS[@]}" "$@"
)
code=$?
set -e
elapsed=$(( $(date +%s) - started ))

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  server_log
  fail "Taxiway died during the run."
fi
if [ "$code" -ne 0 ]; then server_log; fi

# One closing line in the 'N passed, N failed' form, counting tested operations (JUnit test cases).
JUNIT="$WORK/junit.xml"
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then JUNIT=$(ls -t "$SCHEMATHESIS_REPORT_DIR"/junit*.xml 2>/dev/null | head -n 1 || true); fi
summary=$("$VENV/bin/python" - "$JUNIT" <<'PY' 2>/dev/null || true
import sys, xml.etree.ElementTree as ET
cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
bad = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
skipped = sum(1 for c in cases if c.find("skipped") is not None)
print(f"{len(cases) - bad - skipped} passed, {bad} failed, {skipped} skipped")
PY
)
if [ -z "$summary" ]; then
  echo "schemathesis: no report was written" >&2
  [ "$code" -ne 0 ] || code=1
elif [ "${summary%% passed*}" = 0 ] && [ "$code" -eq 0 ]; then
  echo "schemathesis: FAILED: no operation was tested" >&2
  code=1
fi
if [ "$code" -eq 0 ]; then
  echo "schemathesis: passed against $STORE_LABEL in ${elapsed}s (seed $SEED)"
else
  echo "schemathesis: FAILED (exit $code) against $STORE_LABEL in ${elapsed}s (seed $SEED)" >&2
fi
echo "schemathesis: ${summary:-0 passed, 1 failed}"
exit "$code"
