"""cytaxii2 1.0.1 (Cyware's TAXII 2.x client, PyPI `cytaxii2`) against Taxiway.

The client is used the way its README tells a new user to: construct it with the *discovery* URL,
a username and a password, and let it find the API root itself from discovery's `default`; poll
with the README's paging loop (which starts with `next=0` and stops when a response has no
`next`); push with `inbox_request(collection_id, stix_bundle=<JSON text>)`.

What the client does (cytaxii2/cytaxii2.py; more in docs/notes/cytaxii2.md):
- every request, GET included, carries `Content-Type: application/taxii+json;version=2.1`,
  `Accept: application/taxii+json;version=2.1` and `User-Agent: cyware.taxii2client`, with HTTP
  Basic credentials, through a bare `requests.get`/`requests.post` (no session, no timeout);
- it GETs discovery's `default` exactly as given and caches it; the other URLs are
  `default.rstrip('/') + '/collections/...'`, so a relative `default` ("/cyware/") makes every
  later call fail inside requests ("No scheme supplied"), reported as status_code 'EXCEPTION';
- it returns {'response': <parsed JSON>, 'status': response.ok, 'status_code': <int>} and turns
  any exception, including a body that is not JSON, into status_code 'EXCEPTION';
- it never reads `more`; the README loop stops when `next` is missing or falsy, and ends silently
  (with no objects) on an error response such as a 400.

PENDING SERVER CHANGES. Tests marked in a comment with
  (a) need discovery's `default` and `api_roots` to be absolute URLs (from `server.public_base_url`,
      else from the request's scheme and Host);
  (b) need `next=0` to mean "from the start" (the README loop's first request).
Against a server without them, tests marked (a) fail with status_code 'EXCEPTION' and tests marked
(b) with a 400 on the first page. Tests without a mark pass either way.

The tests start their own Taxiway (with the store conftest.py picks: a fresh SQLite file, or a
fresh MongoDB database when MONGODB_URI is set): the session server's configuration is shared with
tests that assert its exact collection list, and one test needs `server.public_base_url`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import stix2
from cytaxii2 import cytaxii2

from conftest import (
    PASSWORDS,
    TAXII_21,
    StixFactory,
    Taxiway,
    as_dict,
    free_port,
    scrypt_hash,
    serve_taxiway,
)

ROOT = "cyware"  # discovery's default
SECOND_ROOT = "second"
PAGE = 4  # default_page_size of the "cyware" API root
MAX_PAGE = 10  # its max_page_size
MAX_CONTENT_LENGTH = 65_536
PAGED_OBJECTS = 24  # six full default pages: the last page is full, so `more` must be false on it
USER_AGENT = "cyware.taxii2client"
MAX_REQUESTS = 100  # per test: a paging loop that does not end fails instead of hanging the run


@dataclass(frozen=True)
class Collections:
    """Collection ids of this module's server, all in the "cyware" API root except `second`."""

    paging: str = "c3000000-0000-4000-8000-000000000001"
    empty: str = "c3000000-0000-4000-8000-000000000002"
    added_after: str = "c3000000-0000-4000-8000-000000000003"
    filters: str = "c3000000-0000-4000-8000-000000000004"
    envelope: str = "c3000000-0000-4000-8000-000000000005"
    bundle: str = "c3000000-0000-4000-8000-000000000006"
    readme: str = "c3000000-0000-4000-8000-000000000007"
    failures: str = "c3000000-0000-4000-8000-000000000008"
    read_only: str = "c3000000-0000-4000-8000-000000000009"  # alice reads, admin writes
    write_only: str = "c3000000-0000-4000-8000-00000000000a"  # alice writes only
    hidden: str = "c3000000-0000-4000-8000-00000000000b"  # admin only: alice does not see it
    second: str = "c4000000-0000-4000-8000-000000000001"  # in the "second" API root; alice and misp read


CY = Collections()
PAGING_ALIAS = "cyware-paging"


