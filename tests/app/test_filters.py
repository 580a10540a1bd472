"""Filter helpers produce exactly the spec's filter JSON, and it validates where it is used."""

from __future__ import annotations

import pytest

from cio_toolkit._exceptions import ValidationError
from cio_toolkit.app._generated.operations import OPERATIONS
from cio_toolkit.app._ops import build_request
from cio_toolkit.app.filters import all_of, any_of, attr, object_attr, segment
from cio_toolkit.emulator._validate import shared_validator

from .conftest import wire


def test_attribute_conditions():
    assert (attr("plan") == "pro").to_dict() == {"attribute": {"field": "plan", "operator": "eq", "value": "pro"}}
    assert attr("email").exists().to_dict() == {"attribute": {"field": "email", "operator": "exists"}}
    # The API compares values as strings.
    assert (attr("vip") == True).to_dict()["attribute"]["value"] == "true"  # noqa: E712
    assert (attr("age") == 30).to_dict()["attribute"]["value"] == "30"
    assert (attr("plan") != "free").to_dict() == {
        "not": {"attribute": {"field": "plan", "operator": "eq", "value": "free"}}}
    assert attr("phone").missing().to_dict() == {"not": {"attribute": {"field": "phone", "operator": "exists"}}}


def test_combinators_flatten_and_negate():
    f = (attr("a") == 1) & (attr("b") == 2) & segment(3)
    assert f.to_dict() == {"and": [
        {"attribute": {"field": "a", "operator": "eq", "value": "1"}},
        {"attribute": {"field": "b", "operator": "eq", "value": "2"}},
        {"segment": {"id": 3}},
    ]}
    g = segment(1) | segment(2) | (segment(4) & attr("x").exists())
    assert g.to_dict() == {"or": [{"segment": {"id": 1}}, {"segment": {"id": 2}},
                                  {"and": [{"segment": {"id": 4}}, {"attribute": {"field": "x", "operator": "exists"}}]}]}
    assert (~segment(5)).to_dict() == {"not": {"segment": {"id": 5}}}
    assert (~~segment(5)).to_dict() == {"segment": {"id": 5}}
    assert all_of(segment(1)).to_dict() == {"segment": {"id": 1}}
    assert any_of(segment(1), segment(2)).to_dict() == {"or": [{"segment": {"id": 1}}, {"segment": {"id": 2}}]}
    assert attr("plan").is_in(["a", "b"]).to_dict() == {"or": [
        {"attribute": {"field": "plan", "operator": "eq", "value": "a"}},
        {"attribute": {"field": "plan", "operator": "eq", "value": "b"}}]}


def test_object_attribute_conditions():
    f = (object_attr("plan", type_id=1) == "pro") | object_attr("seats", type_id="1").exists()
    assert f.to_dict() == {"or": [
        {"object_attribute": {"field": "plan", "operator": "eq", "type_id": "1", "value": "pro"}},
        {"object_attribute": {"field": "seats", "operator": "exists", "type_id": "1"}},
    ]}


def test_bad_filter_input_names_the_field():
    with pytest.raises(ValidationError) as err:
        attr("")
    assert err.value.field == "field"
    with pytest.raises(ValidationError) as err:
        attr("tags") == ["a"]  # noqa: B015
    assert err.value.field == "tags"
    with pytest.raises(ValidationError):
        segment("3")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        any_of()


FILTERS = [
    attr("plan") == "pro",
    attr("email").exists() & ~segment(7),
    (segment(1) | segment(2)) & (attr("plan") == "pro"),
    ~(attr("a") == "1"),
    (attr("a") == "1") | ((attr("b") == "2") & attr("c").exists()),
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: str(f.to_dict())[:60])
@pytest.mark.parametrize(("op_id", "key"), [("getPeopleFilter", "filter"), ("exportPeopleData", "filters"),
                                            ("triggerBroadcast", "recipients")])
def test_filters_validate_in_every_operation_that_takes_one(op_id, key, f):
    extra = {"broadcast_id": 1} if op_id == "triggerBroadcast" else {}
    w = wire(build_request(OPERATIONS[op_id], {key: f, **extra}))
    assert w["body"][key] == f.to_dict()
    assert shared_validator("app_api").validate_request(w["method"], w["path"], w["query"], w["headers"],
                                                        w["body"]) == []


def test_object_filter_validates():
    f = (object_attr("plan", type_id=1) == "pro") & object_attr("seats", type_id=1).exists()
    w = wire(build_request(OPERATIONS["getObjectsFilter"], {"object_type_id": "1", "filter": f}))
    assert shared_validator("app_api").validate_request(w["method"], w["path"], w["query"], w["headers"],
                                                        w["body"]) == []
