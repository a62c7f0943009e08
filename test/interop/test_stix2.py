"""python-stix2 3.0.2's TAXII data store (TAXIICollectionSource / TAXIICollectionSink) against Taxiway.

The sink posts STIX bundles (with `type` and `id`), the source asks for pages of 5000 (the server
must clamp, not refuse), treats only a 404 as "not found", and pages through `next`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
import requests
import stix2
from stix2 import Filter, TAXIICollectionSink, TAXIICollectionSource
from taxii2client.v21 import Collection

from conftest import IDS, PAGE_SIZE, PASSWORDS, StixFactory, Taxiway, compact, guard

V1, V2, V3 = "2024-04-01T10:00:00.000Z", "2024-04-02T10:00:00.000Z", "2024-04-03T10:00:00.000Z"


class Dataset:
    """What the module pushes through the sink, once."""

    def __init__(self, stix: StixFactory) -> None:
        self.indicators = stix.indicators(PAGE_SIZE * 2 + 2)  # more than one server page
        self.named = stix.indicator(name="needle")
        self.malware = stix.malware()
        # Timestamps as python-stix2 users write them: 3 to 6 fractional digits, kept as written.
        self.precise = stix.indicator(created="2024-05-05T05:05:05.123456Z", modified="2024-05-05T05:05:05.123456Z", valid_from="2024-05-05T05:05:05Z")
        self.relationship = stix2.Relationship(self.indicators[0], "indicates", self.malware)
        self.versions = stix.versions(V1, V2, V3, name="versioned")

    @property
    def latest(self) -> list[Any]:
        return [*self.indicators, self.named, self.malware, self.precise, self.relationship, self.versions[-1]]


@pytest.fixture(scope="module")
def collection(taxiway: Taxiway) -> Collection:
    coll = Collection(taxiway.collection_url(IDS.stix2), user="alice", password=PASSWORDS["alice"])
    guard(coll._conn.session)
    return coll


@pytest.fixture(scope="module")
def posted(collection: Collection) -> list[requests.Response]:
    """Every POST the sink sends, with its response."""
    sent: list[requests.Response] = []
    collection._conn.session.hooks["response"].append(lambda res, *a, **k: sent.append(res) if res.request.method == "POST" else None)
    return sent


@pytest.fixture(scope="module")
def data(collection: Collection, posted: list[requests.Response], stix: StixFactory) -> Dataset:
    data = Dataset(stix)
    sink = TAXIICollectionSink(collection)
    sink.add(stix2.Bundle(data.indicators, data.named, data.malware, data.precise, data.relationship))
    for version in data.versions:  # one bundle per object
        sink.add(version)
    return data


@pytest.fixture(scope="module")
def source(collection: Collection) -> TAXIICollectionSource:
    return TAXIICollectionSource(collection)


def test_sink_posts_bundles_that_are_accepted(data: Dataset, posted: list[requests.Response]) -> None:
    assert len(posted) == 1 + len(data.versions)
    for res in posted:
        body = json.loads(res.request.body)
        assert body["type"] == "bundle" and body["id"].startswith("bundle--")
        assert res.status_code == 202
        status = res.json()
        assert (status["status"], status["success_count"], status["total_count"]) == ("complete", len(body["objects"]), len(body["objects"]))
    assert len(json.loads(posted[0].request.body)["objects"]) == len(data.indicators) + 4


def test_round_trip_is_byte_for_byte(data: Dataset, collection: Collection) -> None:
    for obj in data.latest:
        served = collection.get_object(obj.id)["objects"]
        assert [compact(o) for o in served] == [compact(obj)], obj.id
    assert collection.get_object(data.precise.id)["objects"][0]["modified"] == "2024-05-05T05:05:05.123456Z"


def test_source_get(data: Dataset, source: TAXIICollectionSource) -> None:
    for obj in (data.named, data.malware, data.precise, data.relationship):
        assert compact(source.get(obj.id)) == compact(obj)
    assert compact(source.get(data.versions[0].id)) == compact(data.versions[-1])  # the latest version


def test_source_get_unknown_id_is_none(taxiway: Taxiway, source: TAXIICollectionSource) -> None:
    unknown = "indicator--00000000-0000-4000-8000-00000000beef"
    assert taxiway.http().get(f"{taxiway.objects_url(IDS.stix2)}{unknown}/").status_code == 404
    assert source.get(unknown) is None


def test_source_all_versions(data: Dataset, source: TAXIICollectionSource) -> None:
    found = source.all_versions(data.versions[0].id)
    assert [compact(o) for o in found] == [compact(v) for v in data.versions]


def test_source_query_with_filters(data: Dataset, source: TAXIICollectionSource, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="taxii2client"):
        indicators = source.query([Filter("type", "=", "indicator")])
    # items_per_page=5000 was clamped to the server's page size: one warning, several pages, all found.
    assert len([r for r in caplog.records if r.name.startswith("taxii2client")]) == 1
    expected = [*data.indicators, data.named, data.precise, data.versions[-1]]
    assert sorted(o.id for o in indicators) == sorted(o.id for o in expected)
    assert all(isinstance(o, stix2.Indicator) for o in indicators)

    # A TAXII filter (type) sent to the server combined with a local one (name).
    assert [o.id for o in source.query([Filter("type", "=", "indicator"), Filter("name", "=", "needle")])] == [data.named.id]
    assert [o.id for o in source.query([Filter("type", "=", ["malware", "relationship"])])] == [data.malware.id, data.relationship.id]
    assert [o.id for o in source.query([Filter("id", "=", data.malware.id)])] == [data.malware.id]
    # match[version] compares timestamps by value: ...10:00:00Z is the version modified at ...10:00:00.000Z.
    at_v2 = source.query([Filter("id", "=", data.versions[0].id), Filter("version", "=", "2024-04-02T10:00:00Z")])
    assert [compact(o) for o in at_v2] == [compact(data.versions[1])]