def build_config(public_base_url: str | None = None) -> dict[str, Any]:
    def who(users: list[str]) -> dict[str, list[str]]:
        return {"users": users, "groups": []}

    def collection(cid: str, title: str, read: list[str], write: list[str], root: str = ROOT) -> dict[str, Any]:
        return {"id": cid, "api_root": root, "title": title, "permissions": {"read": who(read), "write": who(write)}}

    server: dict[str, Any] = {"log_level": "warn", "log_format": "json"}
    if public_base_url:
        server["public_base_url"] = public_base_url
    return {
        "server": server,
        "discovery": {"title": "Taxiway cytaxii2", "description": "cytaxii2 interop", "contact": "ci@example.org", "default": ROOT},
        "api_roots": [
            {"path": ROOT, "title": "Cyware client", "description": "cytaxii2 tests", "max_content_length": MAX_CONTENT_LENGTH, "default_page_size": PAGE, "max_page_size": MAX_PAGE},
            {"path": SECOND_ROOT, "title": "Second root"},
        ],
        "collections": [
            {**collection(CY.paging, "Paging", ["alice"], ["alice"]), "alias": PAGING_ALIAS},
            collection(CY.empty, "Empty", ["alice"], ["alice"]),
            collection(CY.added_after, "added_after", ["alice"], ["alice"]),
            collection(CY.filters, "Filters", ["alice"], ["alice"]),
            collection(CY.envelope, "Envelope push", ["alice"], ["alice"]),
            collection(CY.bundle, "Bundle push", ["alice"], ["alice"]),
            collection(CY.readme, "README push", ["alice"], ["alice"]),
            collection(CY.failures, "Failed pushes", ["alice"], ["alice"]),
            collection(CY.read_only, "Read-only", ["alice", "admin"], ["admin"]),
            collection(CY.write_only, "Write-only", [], ["alice"]),
            collection(CY.hidden, "Hidden", ["admin"], ["admin"]),
            collection(CY.second, "Second", ["alice", "misp"], [], root=SECOND_ROOT),
        ],
        # "misp" is here just a user who sees nothing in the default API root.
        "users": [{"name": name, "password_hash": scrypt_hash(PASSWORDS[name])} for name in ("alice", "admin", "misp")],
        "store": {"type": "sqlite", "sqlite": {"path": "taxiway.db"}},
    }


class CyTaxiway(Taxiway):
    """conftest's helpers, with this module's API root as the default root."""

    def collection_url(self, collection_id: str, root: str | None = None) -> str:
        return super().collection_url(collection_id, root or (SECOND_ROOT if collection_id == CY.second else ROOT))


@contextlib.contextmanager
def run_taxiway(workdir: Path, public_base_url: str | None = None, port: int | None = None) -> Iterator[CyTaxiway]:
    """Starts Taxiway like conftest's `taxiway` fixture does, with this module's configuration."""
    with serve_taxiway(workdir, build_config(public_base_url), CyTaxiway, port) as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CyTaxiway]:
    with run_taxiway(tmp_path_factory.mktemp("taxiway-cytaxii2")) as running:
        yield running


# --- the client's wire --------------------------------------------------------------------------


@dataclass
class Wire:
    """Stands in for the `requests` module inside cytaxii2, which calls only `requests.get` and
    `requests.post` (with url, data, headers, auth and params). Every call is passed on unchanged
    and recorded; a timeout is added (the client sets none, so a stuck server would hang CI), and
    more than MAX_REQUESTS calls in one test raise (the client reports it as 'EXCEPTION')."""

    sent: list[requests.Response] = field(default_factory=list)
    calls: int = 0

    def get(self, **kwargs: Any) -> requests.Response:
        return self._send(requests.get, kwargs)

    def post(self, **kwargs: Any) -> requests.Response:
        return self._send(requests.post, kwargs)

    def _send(self, call: Any, kwargs: dict[str, Any]) -> requests.Response:
        self.calls += 1
        if self.calls > MAX_REQUESTS:
            raise RuntimeError(f"more than {MAX_REQUESTS} requests in one test, is the client looping? Last: {kwargs.get('url')}")
        res = call(timeout=30, **kwargs)
        self.sent.append(res)
        return res

    def reset(self) -> None:
        self.sent.clear()
        self.calls = 0

    @property
    def requests(self) -> list[requests.PreparedRequest]:
        return [res.request for res in self.sent]


@pytest.fixture(scope="module")
def _installed_wire() -> Iterator[Wire]:
    wire = Wire()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cytaxii2, "requests", wire)
        yield wire


@pytest.fixture
def wire(_installed_wire: Wire) -> Wire:
    _installed_wire.reset()
    return _installed_wire


def client(server: Taxiway, user: str = "alice", password: str | None = None, version: float = 2.1) -> cytaxii2.cytaxii2:
    """A client as the README builds one: discovery URL, username, password, version."""
    return cytaxii2.cytaxii2(server.discovery_url, user, PASSWORDS[user] if password is None else password, version=version)


@pytest.fixture
def cy(server: CyTaxiway, wire: Wire) -> cytaxii2.cytaxii2:
    return client(server)


def query_of(request: requests.PreparedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query, keep_blank_values=True)


def ids(objects: list[dict[str, Any]]) -> list[str]:
    return [o["id"] for o in objects]


def ok(result: dict[str, Any], status_code: int = 200) -> Any:
    """The parsed body of a client result that must be a success with this status code."""
    assert (result["status_code"], result["status"]) == (status_code, True), result
    return result["response"]


def taxii_error(result: dict[str, Any], status_code: int) -> dict[str, Any]:
    """The TAXII error resource of a client result that must be an error with this status code:
    a JSON body, so the client reports the status code rather than 'EXCEPTION'."""
    assert (result["status_code"], result["status"]) == (status_code, False), result
    error = result["response"]
    assert isinstance(error, dict) and error["http_status"] == str(status_code) and error["title"], error
    return error


