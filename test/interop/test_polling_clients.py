"""The request patterns of other real clients, scripted with a plain HTTP client (requests).

OpenCTI's ingester, MISP's push script and Microsoft Sentinel's connector cannot run in CI; these
tests send what they send (see docs/interoperability.md for the sources) and check what they need.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any, Callable, Iterator

import requests
import taxii2client
from requests.auth import HTTPBasicAuth
from taxii2client.v21 import as_pages

from conftest import API_KEYS, IDS, MISP_MAX_CONTENT_LENGTH, PAGE_SIZE, PASSWORDS, TAXII_21, TAXII_TIMESTAMP, StixFactory, Taxiway, as_dict, guard, parse_timestamp

UTC = dt.timezone.utc
DATE_HEADERS = ("X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last")


def check_taxii_response(res: requests.Response, status: int = 200) -> dict[str, Any]:
    assert res.status_code == status, res.text
    assert res.headers["Content-Type"] == TAXII_21
    for name in DATE_HEADERS:
        # Never a placeholder such as "undefined" (EclecticIQ rejects those): a timestamp or absent.
        assert name not in res.headers or TAXII_TIMESTAMP.match(res.headers[name]), (name, res.headers[name])
    return res.json()


# --- OpenCTI ------------------------------------------------------------------------------------


def exact(header: str) -> str:
    return header


def javascript_iso(header: str) -> str:
    """What OpenCTI stores as its checkpoint: utcDate(header).toISOString(), milliseconds only
    (JavaScript dates truncate the fraction), e.g. ...05.123456Z -> ...05.123Z."""
    return parse_timestamp(header).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z"


class OpenCtiIngester:
    """OpenCTI's TAXII feed ingestion (opencti-graphql manager/ingestion/ingestionTaxii.ts, after
    opencti#5681): within a run it follows `next` while resending the run's original `added_after`;
    after the last page (`more` false) it stores the page's X-TAXII-Date-Added-Last, through
    `checkpoint`, as the `added_after` of the next run. A page without objects changes nothing."""

    def __init__(self, http: requests.Session, objects_url: str, limit: int, checkpoint: Callable[[str], str] = exact) -> None:
        self.http, self.objects_url, self.limit, self.checkpoint = http, objects_url, limit, checkpoint
        self.added_after: str | None = None
        self.pages = 0

    def run(self, between_pages: Callable[[int], None] = lambda page: None) -> list[str]:
        """One ingestion run; returns the ids it received, in order."""
        seen: list[str] = []
        cursor: str | None = None
        for page in range(1000):
            params: dict[str, Any] = {"limit": self.limit}
            if self.added_after:
                params["added_after"] = self.added_after
            if cursor:
                params["next"] = cursor
            res = self.http.get(self.objects_url, params=params)
            body = check_taxii_response(res)
            self.pages += 1
            objects = body.get("objects", [])
            seen += [o["id"] for o in objects]
            if not body.get("more"):
                if objects:
                    self.added_after = self.checkpoint(res.headers["X-TAXII-Date-Added-Last"])
                return seen
            assert isinstance(body.get("next"), str) and body["next"], "more: true without next"
            cursor = body["next"]
            between_pages(page)
        raise AssertionError("the run did not end")


class Pusher:
    def __init__(self, taxiway: Taxiway, stix: StixFactory, collection_id: str) -> None:
        self.taxiway, self.stix, self.collection_id = taxiway, stix, collection_id
        self.pushed: list[str] = []

    def __call__(self, count: int) -> list[str]:
        objects = self.stix.indicators(count)
        self.taxiway.push(self.collection_id, objects)
        self.pushed += [o.id for o in objects]
        return [o.id for o in objects]


def test_opencti_ingester_sees_every_object_exactly_once(taxiway: Taxiway, stix: StixFactory) -> None:
    """The ingestion pattern with the checkpoint kept exactly as the header gave it."""
    ingester = OpenCtiIngester(taxiway.http(), taxiway.objects_url(IDS.opencti), limit=3)
    push = Pusher(taxiway, stix, IDS.opencti)

    def push_during_first_pages(page: int) -> None:
        if page < 2:
            push(2)

    push(7)
    runs = [ingester.run(push_during_first_pages)]  # 7 + 4 objects that arrive while it pages
    assert ingester.added_after is not None
    push(4)  # between runs
    runs.append(ingester.run(push_during_first_pages))  # 4 + 2 (the second page is the last)
    runs.append(ingester.run())  # nothing new: an empty envelope, the checkpoint stays
    push(1)
    runs.append(ingester.run())

    assert [len(run) for run in runs] == [11, 6, 0, 1]
    seen = [oid for run in runs for oid in run]
    assert len(seen) == len(set(seen)), "an object was delivered twice"
    assert seen == push.pushed
    assert ingester.pages == 4 + 2 + 1 + 1


def test_opencti_millisecond_checkpoint_misses_nothing(taxiway: Taxiway, stix: StixFactory) -> None:
    """Client deviation: the real ingester keeps its checkpoint as a JavaScript date, so the
    microseconds of X-TAXII-Date-Added-Last are cut off and the next run starts up to 999 us
    early. Nothing is missed; the objects added in that last millisecond come again (OpenCTI
    upserts them). See docs/interoperability.md."""
    ingester = OpenCtiIngester(taxiway.http(), taxiway.objects_url(IDS.opencti_ms), limit=3, checkpoint=javascript_iso)
    push = Pusher(taxiway, stix, IDS.opencti_ms)
    manifest_url = taxiway.collection_url(IDS.opencti_ms) + "manifest/"

    def after_checkpoint() -> list[str]:
        """Ids the server holds after the ingester's current checkpoint, in date_added order."""
        records = taxiway.http().get(manifest_url, params={"added_after": ingester.added_after}).json()
        return [r["id"] for r in records.get("objects", [])]

    first = push(5)
    assert ingester.run() == first
    assert ingester.added_after is not None and len(ingester.added_after) == len("2026-01-01T00:00:00.000Z")
    repeated = after_checkpoint()  # the objects of the last millisecond, from the server's view
    assert repeated == first[len(first) - len(repeated) :]
    second = push(4)
    assert ingester.run() == repeated + second  # nothing missed; the last millisecond comes again


