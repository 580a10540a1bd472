"""Every response example of the spec parses into its generated response type."""

from __future__ import annotations

import functools
import inspect
import re

import pydantic
import pytest

from cio_toolkit.app import AppClient, types
from cio_toolkit.app._generated.models import RESPONSE_TYPES
from cio_toolkit.specs import load_spec, operations
from cio_toolkit.specs._registry import _ATTR

from ._samples import example_from_schema

SPEC = load_spec("app_api")


def _deref(node):
    while isinstance(node, dict) and "$ref" in node:
        target = SPEC
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def content_examples():
    """(operationId, status, name, example) for every responses.*.content.*.example(s) of the spec."""
    out = []
    for _, _, op in operations("app_api"):
        for code, resp in op["responses"].items():
            for media in (_deref(resp).get("content") or {}).values():
                if "example" in media:
                    out.append((op["operationId"], code, "example", media["example"]))
                for name, ex in (media.get("examples") or {}).items():
                    out.append((op["operationId"], code, name, _deref(ex).get("value")))
    return out


def schema_examples():
    """(operationId, status, example) synthesized from the schema-level examples of every JSON response."""
    out = []
    for _, _, op in operations("app_api"):
        for code, resp in op["responses"].items():
            for media in (_deref(resp).get("content") or {}).values():
                if "schema" in media:
                    out.append((op["operationId"], code, example_from_schema(media["schema"], SPEC)))
    return out


@functools.cache
def adapter(op_id, code):
    return pydantic.TypeAdapter(RESPONSE_TYPES[op_id][code])


def test_every_documented_json_response_has_a_type():
    documented = {(op_id, code) for op_id, code, _ in schema_examples()}
    generated = {(op_id, code) for op_id, codes in RESPONSE_TYPES.items() for code in codes}
    assert documented == generated


@pytest.mark.parametrize(("op_id", "code", "name", "example"), content_examples(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_content_examples_parse(op_id, code, name, example):
    assert example is not None
    assert adapter(op_id, code).validate_python(example) == example


@pytest.mark.parametrize(("op_id", "code", "example"), schema_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_schema_examples_parse(op_id, code, example):
    adapter(op_id, code).validate_python(example)


def test_types_reject_wrong_shapes():
    # The examples above would prove nothing if the types accepted anything.
    with pytest.raises(pydantic.ValidationError):
        adapter("getSegmentCount", "200").validate_python({"segment_id": "seven", "count": 3})
    with pytest.raises(pydantic.ValidationError):
        adapter("getExport", "200").validate_python({"export": {"id": 1, "status": "exploded"}})



def _resource_classes():
    """Every resource class reachable from AppClient through its cached properties."""
    out, todo = [], [AppClient]
    while todo:
        cls = todo.pop()
        for _, member in inspect.getmembers(cls):
            fn = getattr(member, "func", None)
            hint = inspect.get_annotations(fn, eval_str=True).get("return") if fn else None
            if isinstance(hint, type) and hint not in out:
                out.append(hint)
                todo.append(hint)
    return out


def test_methods_return_public_readable_type_names():
    assert "CustomerIdentifiers" in types.__all__ and "Activity" in types.__all__
    assert inspect.signature(AppClient(api_key="k").customers.find).return_annotation == (
        "SyncPage[m.CustomerIdentifiers]"
    )
    names = []
    for cls in _resource_classes():
        for _, fn in inspect.getmembers(cls, inspect.isfunction):
            if getattr(fn, _ATTR, None):
                names += re.findall(r"m\.(\w+)", inspect.signature(fn).return_annotation)
    assert len(names) > 100
    for name in names:
        assert name in types.__all__, name
        # Not an operation's path through its answer (ListActivitiesResponseActivitiesItem...).
        assert not re.search(r"Response\w*Item|Response[A-Z]\w*Response", name), name