def readme_loop(cytaxii_object: cytaxii2.cytaxii2, collection_id: str, **filters: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The README's paging loop ("5. Poll data from a TAXII server"), with `limit`, `added_after`,
    `object_id` and `object_type` as the caller gives them. Returns every object received and
    every poll_response, so a test can check that none was an error (the loop itself ends silently
    on an error: the error resource has no `objects` and no `next`)."""
    received: list[dict[str, Any]] = []
    responses: list[dict[str, Any]] = []
    next = 0  # noqa: A001 -- as in the README: "Set to 0 or omit for the first request"
    while True:
        poll_response = cytaxii_object.poll_request(collection_id=collection_id, next=next, **filters)
        responses.append(poll_response)
        # Not in the README: on 'EXCEPTION' the response is a string and the next line would die
        # with AttributeError; this shows the client's message (e.g. "No scheme supplied") instead.
        assert isinstance(poll_response["response"], dict), poll_response
        objects = poll_response.get("response", {}).get("objects", [])
        for obj in objects:
            received.append(obj)
        next = poll_response.get("response", {}).get("next")  # noqa: A001
        if not next:
            break
    return received, responses


def check_pages(responses: list[dict[str, Any]], page_size: int, total: int) -> None:
    """What the loop relies on: every page is a 200; `next` comes exactly with `more: true`
    (the client never reads `more`, and stops at the first page without `next`)."""
    bodies = [ok(r) for r in responses]
    assert len(bodies) == max(1, math.ceil(total / page_size))
    for body in bodies[:-1]:
        assert body["more"] is True and isinstance(body["next"], str) and body["next"]
        assert len(body["objects"]) == page_size
    assert "next" not in bodies[-1] and bodies[-1].get("more", False) is False


# --- data ---------------------------------------------------------------------------------------


def plain_push(server: Taxiway, collection_id: str, objects: list[Any], user: str = "alice") -> None:
    """Setup data pushed over plain HTTP, so polling tests do not depend on the client's inbox."""
    for start in range(0, len(objects), 10):
        server.push(collection_id, objects[start : start + 10], user=user)


@pytest.fixture(scope="module")
def paged(server: CyTaxiway, stix: StixFactory) -> list[dict[str, Any]]:
    objects = stix.indicators(PAGED_OBJECTS)
    plain_push(server, CY.paging, objects)
    return [as_dict(o) for o in objects]


@dataclass
class FilterData:
    indicators: list[dict[str, Any]]
    malware: list[dict[str, Any]]
    versions: list[dict[str, Any]]  # three versions of one indicator, pushed after the others

    @property
    def latest(self) -> list[dict[str, Any]]:
        """What a plain poll returns, in date_added order: the latest version of each object."""
        return [*self.indicators, *self.malware, self.versions[-1]]


@pytest.fixture(scope="module")
def filter_data(server: CyTaxiway, stix: StixFactory) -> FilterData:
    indicators = stix.indicators(5)
    malware = [stix.malware() for _ in range(3)]
    versions = stix.versions("2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z")
    plain_push(server, CY.filters, [*indicators, *malware])
    plain_push(server, CY.filters, versions)
    return FilterData([as_dict(o) for o in indicators], [as_dict(o) for o in malware], [as_dict(o) for o in versions])


# --- discovery, API root, collections -----------------------------------------------------------


def test_constructor_takes_the_version_as_a_float(server: CyTaxiway) -> None:
    """Client quirk: `version` is compared with == 2.1 / == 2.0; the string "2.1" is refused."""
    with pytest.raises(SyntaxError, match="Invalid version"):
        cytaxii2.cytaxii2(server.discovery_url, "alice", PASSWORDS["alice"], version="2.1")


def test_discovery_request(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire) -> None:
    # (a): absolute `default` and `api_roots`, from the request's scheme and Host.
    discovery = ok(cy.discovery_request())
    assert discovery == {
        "title": "Taxiway cytaxii2",
        "description": "cytaxii2 interop",
        "contact": "ci@example.org",
        "default": f"{server.base_url}/{ROOT}/",
        "api_roots": [f"{server.base_url}/{ROOT}/", f"{server.base_url}/{SECOND_ROOT}/"],
    }
    [request] = wire.requests
    assert (request.method, request.url, request.body) == ("GET", server.discovery_url, None)
    # The client's fixed headers, Content-Type included on a GET without a body.
    assert request.headers["Accept"] == TAXII_21
    assert request.headers["Content-Type"] == TAXII_21
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.headers["Authorization"].startswith("Basic ")


def test_root_discovery_follows_default_as_given(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire) -> None:
    # (a): the client GETs discovery's `default` verbatim; a relative one fails in requests.
    root = ok(cy.root_discovery())
    assert root == {"title": "Cyware client", "description": "cytaxii2 tests", "versions": [TAXII_21], "max_content_length": MAX_CONTENT_LENGTH}
    assert [(r.method, r.url) for r in wire.requests] == [("GET", server.discovery_url), ("GET", server.api_root_url(ROOT))]
    assert wire.requests[1].headers["Content-Type"] == TAXII_21
    # The API root is cached on the object: no second discovery.
    wire.reset()
    assert ok(cy.root_discovery()) == root
    assert [r.url for r in wire.requests] == [server.api_root_url(ROOT)]


def test_collection_request(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire) -> None:
    # (a)
    collections = ok(cy.collection_request())["collections"]
    assert wire.requests[-1].url == f"{server.api_root_url(ROOT)}collections/"
    rights = {c["id"]: (c["title"], c["can_read"], c["can_write"]) for c in collections}
    assert rights == {
        CY.paging: ("Paging", True, True),
        CY.empty: ("Empty", True, True),
        CY.added_after: ("added_after", True, True),
        CY.filters: ("Filters", True, True),
        CY.envelope: ("Envelope push", True, True),
        CY.bundle: ("Bundle push", True, True),
        CY.readme: ("README push", True, True),
        CY.failures: ("Failed pushes", True, True),
        CY.read_only: ("Read-only", True, False),
        CY.write_only: ("Write-only", False, True),
    }
    assert {c["id"]: c.get("alias") for c in collections}[CY.paging] == PAGING_ALIAS
    assert all(c["media_types"] == ["application/stix+json;version=2.1"] for c in collections)
    # Rights are the caller's: admin sees the hidden collection and may write the read-only one.
    admin = {c["id"]: (c["can_read"], c["can_write"]) for c in ok(client(server, "admin").collection_request())["collections"]}
    assert admin == {CY.read_only: (True, True), CY.hidden: (True, True)}


@pytest.mark.parametrize(
    ("collection", "can_read", "can_write"),
    [(CY.paging, True, True), (PAGING_ALIAS, True, True), (CY.read_only, True, False), (CY.write_only, False, True)],
    ids=["read-write", "by-alias", "read-only", "write-only"],
)
def test_collection_data_request(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire, collection: str, can_read: bool, can_write: bool) -> None:
    # (a)
    data = ok(cy.collection_data_request(collection_id=collection))
    assert wire.requests[-1].url == f"{server.api_root_url(ROOT)}collections/{collection}/"
    expected_id = CY.paging if collection == PAGING_ALIAS else collection
    assert (data["id"], data["can_read"], data["can_write"]) == (expected_id, can_read, can_write)


def test_collection_data_request_for_unknown_and_hidden_collections(cy: cytaxii2.cytaxii2) -> None:
    # (a): both are a TAXII 404 (a JSON body), so the client reports 404, not 'EXCEPTION'.
    taxii_error(cy.collection_data_request(collection_id=str(uuid.uuid4())), 404)
    taxii_error(cy.collection_data_request(collection_id=CY.hidden), 404)


def test_public_base_url_is_used_for_discovery_urls(tmp_path_factory: pytest.TempPathFactory, wire: Wire) -> None:
    # (a), the configured variant: with server.public_base_url set, discovery names it (here the
    # same server under another host name), and the client follows it there.
    port = free_port()
    public = f"http://localhost:{port}"
    with run_taxiway(tmp_path_factory.mktemp("taxiway-cytaxii2-public"), public_base_url=public, port=port) as other:
        cy = client(other)
        discovery = ok(cy.discovery_request())
        assert (discovery["default"], discovery["api_roots"]) == (f"{public}/{ROOT}/", [f"{public}/{ROOT}/", f"{public}/{SECOND_ROOT}/"])
        assert ok(cy.root_discovery())["title"] == "Cyware client"
        assert ok(cy.poll_request(collection_id=CY.empty)) == {}
        assert [r.url for r in wire.requests] == [
            other.discovery_url,
            other.discovery_url,
            f"{public}/{ROOT}/",
            f"{public}/{ROOT}/collections/{CY.empty}/objects/",
        ]


def test_discovery_without_default_raises_key_error(server: CyTaxiway, wire: Wire) -> None:
    """Client quirk: `discover_response['response']['default']` is read outside the client's
    try/except, so a discovery without `default` (Taxiway omits it when the caller sees nothing in
    the default API root) raises KeyError from every call but discovery_request()."""
    cy = client(server, "misp")
    discovery = ok(cy.discovery_request())
    assert "default" not in discovery and len(discovery["api_roots"]) == 1
    for call in (cy.root_discovery, cy.collection_request, lambda: cy.poll_request(collection_id=CY.second)):
        with pytest.raises(KeyError, match="default"):
            call()


def test_without_default_an_api_root_from_discovery_can_be_set(server: CyTaxiway, wire: Wire) -> None:
    # (a): the workaround for a user who sees only a non-default API root: set the client's
    # `api_root` attribute to an entry of `api_roots`, which is usable only if it is absolute.
    cy = client(server, "misp")
    [root_url] = ok(cy.discovery_request())["api_roots"]
    assert root_url == server.api_root_url(SECOND_ROOT)
    cy.api_root = root_url
    assert ok(cy.root_discovery())["title"] == "Second root"
    assert [c["id"] for c in ok(cy.collection_request())["collections"]] == [CY.second]
    assert ok(cy.poll_request(collection_id=CY.second)) == {}
    assert wire.requests[-1].url == server.objects_url(CY.second)


# --- polling: paging ----------------------------------------------------------------------------


def test_poll_without_arguments_gets_the_first_page(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire, paged: list[dict[str, Any]]) -> None:
    # (a)
    page = ok(cy.poll_request(collection_id=CY.paging))
    # Parameters left at None are not sent at all.
    assert wire.requests[-1].url == server.objects_url(CY.paging)
    assert page["objects"] == paged[:PAGE]
    assert page["more"] is True and page["next"]


def test_readme_data_limit_is_silently_ignored(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire, paged: list[dict[str, Any]]) -> None:
    """Client quirk: the README lists `data_limit`, but the parameter is `limit`; `data_limit`
    disappears into **kwargs, so no limit is sent and the API root's default_page_size applies."""
    # (a)
    assert ok(cy.poll_request(collection_id=CY.paging, data_limit=2))["objects"] == paged[:PAGE]
    assert wire.requests[-1].url == server.objects_url(CY.paging)


def test_next_0_is_the_first_page(cy: cytaxii2.cytaxii2, wire: Wire, paged: list[dict[str, Any]]) -> None:
    # (a) and (b): next=0 (the README's first request) means "from the start", like no next.
    first = ok(cy.poll_request(collection_id=CY.paging))
    assert ok(cy.poll_request(collection_id=CY.paging, next=0)) == first
    assert query_of(wire.requests[-1]) == {"next": ["0"]}
    assert ok(cy.poll_request(collection_id=CY.paging, next="0", limit=2))["objects"] == paged[:2]
    assert query_of(wire.requests[-1]) == {"limit": ["2"], "next": ["0"]}


@pytest.mark.parametrize(("limit", "page_size"), [(None, PAGE), (5, 5), (1, 1), (50, MAX_PAGE)], ids=["default", "limit-5", "limit-1", "limit-clamped"])
def test_readme_paging_loop(cy: cytaxii2.cytaxii2, wire: Wire, paged: list[dict[str, Any]], limit: int | None, page_size: int) -> None:
    # (a) and (b): the README loop from next=0 finds every object exactly once, in order.
    received, responses = readme_loop(cy, CY.paging, limit=limit)
    check_pages(responses, page_size, PAGED_OBJECTS)
    assert received == paged
    polls = [r for r in wire.requests if "/objects/" in r.url]
    assert len(polls) == math.ceil(PAGED_OBJECTS / page_size)
    assert query_of(polls[0])["next"] == ["0"]
    for poll, previous in zip(polls[1:], responses[:-1], strict=True):
        assert query_of(poll)["next"] == [previous["response"]["next"]]  # passed back as received
    assert all(query_of(p).get("limit") == ([str(limit)] if limit else None) for p in polls)
    assert all(p.method == "GET" and p.body is None and p.headers["Content-Type"] == TAXII_21 for p in polls)


def test_readme_paging_loop_by_alias(cy: cytaxii2.cytaxii2, paged: list[dict[str, Any]]) -> None:
    # (a) and (b): the client puts whatever it is given in the URL; Taxiway serves aliases.
    received, responses = readme_loop(cy, PAGING_ALIAS, limit=MAX_PAGE)
    check_pages(responses, MAX_PAGE, PAGED_OBJECTS)
    assert received == paged


def test_readme_paging_loop_on_an_empty_collection(cy: cytaxii2.cytaxii2, wire: Wire) -> None:
    # (a) and (b): one request, an empty envelope ({}), and the loop ends.
    received, responses = readme_loop(cy, CY.empty)
    assert received == [] and [ok(r) for r in responses] == [{}]
    assert len([r for r in wire.requests if "/objects/" in r.url]) == 1


# --- polling: added_after -----------------------------------------------------------------------


def date_added(server: Taxiway, collection_id: str, object_id: str) -> str:
    """An object's date_added, from the manifest over plain HTTP (the client has no manifest call
    and does not expose response headers)."""
    res = server.http().get(f"{server.collection_url(collection_id)}manifest/", params={"match[id]": object_id})
    assert res.status_code == 200, res.text
    [record] = res.json()["objects"]
    return record["date_added"]


@dataclass
class AddedAfterData:
    before: list[dict[str, Any]]
    after: list[dict[str, Any]]
    cut: str  # date_added of the last object of `before`


@pytest.fixture(scope="module")
def added_after_data(server: CyTaxiway, stix: StixFactory) -> AddedAfterData:
    before = stix.indicators(3)
    plain_push(server, CY.added_after, before)
    cut = date_added(server, CY.added_after, before[-1].id)
    after = stix.indicators(PAGE * 2 + 1)  # more than two default pages
    plain_push(server, CY.added_after, after)
    return AddedAfterData([as_dict(o) for o in before], [as_dict(o) for o in after], cut)


def test_poll_added_after(cy: cytaxii2.cytaxii2, wire: Wire, added_after_data: AddedAfterData) -> None:
    # (a)
    data = added_after_data
    page = ok(cy.poll_request(collection_id=CY.added_after, added_after=data.cut, limit=MAX_PAGE))
    assert query_of(wire.requests[-1]) == {"added_after": [data.cut], "limit": [str(MAX_PAGE)]}
    assert page["objects"] == data.after and page["more"] is False and "next" not in page
    # Timestamps as users type them: no fraction, milliseconds.
    assert ok(cy.poll_request(collection_id=CY.added_after, added_after="2000-01-01T00:00:00Z", limit=MAX_PAGE))["objects"] == (data.before + data.after)[:MAX_PAGE]
    assert ok(cy.poll_request(collection_id=CY.added_after, added_after="2000-01-01T00:00:00.000Z", limit=2))["objects"] == data.before[:2]
    # After everything: an empty envelope, still a success.
    assert ok(cy.poll_request(collection_id=CY.added_after, added_after="2999-01-01T00:00:00.000000Z")) == {}


def test_readme_paging_loop_with_added_after(cy: cytaxii2.cytaxii2, wire: Wire, added_after_data: AddedAfterData) -> None:
    # (a) and (b): the loop resends added_after with every next; next=0 starts at added_after.
    data = added_after_data
    received, responses = readme_loop(cy, CY.added_after, added_after=data.cut)
    check_pages(responses, PAGE, len(data.after))
    assert received == data.after
    assert all(query_of(r)["added_after"] == [data.cut] for r in wire.requests if "/objects/" in r.url)


def test_added_after_as_a_datetime_is_a_400(cy: cytaxii2.cytaxii2, wire: Wire) -> None:
    """Client quirk: values go to requests as they are, so a datetime is sent as str(datetime),
    '2024-01-01 00:00:00+00:00'. Taxiway refuses it with a TAXII error naming the parameter."""
    # (a)
    error = taxii_error(cy.poll_request(collection_id=CY.added_after, added_after=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)), 400)
    assert query_of(wire.requests[-1])["added_after"] == ["2024-01-01 00:00:00+00:00"]
    assert error["details"] == {"parameter": "added_after"}


