"""The registry maps every app_api operation to one sync and one async method with the house rules."""

from __future__ import annotations

import inspect
import re

import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.app import AppClient, AsyncAppClient
from cio_toolkit.app._generated.operations import OPERATIONS
from cio_toolkit.specs import operations
from cio_toolkit.specs._registry import _ATTR, build_registry, missing_operations

CLIENTS = [AppClient, AsyncAppClient]


def marked_methods(client_cls):
    """(operationId, resource path, function) for every marked method reachable from the client."""
    out = []

    def walk(cls, path, seen):
        if cls in seen:
            return
        seen.add(cls)
        for name, member in inspect.getmembers(cls):
            if name.startswith("_"):
                continue
            fn = member.func if hasattr(member, "func") else member
            mark = getattr(fn, _ATTR, None)
            if mark:
                out.append((mark[1], f"{path}.{name}", fn))
            hint = inspect.get_annotations(fn, eval_str=True).get("return") if hasattr(member, "func") else None
            if isinstance(hint, type):
                walk(hint, f"{path}.{name}", seen)

    walk(client_cls, "app", set())
    return out


@pytest.mark.parametrize("client_cls", CLIENTS)
def test_every_operation_has_a_method(client_cls):
    assert missing_operations("app_api", client_cls) == []
    assert len(build_registry(client_cls)) == 115


@pytest.mark.parametrize("client_cls", CLIENTS)
def test_one_method_per_operation_with_docstring_and_keyword_only_spec_names(client_cls):
    methods = marked_methods(client_cls)
    ids = [op_id for op_id, _, _ in methods]
    assert sorted(ids) == sorted(op["operationId"] for _, _, op in operations("app_api"))
    for op_id, where, fn in methods:
        doc = inspect.getdoc(fn) or ""
        assert op_id in doc and "\n" not in doc, f"{where}: docstring must be one line naming {op_id}"
        params = list(inspect.signature(fn).parameters.values())[1:]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), where
        expected = {p.arg for p in OPERATIONS[op_id].params}
        assert {p.name for p in params} == expected, where
        for p in OPERATIONS[op_id].params:
            # snake_case of the spec's field name, with "_" appended to Python keywords (from -> from_).
            snake = re.sub(r"[^0-9a-z]+", "_", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", p.name).lower()).strip("_")
            assert p.arg in (snake, snake + "_"), (where, p.name, p.arg)
        assert inspect.iscoroutinefunction(fn) == (client_cls is AsyncAppClient), where


def test_resources_are_cached_properties_of_the_facade(emulator):
    with CustomerIO(**emulator.settings()) as cio:
        assert cio.app.campaigns is cio.app.campaigns
        assert cio.app.campaigns.actions is cio.app.campaigns.actions
        assert "Campaigns" in repr(cio.app.campaigns)
        assert emulator.settings()["app_api_key"] not in repr(cio.app.campaigns)


def test_short_verbs_in_resource_context():
    reg = build_registry(AppClient)
    assert reg[("app_api", "listCampaigns")] == "Campaigns.list"
    assert reg[("app_api", "campaignMetrics")] == "Campaigns.metrics"
    assert reg[("app_api", "listCampaignActions")] == "CampaignActions.list"
    assert reg[("app_api", "sendEmail")] == "Send.email"
    assert reg[("app_api", "getPeopleFilter")] == "Customers.search"
