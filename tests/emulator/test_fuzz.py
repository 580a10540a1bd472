"""Fuzzing the emulator from the specs it serves: no input gets a 5xx, every answer fits its schema.

Cases come from schemathesis, built from the Pipelines, Track and App specs as the emulator
serves them (with its SDK divergences, ``oneOf`` read as ``anyOf`` as its validator reads it:
see :mod:`cio_toolkit.emulator._validate`), and are sent in-process to its ASGI app:

- the coverage phase (boundary and wrong-type values of every parameter and field, no
  randomness): a window of it per operation, all of it in the benchmark;
- random positive and negative cases (derandomized hypothesis), half of them with the path
  parameters set to ids the ``demo`` seed has, so lookups hit both found and not-found paths;
- the same cases with one spot replaced by an edge value: integers beyond 64 bits, empty
  strings, NUL, lone surrogates, a deeply nested array, a value that is not an email.

Every 5th case goes with no or wrong credentials and must get 401. An answer fails on a 5xx, on
a 2xx the spec does not allow (the emulator's own validator, as ``tests/_conformance.py``
applies it, and schemathesis' schema conformance, which also checks formats such as
``email``), and on a 4xx body off the error schema the spec documents for its status.

The APIs run in order on one store (reset and seeded per run), so writes through Pipelines
and Track reach the App API's reads, and a run always sends the same requests.
``benchmarks/bench_fuzz.py`` (``make bench``) drives :class:`Fuzzer` with a larger budget.
"""

from __future__ import annotations

import base64
import copy
import functools
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import GenerationConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from cio_toolkit.emulator import EmulatorConfig, create_app
from cio_toolkit.emulator._divergences import BATCH_CALL, emulator_spec, emulator_validator
from cio_toolkit.emulator._errors import SCHEMA_ERRATA
from cio_toolkit.emulator.registry import run_seed
from cio_toolkit.specs import SpecName

APIS: tuple[SpecName, ...] = ("pipelines_api", "track_api", "app_api")
_BASE = {"pipelines_api": "http://testserver/v1", "track_api": "http://testserver", "app_api": "http://testserver"}
# Ids the demo seed has, by path parameter name.
SEEDED = {
    "identifier": "u1001", "customer_id": "u1001", "email_address": "diego.okafor1@example.com",
    "segment_id": "1", "campaign_id": "1", "broadcast_id": "1", "newsletter_id": "1", "action_id": "1",
    "collection_id": "1", "transactional_id": "1", "trigger_id": "1", "test_group_id": "1", "sender_id": "1",
    "webhook_id": "1", "object_type_id": "1", "object_id": "acme", "content_id": "201", "snippet_name": "footer",
    "language": "de", "message_id": "AWNpb2VtdQAAAAAAAAAB", "delivery_id": "AWNpb2VtdQAAAAAAAAAB",
    "suppression_type": "bounces",
}
_DEEP: Any = []
for _ in range(300):
    _DEEP = [_DEEP]
# Values past what the specs' types say, for any parameter or field.
EDGES: tuple[Any, ...] = (
    2**63, -(2**63) - 1, 2**64, 10**30, -(10**40), 1e308, "", "\x00", "a\x00b", "\ud800", "COM1",
    "x" * 2000, "x" * 40_000, _DEEP, {"$ref": "#"}, None, True, [], {},
)
_TEXT_ONLY = {"\ud800"}  # cannot be put in a URL: body fields only


@dataclass(frozen=True)
class Budget:
    """How many cases a run sends per operation."""

    examples: int  # random cases (positive, negative, seeded ids, edge values)
    coverage: slice  # which of the operation's coverage-phase cases (start, stop, step)


BOUNDED = Budget(examples=2, coverage=slice(0, 8))
LONG = Budget(examples=6, coverage=slice(8, 68, 3))  # other coverage cases than BOUNDED's
BENCH = Budget(examples=40, coverage=slice(None))  # every coverage case: about 21,000 cases in all