# --- polling: match[id], match[type] --------------------------------------------------------------


def test_poll_match_id(cy: cytaxii2.cytaxii2, wire: Wire, filter_data: FilterData) -> None:
    # (a)
    data = filter_data
    target = data.malware[1]
    assert ok(cy.poll_request(collection_id=CY.filters, object_id=target["id"]))["objects"] == [target]
    assert query_of(wire.requests[-1]) == {"match[id]": [target["id"]]}
    # Several ids, comma-separated as TAXII wants: date_added order, not the order asked.
    wanted = [data.indicators[3], data.indicators[0]]
    assert ok(cy.poll_request(collection_id=CY.filters, object_id=",".join(ids(wanted))))["objects"] == [data.indicators[0], data.indicators[3]]
    # A versioned object: the latest version only (TAXII's default match[version]=last).
    assert ok(cy.poll_request(collection_id=CY.filters, object_id=data.versions[0]["id"]))["objects"] == [data.versions[-1]]
    # An unknown id: an empty envelope, a success.
    assert ok(cy.poll_request(collection_id=CY.filters, object_id=f"indicator--{uuid.uuid4()}")) == {}


def test_poll_match_id_as_a_list_is_a_400(cy: cytaxii2.cytaxii2, wire: Wire, filter_data: FilterData) -> None:
    """Client quirk: a Python list becomes a repeated parameter (match[id]=a&match[id]=b), which
    Taxiway refuses (TAXII lists are comma-separated) with a TAXII error naming the parameter."""
    # (a)
    two = ids(filter_data.indicators[:2])
    error = taxii_error(cy.poll_request(collection_id=CY.filters, object_id=two), 400)
    assert query_of(wire.requests[-1])["match[id]"] == two
    assert error["details"] == {"parameter": "match[id]"}


