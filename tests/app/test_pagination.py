"""Pages across a tiny local server: cursors go back as start/offset, iteration spans every page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cio_toolkit._pagination import PageState, next_cursor
from cio_toolkit.app import AppClient, AsyncAppClient
from tests._servers import Action, ScriptedServer


def query(seen) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(seen.path).query).items()}


def activity_pages():
    return [
        Action(body={"activities": [{"id": "a1", "type": "event"}, {"id": "a2", "type": "event"}], "next": "t2"}),
        Action(body={"activities": [{"id": "a3", "type": "page", "data": {"url": "/x"}}], "next": "t3"}),
        Action(body={"activities": [{"id": "a4", "type": "event"}], "next": ""}),
    ]


def client(url: str) -> AppClient:
    return AppClient("k-app", base_url=url, rate_limits=False)


def test_iterating_follows_next_tokens_with_the_same_filters():
    with ScriptedServer(*activity_pages()) as srv, client(srv.url) as app:
        page = app.activities.list(type="event", limit=2)
        assert [a["id"] for a in page.items] == ["a1", "a2"] and page.has_next()
        assert len(srv.seen) == 1  # later pages are fetched only when iterated
        assert [a["id"] for a in page] == ["a1", "a2", "a3", "a4"]
    qs = [query(s) for s in srv.seen]
    assert qs == [{"type": "event", "limit": "2"}, {"type": "event", "limit": "2", "start": "t2"},
                  {"type": "event", "limit": "2", "start": "t3"}]
    assert all(s.headers["Authorization"] == "Bearer k-app" for s in srv.seen)


def test_iter_pages_and_dataframes():
    with ScriptedServer(*activity_pages(), *activity_pages()) as srv, client(srv.url) as app:
        pages = list(app.activities.list().iter_pages())
        assert [len(p) for p in pages] == [2, 1, 1] and not pages[-1].has_next()
        df = app.activities.list().to_pandas()
        assert df["id"].tolist() == ["a1", "a2", "a3", "a4"]
        assert "data.url" in df.columns  # nested objects become dotted columns
    with ScriptedServer(*activity_pages()) as srv, client(srv.url) as app:
        pl_df = app.activities.list().to_polars()
        assert pl_df["id"].to_list() == ["a1", "a2", "a3", "a4"] and "data.url" in pl_df.columns


def test_post_search_pages_keep_the_body():
    pages = [Action(body={"identifiers": [{"id": "u1", "cio_id": "c1"}], "ids": ["u1"], "next": "n2"}),
             Action(body={"identifiers": [{"id": "u2", "cio_id": "c2"}], "ids": ["u2"], "next": ""})]
    from cio_toolkit.app.filters import attr

    with ScriptedServer(*pages) as srv, client(srv.url) as app:
        found = app.customers.search(filter=attr("plan") == "pro", limit=1).to_list()
    assert [c["id"] for c in found] == ["u1", "u2"]
    assert srv.seen[0].body == srv.seen[1].body == b'{"filter":{"attribute":{"field":"plan","operator":"eq","value":"pro"}}}'
    assert query(srv.seen[1]) == {"limit": "1", "start": "n2"}


def test_offset_pages_for_suppression_lists():
    full = {"category": "bounces", "suppressions": [{"email": "a@x.io"}, {"email": "b@x.io"}]}
    last = {"category": "bounces", "suppressions": [{"email": "c@x.io"}]}
    with ScriptedServer(Action(body=full), Action(body=last)) as srv, client(srv.url) as app:
        emails = [s["email"] for s in app.esp_suppression.list(suppression_type="bounces", limit=2)]
    assert emails == ["a@x.io", "b@x.io", "c@x.io"]
    assert [query(s) for s in srv.seen] == [{"limit": "2"}, {"limit": "2", "offset": "2"}]


def test_single_page_lists_and_unwrapped_objects():
    with ScriptedServer(Action(body={"campaigns": [{"id": 1}, {"id": 2}]}),
                        Action(body={"campaign": {"id": 1, "name": "Welcome"}})) as srv, client(srv.url) as app:
        page = app.campaigns.list()
        assert [c["id"] for c in page] == [1, 2] and not page.has_next()
        assert app.campaigns.get(campaign_id=1) == {"id": 1, "name": "Welcome"}
    assert len(srv.seen) == 2


def test_a_repeated_cursor_ends_iteration():
    loop = [Action(body={"activities": [{"id": "a"}], "next": "same"}),
            Action(body={"activities": [{"id": "b"}], "next": "same"})]
    with ScriptedServer(*loop) as srv, client(srv.url) as app:
        assert [a["id"] for a in app.activities.list()] == ["a", "b"]
    assert len(srv.seen) == 2


def test_next_cursor_is_pure():
    st = PageState("next", {}, None)
    assert next_cursor(st, {"next": "x"}, 3) == "x"
    assert next_cursor(st, {"next": ""}, 3) is None
    assert next_cursor(st, {"next": "x"}, 0) is None  # an empty page ends it, whatever the token
    assert next_cursor(PageState("next", {"start": "x"}, "x"), {"next": "x"}, 1) is None
    assert next_cursor(PageState("offset", {"limit": 10}, None), {}, 10) == 10
    assert next_cursor(PageState("offset", {"limit": 10, "offset": 10}, 10), {}, 10) == 20
    assert next_cursor(PageState("offset", {"limit": 10}, None), {}, 9) is None
    assert next_cursor(PageState("none", {}, None), {"next": "x"}, 5) is None


async def test_async_pages():
    with ScriptedServer(*activity_pages(), *activity_pages()) as srv:
        async with AsyncAppClient("k-app", base_url=srv.url, rate_limits=False) as app:
            page = await app.activities.list(name="signup")
            assert [a["id"] async for a in page] == ["a1", "a2", "a3", "a4"]
            page = await app.activities.list()
            sizes = [len(p) async for p in page.iter_pages()]
            assert sizes == [2, 1, 1]
    assert query(srv.seen[1]) == {"name": "signup", "start": "t2"}


@pytest.mark.parametrize("status", [404, 401])
def test_errors_surface_at_the_call(status):
    from cio_toolkit._exceptions import AuthenticationError, NotFoundError

    expected = NotFoundError if status == 404 else AuthenticationError
    with (ScriptedServer(Action(status=status, body={"errors": [{"detail": "nope"}]})) as srv, client(srv.url) as app,
          pytest.raises(expected) as err):
        app.campaigns.get(campaign_id=99)
    assert "getCampaigns" in str(err.value) and "k-app" not in str(err.value)