@dataclass
class Findings:
    """What a run sent and what it found wrong."""

    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    unsent: Counter[str] = field(default_factory=Counter)  # cases the HTTP client could not encode
    failures: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (kind, operation, detail)
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)  # one curl per failure

    def fail(self, kind: str, label: str, detail: str, curl: str) -> None:
        """Count a failure; keep the first reproduction of each."""
        key = (kind, label, detail[:300])
        self.failures[key] += 1
        self.examples.setdefault(key, curl[:800])

    def kinds(self) -> Counter[str]:
        """Failures per kind."""
        out: Counter[str] = Counter()
        for (kind, _, _), n in self.failures.items():
            out[kind] += n
        return out

    def report(self) -> str:
        """One paragraph per distinct failure, with a curl command that reproduces it."""
        return "\n\n".join(
            f"{n}x {kind} {label}: {detail}\n    {self.examples[(kind, label, detail)]}"
            for (kind, label, detail), n in sorted(self.failures.items())
        )


def _any_of(node: Any) -> Any:
    """The spec with every ``oneOf`` read as ``anyOf`` (overlapping alternatives, see _validate)."""
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_any_of(v) for v in node]
    return node


def _served(api: SpecName) -> dict[str, Any]:
    """The spec as the emulator serves it (its SDK divergences applied), for generating cases.

    The served /v1/batch takes any items and judges each against BATCH_CALL; cases draw their
    items from BATCH_CALL, so most are calls rather than arbitrary JSON.
    """
    spec = copy.deepcopy(emulator_spec(api))
    if api == "pipelines_api":
        body = spec["paths"]["/batch"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        body["properties"]["batch"]["items"] = {"$ref": f"#/components/schemas/{BATCH_CALL}"}
    return spec


@functools.cache
def _schema(api: SpecName) -> Any:
    return schemathesis.openapi.from_dict(_any_of(_served(api)), config=schemathesis.Config())


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _with_edge(case: Any, pick: int, value: Any) -> Any:
    """``case`` with the ``pick``-th spot (path, query, top-level body field) set to ``value``."""
    spots: list[tuple[Any, str]] = [(case.path_parameters, k) for k in sorted(case.path_parameters or {})]
    spots += [(case.query, k) for k in sorted(case.query or {})]
    if isinstance(case.body, dict):
        spots += [(case.body, k) for k in sorted(case.body)]
    if not spots:
        return case
    where, key = spots[pick % len(spots)]
    if where is not case.body:  # a path or query value: a scalar, as text
        if value is None or isinstance(value, list | dict) or value in _TEXT_ONLY:
            return case
        value = str(value).lower() if isinstance(value, bool) else str(value)
    where[key] = value
    return case


_WRONG = {"pipelines_api": _basic("wrong-key", ""), "track_api": _basic("wrong-site", "wrong-key"),
          "app_api": "Bearer wrong-key"}


class Fuzzer:
    """Sends fuzz cases to a fresh in-process emulator and judges every answer."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        config = EmulatorConfig.create(log=False, rate_limits=False)
        self.app = create_app(config)
        keys = config.keys
        self.auth = {
            "pipelines_api": _basic(keys.pipelines_api_key, ""),
            "track_api": _basic(keys.site_id, keys.track_api_key),
            "app_api": f"Bearer {keys.app_api_key}",
        }
        self.found = Findings()

    def run(self) -> Findings:
        """Every API in order on one freshly seeded store."""
        state = self.app.state.emulator
        state.reset()
        run_seed("demo", state.store)
        for api in APIS:
            for result in _schema(api).get_all_operations():
                self._operation(api, result.ok())
        return self.found

    def _operation(self, api: SpecName, op: Any) -> None:
        coverage = _schema(api).iter_coverage_cases(
            op, generation_modes=list(GenerationMode), generation_config=GenerationConfig()
        )
        window = self.budget.coverage
        for case in itertools.islice(coverage, window.start, window.stop, window.step):
            self.check(api, op, case)
        if self.budget.examples:
            self._random(api, op)

    def _random(self, api: SpecName, op: Any) -> None:
        """Positive and negative cases, with seeded ids when the path has any, some with an edge value."""
        seeded = {p.name: SEEDED[p.name] for p in op.path_parameters if p.name in SEEDED}
        variants = [op.as_strategy(generation_mode=mode) for mode in GenerationMode]
        if seeded:
            variants.append(op.as_strategy(path_parameters=seeded))
        edges = st.none() | st.tuples(st.integers(0, 50), st.sampled_from(EDGES))

        @settings(max_examples=self.budget.examples, derandomize=True, database=None, deadline=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(variants), spot=edges)
        def send(case: Any, spot: tuple[int, Any] | None) -> None:
            self.check(api, op, case if spot is None else _with_edge(case, *spot))

        send()

    def check(self, api: SpecName, op: Any, case: Any) -> None:
        """Send one case (every 5th without credentials) and judge the answer."""
        self.found.cases += 1
        anonymous = self.found.cases % 5 == 0  # alternately no credentials and wrong ones
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        auth = self.auth[api] if not anonymous else _WRONG[api] if self.found.cases % 10 else None
        try:
            response = case.call(app=self.app, base_url=_BASE[api], headers=auth and {"Authorization": auth})
        except (UnicodeError, ValueError) as exc:  # the client refused to encode it: never reached us
            self.found.unsent[type(exc).__name__] += 1
            return
        self.found.statuses[response.status_code] += 1
        for kind, detail in _judge(op, case, response, anonymous):
            self.found.fail(kind, op.label, detail, case.as_curl_command())


def _judge(op: Any, case: Any, response: Any, anonymous: bool) -> Iterator[tuple[str, str]]:
    """What is wrong with one answer: a 5xx, a missing 401, a body off its documented schema."""
    status = response.status_code
    if status >= 500:
        yield "5xx", f"{status} {response.text[:200]}"
        return
    # The operation the emulator routed to (none: a 404 or 405 of the routing, with no schema).
    routed = response.headers.get("x-cio-emulator-operation") or [""]
    api, _, operation_id = routed[0].partition(".")
    if not operation_id:
        return
    validator = emulator_validator(api)  # type: ignore[arg-type]
    if anonymous and validator.operations[operation_id].security and status != 401:
        yield "no 401 without credentials", f"{status} {response.text[:100]}"
        return
    if status >= 400 and (api, operation_id) in SCHEMA_ERRATA:
        return  # answered as the spec's examples show, which its error schema contradicts
    problems = _own_schema(validator, operation_id, response) if status < 300 else []
    if operation_id == op.definition.raw["operationId"]:  # else routed elsewhere, e.g. an empty {id}
        problems += _schemathesis_schema(case, response)
    for problem in problems:
        yield "off schema", f"{status} {problem}"


def _own_schema(validator: Any, operation_id: str, response: Any) -> list[str]:
    """The emulator's own response check (its validator), as tests/_conformance.py applies it to every 2xx."""
    if not response.content:
        return []
    try:
        body = response.json()
    except ValueError:
        return ["body is not JSON"]
    return validator.validate_response(operation_id, response.status_code, body)[:1]


def _schemathesis_schema(case: Any, response: Any) -> list[str]:
    try:
        case.validate_response(response, checks=[response_schema_conformance])
    except FailureGroup as group:
        return [" ".join(str(f.message).split())[:240] for f in group.exceptions[:1]]
    return []


def _run(budget: Budget) -> Findings:
    found = Fuzzer(budget).run()
    assert not found.failures, f"{sum(found.failures.values())} failing cases\n\n{found.report()}"
    return found


def test_fuzz_bounded() -> None:
    found = _run(BOUNDED)
    # The cases reached the handlers: found and not-found lookups, refused input, refused credentials.
    assert {200, 400, 401, 404} <= set(found.statuses)


@pytest.mark.slow
def test_fuzz_long() -> None:
    _run(LONG)


def test_the_judge_fails_a_5xx_and_an_answer_off_schema() -> None:
    fuzzer = Fuzzer(BOUNDED)
    state = fuzzer.app.state.emulator
    run_seed("demo", state.store)
    state.store.execute("UPDATE people SET email = 'COM1' WHERE id = 'u1001'")  # past every write path
    op = _schema("app_api")["/v1/customers/{customer_id}/attributes"]["GET"]
    fuzzer.check("app_api", op, op.Case(path_parameters={"customer_id": "u1001"}))
    state.faults.update(error_rate=1.0)
    fuzzer.check("app_api", op, op.Case(path_parameters={"customer_id": "u1001"}))
    assert fuzzer.found.kinds() == Counter({"off schema": 1, "5xx": 1})
