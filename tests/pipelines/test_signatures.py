"""Each Pipelines call signature is written once, in its builder: the clients' methods are derived from it."""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path

import pytest

from cio_toolkit.pipelines import AsyncPipelinesClient, AsyncSender, PipelinesClient, Sender, calls, semantic

ROOT = Path(__file__).resolve().parents[2]
_NOT_BUILDERS = {"object_type_id_of", "check_semantic_call", "semantic_event", "events_frame"}
# Every public builder, by the name of the client method that sends what it builds.
BUILDERS = {
    ("track_semantic" if name == "semantic_call" else name): getattr(module, name)
    for module in (calls, semantic)
    for name in module.__all__
    if inspect.isfunction(getattr(module, name)) and name not in _NOT_BUILDERS
}


def _params(fn):
    return list(inspect.signature(fn).parameters.values())


def test_every_builder_has_its_options_spelled_out_and_refuses_unknown_keywords():
    assert set(BUILDERS) >= {"identify", "track", "page", "screen", "group", "alias", "delete_person"}
    for name, build in BUILDERS.items():
        params = {p.name: p for p in _params(build)}
        options = calls.CallOptions if build.__module__.endswith(".calls") else calls.StampOptions
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values()), name
        assert {k: params[k].default for k in calls.StampOptions.__annotations__} == dict.fromkeys(
            calls.StampOptions.__annotations__), name
        assert set(options.__annotations__) <= set(params), name
        with pytest.raises(TypeError, match=rf"{build.__name__}\(\) got an unexpected keyword argument 'contxt'"):
            build(user_id="u", contxt={})


@pytest.mark.parametrize("client_cls", [PipelinesClient, AsyncPipelinesClient])
def test_client_methods_take_exactly_their_builders_keywords(client_cls):
    for name, build in BUILDERS.items():
        method = getattr(client_cls, name)
        assert _params(method)[0].name == "self" and _params(method)[1:] == _params(build), name
        assert inspect.signature(method).return_annotation == "str", name
        assert inspect.iscoroutinefunction(method) == (client_cls is AsyncPipelinesClient), name
    # Nothing else sends a single call: a builder without a client method cannot go unnoticed.
    marked = {n for n, m in inspect.getmembers(client_cls) if getattr(m, "__cio_operation__", None)}
    assert marked - set(BUILDERS) == {"batch"}


def test_the_sender_method_takes_the_senders_own_parameters():
    assert _params(PipelinesClient.sender)[1:] == _params(Sender)[1:]
    assert _params(Sender)[0].name == "client"


def test_mypy_checks_the_derived_keywords(tmp_path, monkeypatch):
    # Reuses the project's mypy cache (``make test`` runs mypy first), so this takes a second or two.
    if not (ROOT / ".mypy_cache").is_dir():
        pytest.skip("no warm mypy cache: run mypy first (make test does)")
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "uses_pipelines.py"
    snippet.write_text(textwrap.dedent('''
        from cio_toolkit.pipelines import AsyncPipelinesClient, PipelinesClient, calls

        def sync(c: PipelinesClient, options: calls.CallOptions) -> str:
            c.sender(max_queue=10, timeout=5.0)
            c.sender(max_queu=10)  # line 6
            c.identify(user_id="u", trait={})  # line 7
            return c.identify(user_id="u", **options)

        async def asyn(c: AsyncPipelinesClient) -> str:
            await c.delete_person(user_id="u", timestap=1)  # line 11
            return await c.track(user_id="u", event="e", idempotency_key="k")
    '''))
    monkeypatch.setenv("MYPYPATH", str(ROOT / "src"))
    out, _, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
                              str(ROOT / ".mypy_cache"), "--no-error-summary", str(snippet)])
    errors = sorted((int(m[1]), m[2]) for m in re.finditer(r":(\d+): error: .*\[([\w-]+)\]$", out, re.M))
    assert status == 1 and errors == [(6, "call-arg"), (7, "call-arg"), (11, "call-arg")], out


@pytest.mark.parametrize("sender_cls", [Sender, AsyncSender])
def test_sender_methods_take_exactly_their_builders_keywords(sender_cls):
    for name, build in BUILDERS.items():
        method = getattr(sender_cls, name)
        assert _params(method)[0].name == "self" and _params(method)[1:] == _params(build), name
        assert inspect.signature(method).return_annotation == "str", name
        assert inspect.iscoroutinefunction(method) == (sender_cls is AsyncSender), name
        assert method.__doc__.startswith("Queue "), name


def test_the_async_sender_method_takes_the_async_senders_own_parameters():
    assert _params(AsyncPipelinesClient.sender)[1:] == _params(AsyncSender)[1:]
    assert inspect.signature(AsyncPipelinesClient.sender).return_annotation == "AsyncSender"
    # The two senders take the same options, but for the exit flush only a thread can do.
    assert [p.name for p in _params(AsyncSender)] == [p.name for p in _params(Sender) if p.name != "atexit_timeout"]


def test_mypy_checks_the_senders_derived_keywords(tmp_path, monkeypatch):
    if not (ROOT / ".mypy_cache").is_dir():
        pytest.skip("no warm mypy cache: run mypy first (make test does)")
    api = pytest.importorskip("mypy.api")
    snippet = tmp_path / "uses_senders.py"
    snippet.write_text(textwrap.dedent('''
        from cio_toolkit.pipelines import AsyncPipelinesClient, PipelinesClient

        def sync(c: PipelinesClient) -> str:
            s = c.sender(max_queue=10)
            s.track(user_id="u", evnt="e")  # line 6
            return s.track(user_id="u", event="e")

        async def asyn(c: AsyncPipelinesClient) -> str:
            s = c.sender(max_queue=10, linger=0.1)
            c.sender(atexit_timeout=1.0)  # line 11
            await s.identify(user_id="u", trait={})  # line 12
            return await s.track(user_id="u", event="e", idempotency_key="k")
    '''))
    monkeypatch.setenv("MYPYPATH", str(ROOT / "src"))
    out, _, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
                              str(ROOT / ".mypy_cache"), "--no-error-summary", str(snippet)])
    errors = sorted((int(m[1]), m[2]) for m in re.finditer(r":(\d+): error: .*\[([\w-]+)\]$", out, re.M))
    assert status == 1 and errors == [(6, "call-arg"), (11, "call-arg"), (12, "call-arg")], out
