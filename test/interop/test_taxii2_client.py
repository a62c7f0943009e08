"""taxii2-client 2.3.0 (the OASIS Python client) against Taxiway.

The client is strict about responses: it checks the Content-Type against its Accept header,
validates API root, collection and status resources, and pages only through `next`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import time
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from taxii2client.exceptions import AccessError, ValidationError
from taxii2client.common import TokenAuth
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from conftest import API_KEYS, IDS, INTEROP_MAX_CONTENT_LENGTH, PAGE_SIZE, PASSWORDS, TAXII_21, TAXII_TIMESTAMP, StixFactory, Taxiway, as_dict, guard, parse_timestamp

UTC = dt.timezone.utc
PAGED_OBJECTS = 53  # ten pages of PAGE_SIZE and a partial one


def collection(taxiway: Taxiway, collection_id: str, user: str = "alice") -> Collection:
    coll = Collection(taxiway.collection_url(collection_id), user=user, password=PASSWORDS[user])
    guard(coll._conn.session)
    return coll


def envelope(*objects: Any) -> dict[str, Any]:
    return {"objects": [as_dict(o) for o in objects]}


def record_requests(coll: Collection) -> list[requests.PreparedRequest]:
    """Records every request the client sends through this collection's connection."""
    sent: list[requests.PreparedRequest] = []
    coll._conn.session.hooks["response"].append(lambda res, *args, **kwargs: sent.append(res.request))
    return sent


