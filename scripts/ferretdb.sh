#!/usr/bin/env bash
# FerretDB v1.24.2 (MongoDB wire protocol over SQLite) for running Taxiway's MongoDB tests on a
# machine without MongoDB.
#
#   scripts/ferretdb.sh install            build the binary into the cache if missing; print its path
#   scripts/ferretdb.sh start              start on 127.0.0.1:<free port> with a fresh data folder;
#                                          prints MONGODB_URI=..., FERRETDB_PID=..., FERRETDB_DIR=...
#   scripts/ferretdb.sh stop [PID] [DIR]   stop it and remove its folder (defaults: $FERRETDB_PID,
#                                          $FERRETDB_DIR)
#
# Typical use:  set -a; eval "$(scripts/ferretdb.sh start)"; set +a
#               npm test
#               scripts/ferretdb.sh stop
#
# The binary is cached outside the clone, keyed by version: ${TAXIWAY_CACHE:-$HOME/.cache/taxiway}.
set -euo pipefail

VERSION=v1.24.2
MODULE=github.com/FerretDB/FerretDB
CACHE_DIR="${TAXIWAY_CACHE:-$HOME/.cache/taxiway}"
BIN_DIR="$CACHE_DIR/ferretdb-$VERSION"
BIN="$BIN_DIR/ferretdb"
START_TIMEOUT_S=30

log() { echo "ferretdb.sh: $*" >&2; }

# A cached binary is reused only if it runs: `go install ...@v1.24.2` produces one that panics at
# start-up ("Invalid build/version/version.txt"), because the module zip lacks that generated file.
binary_works() {
  [[ -x "$BIN" ]] && "$BIN" --version >/dev/null 2>&1
}

# Builds from the module source with the version file FerretDB's own build generates.
build_binary() {
  command -v go >/dev/null || { log "Go is needed to build FerretDB $VERSION (go.mod asks for Go 1.24)"; exit 1; }
  log "building FerretDB $VERSION into $BIN_DIR (one-off, about a minute)"
  local src_dir work_dir
  src_dir="$(go mod download -json "$MODULE@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$src_dir" ]] || { log "go mod download $MODULE@$VERSION failed"; exit 1; }
  work_dir="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-src.XXXXXX")"
  cp -R "$src_dir/." "$work_dir"
  chmod -R u+w "$work_dir"
  echo "$VERSION" > "$work_dir/build/version/version.txt"
  mkdir -p "$BIN_DIR"
  (cd "$work_dir" && go build -trimpath -o "$BIN.partial" ./cmd/ferretdb)
  mv "$BIN.partial" "$BIN"
  rm -rf "$work_dir"
}

install() {
  if binary_works; then return; fi
  [[ -e "$BIN" ]] && log "cached $BIN does not run; rebuilding"
  build_binary
  binary_works || { log "built $BIN but it does not run"; exit 1; }
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  install
  local dir port pid
  dir="$(mktemp -d "${TMPDIR:-/tmp}/taxiway-ferretdb.XXXXXX")"
  mkdir -p "$dir/data"
  port="$(free_port)"
  # The data is thrown away afterwards, so SQLite need not fsync: writes get about twice as fast.
  "$BIN" --handler=sqlite --sqlite-url="file:$dir/data/?_pragma=synchronous(OFF)" --listen-addr="127.0.0.1:$port" \
    --state-dir="$dir" --debug-addr=127.0.0.1:0 --telemetry=disable --log-level=warn \
    >"$dir/ferretdb.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$dir/ferretdb.pid"
  local waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "FerretDB exited during start-up; its log:"; cat "$dir/ferretdb.log" >&2; exit 1
    fi
    if (( waited >= START_TIMEOUT_S * 10 )); then
      log "FerretDB did not answer on 127.0.0.1:$port within ${START_TIMEOUT_S}s"; kill "$pid" || true; exit 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  log "FerretDB $VERSION (pid $pid) listening on 127.0.0.1:$port, data in $dir"
  echo "MONGODB_URI=mongodb://127.0.0.1:$port/"
  echo "FERRETDB_PID=$pid"
  echo "FERRETDB_DIR=$dir"
}

stop() {
  local pid="${1:-${FERRETDB_PID:-}}" dir="${2:-${FERRETDB_DIR:-}}"
  [[ -n "$pid" ]] || { log "stop needs a PID (argument or \$FERRETDB_PID)"; exit 1; }
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    # Only if it is still running after 5 s, so a pid reused by then is never signalled.
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  # Remove only a folder this script created.
  if [[ -n "$dir" && "$(basename "$dir")" == taxiway-ferretdb.* && -f "$dir/ferretdb.pid" ]]; then rm -rf "$dir"; fi
  log "stopped FerretDB (pid $pid)"
}

case "${1:-}" in
  install) install; echo "$BIN" ;;
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 install | start | stop [PID] [DIR]" >&2; exit 2 ;;
esac
