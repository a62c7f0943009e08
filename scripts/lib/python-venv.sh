# Sourced by scripts/interop.sh and scripts/schemathesis.sh: the Python they need, in a virtual
# environment outside the clone that is created once and reused.
#
#   python_venv LABEL REQUIREMENTS MIN_PYTHON WHY
#
# Checks that $PYTHON (default python3) is at least MIN_PYTHON (e.g. 3.10) with the venv module,
# then creates or reuses ${TAXIWAY_CACHE:-$HOME/.cache/taxiway}/LABEL-venv-<hash>, keyed by the
# requirements file and the Python version so that a change to either gets a fresh one, and sets
# VENV to it. WHY says who needs that Python version, for the error message. Messages start with
# "LABEL:"; a failure exits the calling script with 1.
python_venv() {
  local label=$1 requirements=$2 min_python=$3 why=$4
  local python=${PYTHON:-python3}
  local cache=${TAXIWAY_CACHE:-$HOME/.cache/taxiway}
  local hash

  command -v "$python" >/dev/null 2>&1 || {
    echo "$label: $python was not found. Install Python >= $min_python with the venv module (Debian/Ubuntu: apt-get install python3 python3-venv), or set PYTHON=/path/to/python3." >&2
    exit 1
  }
  "$python" - "$min_python" <<'PY' || { echo "$label: $("$python" -V 2>&1) is too old: Python >= $min_python is needed ($why). Set PYTHON=/path/to/python3.1x." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info[:2] >= tuple(int(part) for part in sys.argv[1].split(".")) else 1)
PY
  "$python" -c 'import venv, ensurepip' 2>/dev/null || {
    echo "$label: the Python venv module (with ensurepip) is missing. Debian/Ubuntu: apt-get install python3-venv (or python3.X-venv)." >&2
    exit 1
  }

  hash=$("$python" - "$requirements" <<'PY'
import hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], "rb").read() + repr(sys.version_info[:2]).encode())
print(digest.hexdigest()[:16])
PY
)
  VENV="$cache/$label-venv-$hash"
  if [ -f "$VENV/.complete" ]; then
    echo "$label: reusing $VENV"
    return
  fi
  echo "$label: creating $VENV"
  rm -rf "$VENV"
  mkdir -p "$cache"
  "$python" -m venv "$VENV" || { echo "$label: could not create a virtual environment in $VENV." >&2; exit 1; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" || {
    rm -rf "$VENV"
    echo "$label: pip could not install $requirements (see the messages above)." >&2
    exit 1
  }
  touch "$VENV/.complete"
}