def test_opencti_connector_pages_with_next_alone(taxiway: Taxiway, stix: StixFactory) -> None:
    """OpenCTI's taxii2 connector (taxii2-client) drops added_after once it has a `next` and sends
    only `next` (and `limit`): the cursor alone must keep the position."""
    push = Pusher(taxiway, stix, IDS.opencti_connector)
    push(2)
    http = taxiway.http()
    url = taxiway.objects_url(IDS.opencti_connector)
    checkpoint = http.get(url).headers["X-TAXII-Date-Added-Last"]
    later = push(8)

    params: dict[str, Any] = {"limit": 3, "added_after": checkpoint}
    seen: list[str] = []
    while True:
        body = check_taxii_response(http.get(url, params=params))
        seen += [o["id"] for o in body.get("objects", [])]
        if not body.get("more"):
            break
        params.pop("added_after", None)
        params["next"] = body["next"]
    assert seen == later


def test_opencti_empty_run_keeps_a_valid_checkpoint(taxiway: Taxiway) -> None:
    """A run with nothing new returns `{}` and a date header that is a timestamp or absent."""
    later = (dt.datetime.now(UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    res = taxiway.http().get(taxiway.objects_url(IDS.opencti), params={"added_after": later, "limit": 3})
    assert check_taxii_response(res) == {}


# --- MISP -----------------------------------------------------------------------------------------


def misp_session(taxiway: Taxiway) -> requests.Session:
    """MISP sends HTTP Basic built from its base64 `user:password` key, and no requests auth."""
    http = taxiway.http(user=None)
    key = base64.b64encode(f"misp:{PASSWORDS['misp']}".encode()).decode()
    http.headers.update({"Authorization": f"Basic {key}", "Content-Type": TAXII_21})
    return http


def padded_envelope(stix: StixFactory, size: int) -> bytes:
    """An envelope of exactly `size` bytes: one indicator whose description fills the gap."""
    obj = as_dict(stix.indicator(description="-"))
    base = len(json.dumps({"objects": [obj]}, separators=(",", ":")).encode())
    obj["description"] = "x" * (size - base + 1)
    body = json.dumps({"objects": [obj]}, separators=(",", ":")).encode()
    assert len(body) == size
    return body


def test_misp_reads_max_content_length_and_the_limit_is_exact(taxiway: Taxiway, stix: StixFactory) -> None:
    http = misp_session(taxiway)
    root = check_taxii_response(http.get(taxiway.api_root_url("misp")))
    limit = root["max_content_length"]
    assert limit == MISP_MAX_CONTENT_LENGTH

    at_limit = http.post(taxiway.objects_url(IDS.misp), data=padded_envelope(stix, limit))
    assert check_taxii_response(at_limit, 202)["success_count"] == 1
    over = http.post(taxiway.objects_url(IDS.misp), data=padded_envelope(stix, limit + 1))
    error = check_taxii_response(over, 413)
    assert error["http_status"] == "413" and error["title"]


def misp_envelopes(objects: list[Any], max_content_length: int) -> Iterator[bytes]:
    """MISP's make_taxii_envelopes(): objects as python-stix2 serialises them, joined into
    `{"objects":[...]}` bodies of at most max_content_length bytes (exactly that size is allowed)."""

    def envelope(parts: list[bytes]) -> bytes:
        return b'{"objects":[' + b",".join(parts) + b"]}"

    parts: list[bytes] = []
    for obj in objects:
        data = obj.serialize().encode("utf-8")
        if parts and len(envelope([*parts, data])) > max_content_length:
            yield envelope(parts)
            parts = []
        parts.append(data)
    if parts:
        yield envelope(parts)


def test_misp_push_in_envelopes_cut_to_fit(taxiway: Taxiway, stix: StixFactory) -> None:
    """MISP's taxii_push.py: ApiRoot(baseurl + "/" + api_root) for max_content_length, then
    Collection(api_root_url + "/collections/" + id).add_objects(envelope_bytes,
    wait_for_completion=False) per envelope, with HTTPBasicAuth decoded from its base64 key."""
    key = base64.b64encode(f"misp:{PASSWORDS['misp']}".encode()).decode()
    auth = HTTPBasicAuth(*base64.b64decode(key.encode()).split(b":"))  # as MISP's parse_auth()
    api_root_url = taxiway.base_url + "/" + "misp"  # no trailing slash: the client adds it
    with taxii2client.ApiRoot(api_root_url, auth=auth) as api_root:
        max_content_length = api_root.max_content_length
    assert max_content_length == MISP_MAX_CONTENT_LENGTH

    objects = stix.indicators(30)
    envelopes = list(misp_envelopes(objects, max_content_length))
    assert len(envelopes) > 1 and max(len(e) for e in envelopes) <= max_content_length
    with taxii2client.Collection(api_root_url + "/collections/" + IDS.misp, auth=auth) as collection:
        for envelope in envelopes:
            status = collection.add_objects(envelope, wait_for_completion=False)
            assert status.failure_count == 0 and status.success_count == envelope.count(b'"type": "indicator"')

    reader = taxii2client.Collection(taxiway.collection_url(IDS.misp), user="alice", password=PASSWORDS["alice"])
    guard(reader._conn.session)
    stored = list(as_pages(reader.get_objects, per_request=PAGE_SIZE, id=[o.id for o in objects]))
    assert sorted(o["id"] for page in stored for o in page["objects"]) == sorted(o.id for o in objects)


# --- Microsoft Sentinel -------------------------------------------------------------------------


def test_sentinel_connector(taxiway: Taxiway, stix: StixFactory) -> None:
    """Configured with the API root URL, a collection id, Basic credentials and an indicator window
    (all / a month / a week / a day), presumably sent as `added_after` in some timestamp form."""
    objects = stix.indicators(PAGE_SIZE + 3)
    taxiway.push(IDS.sentinel, objects)
    http = taxiway.http("sentinel")
    api_root_url, collection_id = taxiway.api_root_url("interop"), IDS.sentinel

    root = check_taxii_response(http.get(api_root_url))
    # Full media types, not ["2.1"] (opencti#12983 broke Sentinel that way).
    assert root["versions"] == [TAXII_21]
    collection = check_taxii_response(http.get(f"{api_root_url}collections/{collection_id}/"))
    assert (collection["id"], collection["can_read"]) == (collection_id, True)

    def poll(window: dt.timedelta | None, fmt: str = "%Y-%m-%dT%H:%M:%SZ") -> list[str]:
        params: dict[str, str] = {}
        if window is not None:  # "all indicators" sends no added_after
            params["added_after"] = (dt.datetime.now(UTC) - window).strftime(fmt)
        seen: list[str] = []
        while True:
            body = check_taxii_response(http.get(f"{api_root_url}collections/{collection_id}/objects/", params=params))
            seen += [o["id"] for o in body.get("objects", [])]
            if not body.get("more"):
                return seen
            params["next"] = body["next"]

    expected = [o.id for o in objects]
    for window in (None, dt.timedelta(days=30), dt.timedelta(days=7)):
        assert poll(window) == expected
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.000Z", "%Y-%m-%dT%H:%M:%S.%fZ"):
        assert poll(dt.timedelta(days=1), fmt) == expected
    assert poll(dt.timedelta(days=-1)) == []  # a window that starts later than everything

    # The account reads, and only reads.
    post = http.post(f"{api_root_url}collections/{collection_id}/objects/", data=b'{"objects":[]}', headers={"Content-Type": TAXII_21})
    assert post.status_code == 403

    # Sentinel sends only Basic: an API key works as the password of its user.
    with_key = taxiway.http(None)
    with_key.auth = ("sentinel", API_KEYS["sentinel"][0])
    body = check_taxii_response(with_key.get(f"{api_root_url}collections/{collection_id}/objects/"))
    assert [o["id"] for o in body["objects"]] == expected[:PAGE_SIZE]


# --- EclecticIQ-style date header checkpoints ------------------------------------------------------


def test_date_headers_on_every_endpoint_are_timestamps(taxiway: Taxiway, stix: StixFactory) -> None:
    versions = stix.versions("2024-06-01T00:00:00.000Z", "2024-06-02T00:00:00.000Z")
    status = taxiway.push(IDS.headers, versions)
    assert status["success_count"] == 2
    http = taxiway.http()
    collection_url = taxiway.collection_url(IDS.headers)
    oid = versions[0].id
    full = [
        f"{collection_url}objects/",
        f"{collection_url}manifest/",
        f"{collection_url}objects/{oid}/",
        f"{collection_url}objects/{oid}/versions/",
    ]
    for url in full:
        res = http.get(url, params={"match[version]": "all"} if "versions" not in url else None)
        check_taxii_response(res)
        first, last = (res.headers[h] for h in DATE_HEADERS)
        assert first < last, url
    for url in full[:2]:
        empty = http.get(url, params={"match[type]": "malware"})
        assert check_taxii_response(empty) == {}