def query_of(request: requests.PreparedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


def ids(objects: list[dict[str, Any]]) -> list[str]:
    return [o["id"] for o in objects]


# --- discovery, API root, collections ---------------------------------------------------------


def test_server_discovery(taxiway: Taxiway) -> None:
    server = Server(taxiway.discovery_url, user="alice", password=PASSWORDS["alice"])
    assert server.title == "Taxiway interop"
    assert server.contact == "ci@example.org"
    # Discovery gives absolute API root URLs, built from the address the client used.
    assert [root.url for root in server.api_roots] == [taxiway.api_root_url("interop"), taxiway.api_root_url("misp")]
    assert server.default is server.api_roots[0]


def test_api_root_information_and_collections(taxiway: Taxiway) -> None:
    root = Server(taxiway.discovery_url, user="alice", password=PASSWORDS["alice"]).default
    root.refresh()
    assert root.title == "Interop"
    assert root.versions == [TAXII_21]
    assert root.max_content_length == INTEROP_MAX_CONTENT_LENGTH
    rights = {c.id: (c.can_read, c.can_write) for c in root.collections}
    assert rights == {
        IDS.client: (True, True),
        IDS.paging: (True, True),
        IDS.filters: (True, True),
        IDS.read_only: (True, False),
        IDS.write_only: (False, True),
        IDS.stix2: (True, True),
        IDS.opencti: (True, True),
        IDS.sentinel: (False, True),
        IDS.headers: (True, True),
        IDS.added_after: (True, True),
        IDS.opencti_ms: (True, True),
        IDS.opencti_connector: (True, True),
    }
    # The rights are computed for the caller: the Sentinel account only reads its collection.
    sentinel_root = ApiRoot(taxiway.api_root_url(), user="sentinel", password=PASSWORDS["sentinel"])
    assert [(c.id, c.can_read, c.can_write) for c in sentinel_root.collections] == [(IDS.sentinel, True, False)]


@pytest.mark.parametrize(
    ("collection_id", "can_read", "can_write"),
    [(IDS.client, True, True), (IDS.read_only, True, False), (IDS.write_only, False, True)],
)
def test_collection_refresh(taxiway: Taxiway, collection_id: str, can_read: bool, can_write: bool) -> None:
    coll = collection(taxiway, collection_id)
    coll.refresh()
    assert (coll.id, coll.can_read, coll.can_write) == (collection_id, can_read, can_write)
    assert coll.media_types == ["application/stix+json;version=2.1"]


def test_collection_by_alias_is_refused_by_the_client(taxiway: Taxiway) -> None:
    """Client quirk: it requires the collection id in the URL, so an alias URL cannot be used."""
    alias_url = f"{taxiway.api_root_url()}collections/client-alias/"
    assert taxiway.http().get(alias_url).json()["id"] == IDS.client  # the server serves it
    with pytest.raises(ValidationError, match="does not match the url"):
        Collection(alias_url, user="alice", password=PASSWORDS["alice"]).refresh()


# --- add objects and status -------------------------------------------------------------------


def test_add_objects_waiting_for_completion(taxiway: Taxiway, stix: StixFactory) -> None:
    objects = [stix.indicator(), stix.malware()]
    coll = collection(taxiway, IDS.client)
    sent = record_requests(coll)
    status = coll.add_objects(envelope(*objects), wait_for_completion=True, poll_interval=1, timeout=10)
    # Taxiway answers with a final status, so the client returns without polling the status.
    assert [r.method for r in sent if "/status/" in r.url or r.method == "POST"] == ["POST"]
    assert status.status == "complete"
    assert (status.total_count, status.success_count, status.failure_count, status.pending_count) == (2, 2, 0, 0)
    assert sorted(s["id"] for s in status.successes) == sorted(o.id for o in objects)
    assert [o["id"] for o in coll.get_objects(id=[o.id for o in objects])["objects"]] == [o.id for o in objects]


def test_add_objects_without_waiting_and_status_polling(taxiway: Taxiway, stix: StixFactory) -> None:
    good = stix.indicator()
    bad = {**as_dict(stix.indicator()), "created": "2024-01-01T00:00:00Z"}  # STIX 2.1 wants milliseconds
    coll = collection(taxiway, IDS.client)
    status = coll.add_objects(envelope(good, bad), wait_for_completion=False)
    # The client builds the status URL itself from the collection URL ("../../status/<id>").
    assert status.url == f"{taxiway.api_root_url()}status/{status.id}/"
    assert (status.total_count, status.success_count, status.failure_count) == (2, 1, 1)
    # Lists, when present, must be complete: the client checks their lengths against the counts.
    assert [f["id"] for f in status.failures] == [bad["id"]]
    assert [s["id"] for s in status.successes] == [good.id]

    status.refresh()  # GET at the client-built URL
    assert status.status == "complete"
    status.wait_until_final(poll_interval=0.05, timeout=5)
    assert bool(status)
    again = ApiRoot(taxiway.api_root_url(), user="alice", password=PASSWORDS["alice"]).get_status(status.id)
    assert again._raw == status._raw


# --- paging with as_pages ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def paged_ids(taxiway: Taxiway, stix: StixFactory) -> list[str]:
    objects = stix.indicators(PAGED_OBJECTS)
    for start in range(0, len(objects), 20):
        taxiway.push(IDS.paging, objects[start : start + 20])
    return [o.id for o in objects]


def _pages(caplog: pytest.LogCaptureFixture, func: Any, per_request: int) -> Iterator[dict[str, Any]]:
    with caplog.at_level(logging.WARNING, logger="taxii2client"):
        yield from as_pages(func, per_request=per_request)


@pytest.mark.parametrize("per_request", [2, PAGE_SIZE * 10], ids=["smaller-than-server-max", "larger-than-server-max"])
def test_get_objects_as_pages(taxiway: Taxiway, paged_ids: list[str], caplog: pytest.LogCaptureFixture, per_request: int) -> None:
    coll = collection(taxiway, IDS.paging)
    coll.refresh()
    sent = record_requests(coll)
    pages = list(_pages(caplog, coll.get_objects, per_request))

    page_size = min(per_request, PAGE_SIZE)
    assert len(pages) == math.ceil(PAGED_OBJECTS / page_size) >= 10
    assert [o["id"] for page in pages for o in page["objects"]] == paged_ids
    for page in pages[:-1]:
        assert page["more"] is True and page["next"], "more: true must come with next"
        assert len(page["objects"]) == page_size
    assert pages[-1].get("more", False) is False
    warnings = [r for r in caplog.records if r.name.startswith("taxii2client")]
    if per_request > PAGE_SIZE:
        # The client warns once and adopts the server's page size: no warning loop.
        assert [r.getMessage() for r in warnings] == [f"TAXII Server Response with different amount of objects! Setting limit={PAGE_SIZE}"]
        assert [query_of(r)["limit"] for r in sent] == [[str(per_request)]] + [[str(PAGE_SIZE)]] * (len(pages) - 1)
    else:
        assert warnings == []
        assert all(query_of(r)["limit"] == [str(per_request)] for r in sent)


def test_get_manifest_as_pages(taxiway: Taxiway, paged_ids: list[str], caplog: pytest.LogCaptureFixture) -> None:
    coll = collection(taxiway, IDS.paging)
    pages = list(_pages(caplog, coll.get_manifest, 4))
    assert len(pages) == math.ceil(PAGED_OBJECTS / 4)
    records = [record for page in pages for record in page["objects"]]
    assert [r["id"] for r in records] == paged_ids
    dates = [r["date_added"] for r in records]
    assert all(TAXII_TIMESTAMP.match(d) for d in dates) and dates == sorted(dates) and len(set(dates)) == len(dates)
    assert {r["media_type"] for r in records} == {"application/stix+json;version=2.1"}
    assert caplog.records == []


# --- single objects, versions, delete -----------------------------------------------------------

V1, V2, V3 = "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"


def test_get_object_and_object_versions(taxiway: Taxiway, stix: StixFactory) -> None:
    versions = stix.versions(V1, V2, V3)
    taxiway.push(IDS.client, versions)
    coll = collection(taxiway, IDS.client)
    oid = versions[0].id

    latest = coll.get_object(oid)
    assert [o["modified"] for o in latest["objects"]] == [V3]
    assert latest["objects"][0] == as_dict(versions[2])
    assert [o["modified"] for o in coll.get_object(oid, version="all")["objects"]] == [V1, V2, V3]

    listed = coll.object_versions(oid)
    assert listed["versions"] == ["2024-01-01T00:00:00.000000Z", "2024-02-01T00:00:00.000000Z", "2024-03-01T00:00:00.000000Z"]
    assert listed.get("more", False) is False


def test_delete_object(taxiway: Taxiway, stix: StixFactory) -> None:
    versions = stix.versions(V1, V2, V3)
    taxiway.push(IDS.client, versions)
    coll = collection(taxiway, IDS.client)
    oid = versions[0].id

    coll.delete_object(oid, version=dt.datetime(2024, 3, 1, tzinfo=UTC))  # one version
    assert [o["modified"] for o in coll.get_object(oid)["objects"]] == [V2]
    assert len(coll.object_versions(oid)["versions"]) == 2

    coll.delete_object(oid)  # every remaining version
    with pytest.raises(requests.HTTPError) as missing:
        coll.get_object(oid)
    assert missing.value.response.status_code == 404
    assert coll.get_objects(id=oid, version="all") == {}


# --- filters as client keyword arguments --------------------------------------------------------


def test_filters_as_keyword_arguments(taxiway: Taxiway, stix: StixFactory) -> None:
    versions = stix.versions(V1, V2, V3)
    malware = stix.malware()
    taxiway.push(IDS.filters, [*versions, malware])
    coll = collection(taxiway, IDS.filters)
    coll.refresh()
    sent = record_requests(coll)
    oid = versions[0].id

    assert ids(coll.get_objects(type="malware")["objects"]) == [malware.id]
    assert ids(coll.get_objects(type=["indicator", "malware"])["objects"]) == [oid, malware.id]
    assert query_of(sent[-1])["match[type]"] == ["indicator,malware"]
    assert ids(coll.get_objects(id=malware.id)["objects"]) == [malware.id]
    assert coll.get_objects(id=oid, type="malware") == {}

    def modified(**filters: Any) -> list[str]:
        return [o["modified"] for o in coll.get_objects(id=oid, **filters)["objects"]]

    assert modified() == [V3]  # last by default
    assert modified(version="first") == [V1]
    assert modified(version="all") == [V1, V2, V3]
    # A datetime is sent STIX-style without a fraction (2024-02-01T00:00:00Z) and compared by value.
    assert modified(version=dt.datetime(2024, 2, 1, tzinfo=UTC)) == [V2]
    assert query_of(sent[-1])["match[version]"] == ["2024-02-01T00:00:00Z"]
    assert modified(version=[dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2024, 3, 1, tzinfo=UTC)]) == [V1, V3]


