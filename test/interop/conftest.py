"""Session fixtures for the interoperability tests: one real Taxiway process, real clients.

Taxiway is started once per session from the built CLI (`npm run build` first; scripts/interop.sh
does that) with a generated configuration and a fresh store: a temporary SQLite file, or, when
MONGODB_URI is set, a MongoDB database with a unique name (left in place afterwards).

Every scenario writes to its own collection, so the tests do not depend on each other's data and
can assert exact results.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, TypeVar

import pytest
import requests
import stix2

REPO_ROOT = Path(__file__).resolve().parents[2]
TAXII_21 = "application/taxii+json;version=2.1"
# What the spec requires in X-TAXII-Date-Added-* and what Taxiway emits: six fractional digits.
TAXII_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

PAGE_SIZE = 5  # default_page_size and max_page_size of the "interop" API root
INTEROP_MAX_CONTENT_LENGTH = 1_048_576
MISP_MAX_CONTENT_LENGTH = 4096  # the "misp" API root: small, so envelopes must be cut to fit

PASSWORDS = {
    "alice": "alice-interop-pw",  # publisher: reads and writes most collections
    "admin": "admin-interop-pw",  # the only writer of the read-only collection
    "sentinel": "sentinel:pw:with:colons",  # a read-only feed consumer (RFC 7617 colons)
    "misp": "misp-interop-pw",  # push only
}


@dataclass(frozen=True)
class Collections:
    """Collection ids (v4 UUIDs). All live in the "interop" API root except `misp`."""

    client: str = "c1000000-0000-4000-8000-000000000001"  # taxii2-client add/get/delete
    paging: str = "c1000000-0000-4000-8000-000000000002"  # as_pages over many pages
    filters: str = "c1000000-0000-4000-8000-000000000003"  # client keyword filters
    read_only: str = "c1000000-0000-4000-8000-000000000004"  # alice reads, admin writes
    write_only: str = "c1000000-0000-4000-8000-000000000005"  # alice writes only
    stix2: str = "c1000000-0000-4000-8000-000000000006"  # python-stix2 source and sink
    opencti: str = "c1000000-0000-4000-8000-000000000007"  # OpenCTI's ingester pattern
    opencti_ms: str = "c1000000-0000-4000-8000-00000000000b"  # ... with its millisecond checkpoint
    opencti_connector: str = "c1000000-0000-4000-8000-00000000000c"  # OpenCTI's taxii2 connector
    sentinel: str = "c1000000-0000-4000-8000-000000000008"  # sentinel reads, alice writes
    headers: str = "c1000000-0000-4000-8000-000000000009"  # date headers (EclecticIQ)
    added_after: str = "c1000000-0000-4000-8000-00000000000a"  # added_after as a datetime
    misp: str = "c2000000-0000-4000-8000-000000000001"  # in the "misp" API root


IDS = Collections()


def make_api_key() -> tuple[str, str]:
    """A Taxiway API key (the `taxiway key add` format) and the SHA-256 the config stores."""
    key_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
    key = f"twk_{key_id}_{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip('=')}"
    return key, hashlib.sha256(key.encode()).hexdigest()


# API keys of alice and sentinel: taxii2-client's TokenAuth, Bearer, and Sentinel's Basic password.
API_KEYS = {name: make_api_key() for name in ("alice", "sentinel")}


def scrypt_hash(password: str) -> str:
    """A Taxiway password hash (`taxiway hash-password` format) with cheap test parameters."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=1024, r=8, p=1, dklen=32)
    return f"$scrypt$N=1024,r=8,p=1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def build_config() -> dict[str, Any]:
    def who(users: list[str] | None = None) -> dict[str, list[str]]:
        return {"users": users or [], "groups": []}

    def collection(cid: str, title: str, read: list[str], write: list[str], root: str = "interop") -> dict[str, Any]:
        return {"id": cid, "api_root": root, "title": title, "permissions": {"read": who(read), "write": who(write)}}

    return {
        "server": {"log_level": "warn", "log_format": "json"},
        "discovery": {"title": "Taxiway interop", "description": "interoperability tests", "contact": "ci@example.org", "default": "interop"},
        "api_roots": [
            {"path": "interop", "title": "Interop", "max_content_length": INTEROP_MAX_CONTENT_LENGTH, "default_page_size": PAGE_SIZE, "max_page_size": PAGE_SIZE},
            {"path": "misp", "title": "MISP push", "max_content_length": MISP_MAX_CONTENT_LENGTH},
        ],
        "collections": [
            {**collection(IDS.client, "taxii2-client", ["alice"], ["alice"]), "alias": "client-alias"},
            collection(IDS.paging, "Paging", ["alice"], ["alice"]),
            collection(IDS.filters, "Filters", ["alice"], ["alice"]),
            collection(IDS.read_only, "Read-only", ["alice", "admin"], ["admin"]),
            collection(IDS.write_only, "Write-only", [], ["alice"]),
            collection(IDS.stix2, "python-stix2", ["alice"], ["alice"]),
            collection(IDS.opencti, "OpenCTI", ["alice"], ["alice"]),
            collection(IDS.opencti_ms, "OpenCTI (milliseconds)", ["alice"], ["alice"]),
            collection(IDS.opencti_connector, "OpenCTI connector", ["alice"], ["alice"]),
            collection(IDS.sentinel, "Sentinel", ["sentinel"], ["alice"]),
            collection(IDS.headers, "Date headers", ["alice"], ["alice"]),
            collection(IDS.added_after, "added_after", ["alice"], ["alice"]),
            collection(IDS.misp, "MISP", ["alice"], ["misp"], root="misp"),
        ],
        "users": [
            {
                "name": name,
                "password_hash": scrypt_hash(pw),
                "api_keys": [{"id": API_KEYS[name][0].split("_")[1], "name": "interop", "sha256": API_KEYS[name][1]}] if name in API_KEYS else [],
            }
            for name, pw in PASSWORDS.items()
        ],
        "store": {"type": "sqlite", "sqlite": {"path": "taxiway.db"}},
    }