def test_poll_match_type(cy: cytaxii2.cytaxii2, wire: Wire, filter_data: FilterData) -> None:
    # (a)
    data = filter_data
    assert ok(cy.poll_request(collection_id=CY.filters, object_type="malware"))["objects"] == data.malware
    assert query_of(wire.requests[-1]) == {"match[type]": ["malware"]}
    both = ok(cy.poll_request(collection_id=CY.filters, object_type="indicator,malware", limit=MAX_PAGE))["objects"]
    assert both == data.latest
    assert ok(cy.poll_request(collection_id=CY.filters, object_type="identity")) == {}
    # Both filters at once: they combine (AND).
    assert ok(cy.poll_request(collection_id=CY.filters, object_type="malware", object_id=data.indicators[0]["id"])) == {}
    assert ok(cy.poll_request(collection_id=CY.filters, object_type="indicator", object_id=data.indicators[0]["id"]))["objects"] == [data.indicators[0]]


def test_readme_paging_loop_with_match_type(cy: cytaxii2.cytaxii2, wire: Wire, filter_data: FilterData) -> None:
    # (a) and (b): filters are resent with every next; each indicator exactly once.
    indicators = [*filter_data.indicators, filter_data.versions[-1]]
    received, responses = readme_loop(cy, CY.filters, object_type="indicator", limit=2)
    check_pages(responses, 2, len(indicators))
    assert received == indicators
    assert all(query_of(r)["match[type]"] == ["indicator"] for r in wire.requests if "/objects/" in r.url)


