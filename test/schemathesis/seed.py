"""Seeds a fresh Taxiway for scripts/schemathesis.sh, so that generated requests find real data.

Usage: seed.py BASE_URL FUZZER_PASSWORD SEEDER_PASSWORD

Waits for /_health/, then pushes a few valid STIX 2.1 objects (several versions of some) into
the collections of the "fuzz" API root that test/schemathesis/schemathesis.toml names:

- rw (read-write for `fuzzer`): enough versions for several pages at max_page_size 3;
- ro (read-only for `fuzzer`; `seeder` writes it): so reads succeed and writes get 403;
- wo (write-only for `fuzzer`): so reads get 403.

The object ids are fixed: the schemathesis config lists them as values for {objectId}. Exits
non-zero when the server does not come up or an object is refused.
"""

from __future__ import annotations

import json
import sys
import time

import requests

TAXII = "application/taxii+json;version=2.1"
COLLECTIONS = {
    "rw": "5a1b2c3d-0000-4000-8000-000000000001",
    "ro": "5a1b2c3d-0000-4000-8000-000000000002",
    "wo": "5a1b2c3d-0000-4000-8000-000000000003",
}
INDICATOR = "indicator--0e9c4d1f-3a64-4c8e-9f8a-6c1c5e0b7a01"
MALWARE = "malware--0e9c4d1f-3a64-4c8e-9f8a-6c1c5e0b7a02"
RELATIONSHIP = "relationship--0e9c4d1f-3a64-4c8e-9f8a-6c1c5e0b7a03"
IPV4 = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"
NOTE = "note--0e9c4d1f-3a64-4c8e-9f8a-6c1c5e0b7a04"


def indicator(modified: str) -> dict:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": INDICATOR,
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified,
        "name": "C2 server",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
        "pattern": "[ipv4-addr:value = '198.51.100.1']",
    }


def malware(modified: str) -> dict:
    return {
        "type": "malware",
        "spec_version": "2.1",
        "id": MALWARE,
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified,
        "name": "Example RAT",
        "is_family": True,
    }


def note(modified: str) -> dict:
    return {
        "type": "note",
        "spec_version": "2.1",
        "id": NOTE,
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified,
        "content": "Seen in the wild.",
        "object_refs": [INDICATOR],
    }


RELATIONSHIP_OBJECT = {
    "type": "relationship",
    "spec_version": "2.1",
    "id": RELATIONSHIP,
    "created": "2024-01-01T00:00:00.000Z",
    "modified": "2024-01-01T00:00:00.000Z",
    "relationship_type": "indicates",
    "source_ref": INDICATOR,
    "target_ref": MALWARE,
}
IPV4_OBJECT = {"type": "ipv4-addr", "spec_version": "2.1", "id": IPV4, "value": "198.51.100.3"}


def wait_for_health(base: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if requests.get(f"{base}/_health/", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"seed: {base}/_health/ did not answer 200 within {timeout_s:.0f}s")
        time.sleep(0.2)


def push(base: str, collection: str, auth: tuple[str, str], objects: list[dict]) -> str:
    url = f"{base}/fuzz/collections/{COLLECTIONS[collection]}/objects/"
    res = requests.post(url, data=json.dumps({"objects": objects}), auth=auth, headers={"Accept": TAXII, "Content-Type": TAXII}, timeout=30)
    if res.status_code != 202:
        sys.exit(f"seed: POST {url} answered {res.status_code}: {res.text[:500]}")
    status = res.json()
    if status.get("failure_count") != 0:
        sys.exit(f"seed: objects refused in {collection}: {json.dumps(status.get('failures'))[:1000]}")
    return status["id"]


def main() -> None:
    base, fuzzer_pw, seeder_pw = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    wait_for_health(base)
    fuzzer = ("fuzzer", fuzzer_pw)
    seeder = ("seeder", seeder_pw)
    # One push per version, so versions get distinct date_added values in a known order.
    for objects in (
        [indicator("2024-01-01T00:00:00.000Z"), malware("2024-01-01T00:00:00.000Z")],
        [RELATIONSHIP_OBJECT, IPV4_OBJECT, note("2024-01-01T00:00:00.000Z")],
        [indicator("2024-02-01T00:00:00.000Z")],
        [indicator("2024-03-01T00:00:00.123456Z"), malware("2024-03-01T00:00:00.000Z")],
        [note("2024-03-02T00:00:00.000Z")],
    ):
        push(base, "rw", fuzzer, objects)
    push(base, "ro", seeder, [indicator("2024-01-01T00:00:00.000Z"), malware("2024-01-01T00:00:00.000Z"), IPV4_OBJECT])
    push(base, "wo", fuzzer, [indicator("2024-01-01T00:00:00.000Z")])
    print("seed: 12 versions of 5 objects in rw, 3 objects in ro, 1 in wo")


if __name__ == "__main__":
    main()