MAX_REQUESTS_PER_CLIENT = 300


def guard(session: requests.Session, limit: int = MAX_REQUESTS_PER_CLIENT) -> requests.Session:
    """Makes a looping client fail instead of hanging the run: with `more: true` and no `next`,
    taxii2-client's as_pages and python-stix2's query() re-request the first page forever."""
    count = 0

    def count_response(res: requests.Response, *args: Any, **kwargs: Any) -> None:
        nonlocal count
        count += 1
        if count > limit:
            raise RuntimeError(f"more than {limit} requests through one client, is it looping? Last: {res.request.method} {res.url}")

    session.hooks["response"].append(count_response)
    return session


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Taxiway:
    """A running Taxiway and helpers to address it."""

    base_url: str
    store: str
    log_path: Path
    sessions: list[requests.Session] = field(default_factory=list)

    @property
    def discovery_url(self) -> str:
        return f"{self.base_url}/taxii2/"

    def api_root_url(self, root: str = "interop") -> str:
        return f"{self.base_url}/{root}/"

    def collection_url(self, collection_id: str, root: str | None = None) -> str:
        root = root or ("misp" if collection_id == IDS.misp else "interop")
        return f"{self.api_root_url(root)}collections/{collection_id}/"

    def objects_url(self, collection_id: str) -> str:
        return f"{self.collection_url(collection_id)}objects/"

    def http(self, user: str | None = "alice", accept: str | None = TAXII_21) -> requests.Session:
        """A plain HTTP client with Basic credentials (when `user` is given) and the given Accept
        header (none at all for `accept=None`, not even requests' default */*)."""
        session = guard(requests.Session())
        if user:
            session.auth = (user, PASSWORDS[user])
        if accept:
            session.headers["Accept"] = accept
        else:
            del session.headers["Accept"]
        self.sessions.append(session)
        return session

    def push(self, collection_id: str, objects: list[Any], user: str = "alice") -> dict[str, Any]:
        """POSTs an envelope over plain HTTP and returns the status; every object must succeed."""
        body = json.dumps({"objects": [as_dict(o) for o in objects]})
        res = self.http(user).post(self.objects_url(collection_id), data=body.encode(), headers={"Content-Type": TAXII_21})
        assert res.status_code == 202, res.text
        status = res.json()
        assert status["failure_count"] == 0, status
        return status


def as_dict(obj: Any) -> dict[str, Any]:
    """A STIX object as the JSON dict the library serialises it to (timestamps as strings)."""
    return json.loads(obj.serialize()) if isinstance(obj, stix2.base._STIXBase) else obj


def compact(obj: Any) -> str:
    """Canonical text of a JSON value, key order preserved, for byte-for-byte comparisons."""
    return json.dumps(as_dict(obj), separators=(",", ":"), ensure_ascii=False)


def parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