# --- pushing: inbox_request -----------------------------------------------------------------------


def check_status(result: dict[str, Any], pushed: list[dict[str, Any]]) -> dict[str, Any]:
    """A 202 with a complete status in which every pushed object succeeded."""
    status = ok(result, 202)
    assert (status["status"], status["total_count"], status["success_count"], status["failure_count"], status["pending_count"]) == ("complete", len(pushed), len(pushed), 0, 0)
    assert sorted(s["id"] for s in status["successes"]) == sorted(ids(pushed))
    return status


def test_inbox_envelope(server: CyTaxiway, cy: cytaxii2.cytaxii2, wire: Wire, stix: StixFactory) -> None:
    # (a), and (b) for reading back with the README loop.
    objects = [as_dict(o) for o in [*stix.indicators(3), stix.malware()]]
    text = json.dumps({"objects": objects})
    check_status(cy.inbox_request(collection_id=CY.envelope, stix_bundle=text), objects)
    post = wire.requests[-1]
    assert (post.method, post.url) == ("POST", server.objects_url(CY.envelope))
    assert post.headers["Content-Type"] == TAXII_21 and post.headers["Accept"] == TAXII_21
    assert post.body == text.encode() or post.body == text  # sent as given
    # Back as pushed, in order, through the client.
    received, responses = readme_loop(cy, CY.envelope)
    check_pages(responses, PAGE, len(objects))
    assert received == objects