def test_added_after_datetime_without_fraction(taxiway: Taxiway, stix: StixFactory) -> None:
    coll = collection(taxiway, IDS.added_after)
    sent = record_requests(coll)

    def push_one() -> tuple[str, dt.datetime]:
        obj = stix.indicator()
        taxiway.push(IDS.added_after, [obj])
        return obj.id, parse_timestamp(coll.get_manifest(id=obj.id)["objects"][0]["date_added"])

    early, early_added = push_one()
    # The next whole second after `early` was added: a datetime with zero microseconds.
    cut = early_added.replace(microsecond=0) + dt.timedelta(seconds=1)
    before = [early]
    for _ in range(5):  # the server's clock decides; retry if it is a hair behind ours
        time.sleep(max(0.0, (cut - dt.datetime.now(UTC)).total_seconds()) + 0.01)
        late, late_added = push_one()
        if late_added > cut:
            break
        before.append(late)
    else:
        pytest.fail(f"no object was added after {cut}")

    found = coll.get_objects(added_after=cut)
    assert query_of(sent[-1])["added_after"] == [cut.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert ids(found["objects"]) == [late]
    assert ids(coll.get_objects(added_after=cut - dt.timedelta(seconds=1))["objects"]) == [*before, late]


# --- authentication and permissions -------------------------------------------------------------


@pytest.mark.parametrize("password", ["wrong", None], ids=["wrong-password", "no-credentials"])
def test_bad_credentials_raise_the_clients_http_error(taxiway: Taxiway, password: str | None) -> None:
    endpoints = [
        lambda: Server(taxiway.discovery_url, user="alice", password=password).title,
        lambda: ApiRoot(taxiway.api_root_url(), user="alice", password=password).title,
        lambda: Collection(taxiway.collection_url(IDS.client), user="alice", password=password).can_read,
    ]
    for call in endpoints:
        with pytest.raises(requests.HTTPError) as denied:
            call()
        assert denied.value.response.status_code == 401
        assert denied.value.response.headers["WWW-Authenticate"].startswith("Basic ")
        assert denied.value.response.headers["Content-Type"] == TAXII_21


def test_read_only_collection_refuses_writes(taxiway: Taxiway, stix: StixFactory) -> None:
    existing = stix.indicator()
    taxiway.push(IDS.read_only, [existing], user="admin")
    coll = collection(taxiway, IDS.read_only)
    assert ids(coll.get_objects()["objects"]) == [existing.id]

    # The client refuses by itself, from the collection's can_write...
    with pytest.raises(AccessError):
        coll.add_objects(envelope(stix.indicator()))
    with pytest.raises(AccessError):
        coll.delete_object(existing.id)
    # ...and the server refuses the same requests sent over plain HTTP.
    http = taxiway.http()
    post = http.post(taxiway.objects_url(IDS.read_only), data=json.dumps(envelope(stix.indicator())), headers={"Content-Type": TAXII_21})
    assert post.status_code == 403
    assert post.headers["Content-Type"] == TAXII_21
    assert post.json()["http_status"] == "403"
    assert http.delete(f"{taxiway.objects_url(IDS.read_only)}{existing.id}/").status_code == 403
    assert ids(coll.get_objects()["objects"]) == [existing.id]


def test_write_only_collection_refuses_reads(taxiway: Taxiway, stix: StixFactory) -> None:
    coll = collection(taxiway, IDS.write_only)
    status = coll.add_objects(envelope(stix.indicator()))
    assert status.success_count == 1
    for read in (coll.get_objects, coll.get_manifest, lambda: coll.get_object(status.successes[0]["id"])):
        with pytest.raises(AccessError):
            read()
    res = taxiway.http().get(taxiway.objects_url(IDS.write_only))
    assert res.status_code == 403
    assert res.headers["Content-Type"] == TAXII_21


# --- API keys ----------------------------------------------------------------------------------------


def test_api_key_with_token_auth_reads_and_writes(taxiway: Taxiway, stix: StixFactory) -> None:
    """taxii2-client's TokenAuth sends `Authorization: Token KEY`; the key carries its user's rights."""
    key = API_KEYS["alice"][0]
    server = Server(taxiway.discovery_url, auth=TokenAuth(key))
    guard(server._conn.session)
    assert [root.url for root in server.api_roots] == [taxiway.api_root_url("interop"), taxiway.api_root_url("misp")]
    coll = Collection(taxiway.collection_url(IDS.client), auth=TokenAuth(key))
    guard(coll._conn.session)
    assert (coll.can_read, coll.can_write) == (True, True)
    indicator = stix.indicator()
    status = coll.add_objects(envelope(indicator))
    assert status.success_count == 1
    assert coll.get_object(indicator.id)["objects"][0]["id"] == indicator.id


def test_api_key_as_bearer_and_wrong_keys(taxiway: Taxiway) -> None:
    key = API_KEYS["alice"][0]
    http = requests.Session()
    guard(http)
    ok = http.get(taxiway.discovery_url, headers={"Accept": TAXII_21, "Authorization": f"Bearer {key}"})
    assert ok.status_code == 200
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for header in (f"Bearer {forged}", f"Token {forged}", "Bearer twk_nosuchid_" + "A" * 43):
        refused = http.get(taxiway.discovery_url, headers={"Accept": TAXII_21, "Authorization": header})
        assert refused.status_code == 401
        assert "Bearer" in refused.headers["WWW-Authenticate"] and "Basic" in refused.headers["WWW-Authenticate"]
    # Never from the query string.
    assert http.get(taxiway.discovery_url, params={"api_key": key}, headers={"Accept": TAXII_21}).status_code == 401