class StixFactory:
    """Valid STIX 2.1 objects built with python-stix2, each with a fresh id."""

    def __init__(self) -> None:
        self.counter = 0

    def indicator(self, **kwargs: Any) -> stix2.Indicator:
        self.counter += 1
        n = self.counter
        defaults: dict[str, Any] = {
            "name": f"interop indicator {n}",
            "pattern": f"[ipv4-addr:value = '198.51.{n // 250 % 250}.{n % 250 + 1}']",
            "pattern_type": "stix",
            "indicator_types": ["malicious-activity"],
        }
        return stix2.Indicator(**{**defaults, **kwargs})

    def indicators(self, count: int, **kwargs: Any) -> list[stix2.Indicator]:
        return [self.indicator(**kwargs) for _ in range(count)]

    def malware(self, **kwargs: Any) -> stix2.Malware:
        self.counter += 1
        return stix2.Malware(**{"name": f"interop malware {self.counter}", "is_family": False, **kwargs})

    def versions(self, *modified: str, **kwargs: Any) -> list[stix2.Indicator]:
        """Versions of one indicator, created at the first timestamp, one per `modified`."""
        first = self.indicator(created=modified[0], modified=modified[0], valid_from=modified[0], **kwargs)
        return [first] + [first.new_version(modified=m) for m in modified[1:]]


def _store_environment(workdir: Path) -> tuple[dict[str, str], str]:
    uri = os.environ.get("MONGODB_URI")
    if uri:
        database = f"taxiway_interop_{int(time.time())}_{secrets.token_hex(4)}"
        env = {"TAXIWAY_STORE__TYPE": "mongodb", "TAXIWAY_MONGODB_URI": uri, "TAXIWAY_STORE__MONGODB__DATABASE": database}
        return env, f"mongodb (database {database})"
    path = workdir / "taxiway.db"
    return {"TAXIWAY_STORE__TYPE": "sqlite", "TAXIWAY_SQLITE_PATH": str(path)}, f"sqlite ({path})"


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Taxiway exited with code {proc.returncode} while starting:\n{log_path.read_text()}")
        try:
            res = requests.get(url, headers={"Accept": TAXII_21}, auth=("alice", PASSWORDS["alice"]), timeout=2)
            if res.status_code == 200:
                return
            raise RuntimeError(f"GET {url} answered {res.status_code}: {res.text}\n{log_path.read_text()}")
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"Taxiway did not answer {url} within {timeout:.0f}s:\n{log_path.read_text()}")


ServerT = TypeVar("ServerT", bound=Taxiway)


@contextlib.contextmanager
def serve_taxiway(workdir: Path, config: dict[str, Any], server_class: type[ServerT], port: int | None = None) -> Iterator[ServerT]:
    """Runs `node bin/taxiway.js serve` on `config` (written into `workdir`) until the block ends."""
    entry = REPO_ROOT / "dist" / "src" / "cli" / "index.js"
    if not entry.exists():
        raise RuntimeError(f"{entry} is missing: build Taxiway first (npm run build; scripts/interop.sh does it)")
    config_path = workdir / "taxiway.yaml"
    config_path.write_text(json.dumps(config, indent=2))  # JSON is YAML
    store_env, store = _store_environment(workdir)
    # Only our overrides: a developer's own TAXIWAY_* variables must not leak into the test server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAXIWAY_") and k != "LOG_LEVEL"}
    env.update(store_env)
    port = port or free_port()
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            ["node", str(REPO_ROOT / "bin" / "taxiway.js"), "serve", "--config", str(config_path), "--port", str(port), "--host", "127.0.0.1"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = server_class(base_url=f"http://127.0.0.1:{port}", store=store, log_path=log_path)
    _server_logs.append(log_path)
    try:
        _wait_until_up(proc, server.discovery_url, log_path)
        yield server
    finally:
        for session in server.sessions:
            session.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def taxiway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Taxiway]:
    with serve_taxiway(tmp_path_factory.mktemp("taxiway"), build_config(), Taxiway) as server:
        yield server


@pytest.fixture(scope="session")
def stix() -> StixFactory:
    return StixFactory()


_server_logs: list[Path] = []


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """On failure, show the end of Taxiway's log (warnings and errors, e.g. a 500's stack)."""
    if exitstatus == 0:
        return
    for log_path in _server_logs:
        if log_path.exists():
            terminalreporter.section(f"Taxiway log, last 40 lines ({log_path})")
            for line in log_path.read_text(errors="replace").splitlines()[-40:]:
                terminalreporter.write_line(line)


def pytest_report_header(config: pytest.Config) -> str:
    store = "mongodb (MONGODB_URI)" if os.environ.get("MONGODB_URI") else "sqlite (temporary file)"
    return f"taxiway interop: store {store}; repo {REPO_ROOT}"