def test_inbox_bundle(cy: cytaxii2.cytaxii2, stix: StixFactory) -> None:
    # (a): a STIX bundle (type, id, objects) is taken as an envelope; the bundle is not stored.
    objects = [stix.indicator(), stix.malware(), stix.indicator()]
    bundle = stix2.Bundle(*objects)
    check_status(cy.inbox_request(collection_id=CY.bundle, stix_bundle=bundle.serialize()), [as_dict(o) for o in objects])
    received = ok(cy.poll_request(collection_id=CY.bundle, limit=MAX_PAGE))["objects"]
    assert received == [as_dict(o) for o in objects]
    assert ok(cy.poll_request(collection_id=CY.bundle, object_type="bundle")) == {}


README_EXAMPLE = """
{
"objects": [
{
"id": "identity--a9e5f832-3bd2-41bb-b543-05341539c223",
"identity_class": "organization",
"lang": "en",
"name": "CTIX",
"type": "identity",
"spec_version": "2.1",
"created": "2021-06-02T05:58:46.325759Z",
"modified": "2021-06-02T05:58:46.325759Z"
},
{
"id": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
"created": "2017-01-20T00:00:00.000Z",
"definition_type": "tlp",
"name": "TLP:AMBER",
"definition": {
"tlp": "amber"
},
"type": "marking-definition",
"spec_version": "2.1"
},
{
"id": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
"created": "2017-01-20T00:00:00.000Z",
"definition_type": "tlp",
"name": "TLP:GREEN",
"definition": {
"tlp": "green"
},
"type": "marking-definition",
"spec_version": "2.1"
}
],
"more": true,
"next": "32768"
}
"""


def test_inbox_the_readme_example(cy: cytaxii2.cytaxii2) -> None:
    # (a), and (b) for reading back with the README loop. The README's own example, verbatim: an
    # envelope that also carries `more` and `next` (copied from a poll response), which the server
    # ignores on a POST.
    objects = json.loads(README_EXAMPLE)["objects"]
    check_status(cy.inbox_request(collection_id=CY.readme, stix_bundle=README_EXAMPLE), objects)
    received, responses = readme_loop(cy, CY.readme)
    check_pages(responses, PAGE, len(objects))
    assert received == objects


def test_inbox_with_a_failing_object_is_still_a_success_for_the_client(cy: cytaxii2.cytaxii2, stix: StixFactory) -> None:
    """Client quirk: `status` is only "the POST got a 2xx"; per-object failures are in the
    status resource, which the caller must read."""
    # (a)
    good = as_dict(stix.indicator())
    bad = {**as_dict(stix.indicator()), "created": "2024-01-01T00:00:00Z"}  # STIX 2.1 wants milliseconds
    status = ok(cy.inbox_request(collection_id=CY.failures, stix_bundle=json.dumps({"objects": [good, bad]})), 202)
    assert (status["total_count"], status["success_count"], status["failure_count"]) == (2, 1, 1)
    assert [f["id"] for f in status["failures"]] == [bad["id"]]
    assert ok(cy.poll_request(collection_id=CY.failures, object_id=f"{good['id']},{bad['id']}"))["objects"] == [good]


def test_inbox_a_dict_is_form_encoded_and_refused(cy: cytaxii2.cytaxii2, wire: Wire, stix: StixFactory) -> None:
    """Client quirk: `stix_bundle` goes to requests as `data=`, so a dict is form-encoded
    (objects=...) under the client's TAXII Content-Type. Taxiway answers 400, a TAXII error."""
    # (a)
    error = taxii_error(cy.inbox_request(collection_id=CY.failures, stix_bundle={"objects": [as_dict(stix.indicator())]}), 400)
    post = wire.requests[-1]
    assert post.headers["Content-Type"] == TAXII_21 and post.body.startswith("objects=")
    assert "not valid JSON" in error["description"]


def test_inbox_larger_than_max_content_length_is_a_413(cy: cytaxii2.cytaxii2, stix: StixFactory) -> None:
    # (a): a TAXII error (JSON), so the client reports 413.
    objects = [as_dict(o) for o in stix.indicators(5, description="x" * (MAX_CONTENT_LENGTH // 4))]
    taxii_error(cy.inbox_request(collection_id=CY.failures, stix_bundle=json.dumps({"objects": objects})), 413)


# --- errors ----------------------------------------------------------------------------------------


def test_wrong_password_every_call_returns_the_discovery_401(server: CyTaxiway, wire: Wire) -> None:
    """Client quirk: until discovery succeeds, every call returns discovery's response instead of
    its own, and asks discovery again next time (only a successful `default` is cached)."""
    cy = client(server, password="wrong")
    error = taxii_error(cy.discovery_request(), 401)
    assert wire.sent[-1].headers["WWW-Authenticate"].startswith("Basic ")
    for call in (cy.root_discovery, cy.collection_request, lambda: cy.poll_request(collection_id=CY.paging)):
        assert taxii_error(call(), 401).keys() == error.keys()
    assert [r.url for r in wire.requests] == [server.discovery_url] * 4


def test_taxii_20_mode_gets_a_406(server: CyTaxiway, wire: Wire) -> None:
    """With version=2.0 the client asks for `application/vnd.oasis.taxii+json; version=2.0`; the
    406 is a TAXII error, so the client reports 406 rather than 'EXCEPTION'."""
    cy = client(server, version=2.0)
    error = taxii_error(cy.discovery_request(), 406)
    assert "application/taxii+json" in error["description"]
    assert wire.requests[-1].headers["Accept"] == "application/vnd.oasis.taxii+json; version=2.0"
    assert wire.requests[-1].headers["User-Agent"] == "cyware.httpclient"


def test_forbidden_reads_and_writes_are_403s(cy: cytaxii2.cytaxii2, stix: StixFactory) -> None:
    # (a): the client checks nothing itself (not can_read/can_write); the server refuses.
    taxii_error(cy.poll_request(collection_id=CY.write_only), 403)
    taxii_error(cy.inbox_request(collection_id=CY.read_only, stix_bundle=json.dumps({"objects": [as_dict(stix.indicator())]})), 403)
    assert ok(cy.poll_request(collection_id=CY.read_only)) == {}


def test_unknown_collection_is_a_404(cy: cytaxii2.cytaxii2, stix: StixFactory) -> None:
    # (a)
    unknown = str(uuid.uuid4())
    taxii_error(cy.poll_request(collection_id=unknown), 404)
    taxii_error(cy.inbox_request(collection_id=unknown, stix_bundle=json.dumps({"objects": [as_dict(stix.indicator())]})), 404)


def test_bad_filter_values_are_400s_with_a_json_body(cy: cytaxii2.cytaxii2) -> None:
    # (a): every refusal is a TAXII error, so the client shows the status code.
    for filters, parameter in [({"limit": 0}, "limit"), ({"object_type": "Not A Type"}, "match[type]"), ({"object_id": "indicator"}, "match[id]"), ({"next": "garbage"}, "next")]:
        assert taxii_error(cy.poll_request(collection_id=CY.paging, **filters), 400)["details"] == {"parameter": parameter}, filters


def test_over_long_urls_get_json_errors(cy: cytaxii2.cytaxii2) -> None:
    # (a): even errors raised before routing (414 from the URL guard, 431 from Node's parser)
    # carry a JSON body, so the client reports the status code, not 'EXCEPTION'.
    taxii_error(cy.poll_request(collection_id=CY.paging, object_id="x" * 9000), 414)
    taxii_error(cy.poll_request(collection_id=CY.paging, object_id="x" * 40_000), 431)
