"""Transactional sends and broadcast triggers draw on their own documented budgets.

Waits are read from the limiters' own grants, not from gaps between arrivals at the server, which
include connection set-up and the scheduling of a busy machine.
"""

from __future__ import annotations

from cio_toolkit._ratelimit import RateLimit
from cio_toolkit.app import AppClient
from tests._servers import Action, ScriptedServer


def test_documented_budgets_per_endpoint_class():
    with AppClient("k") as app:
        t = app._transport
        assert t.limiter("default").rate == RateLimit(10, 1.0)
        assert t.limiter("transactional").rate == RateLimit(100, 1.0)
        assert t.limiter("broadcast_trigger").rate == RateLimit(1, 10.0)


def test_broadcast_triggers_wait_for_their_budget_while_other_calls_do_not():
    # Odd periods keep these limiters apart from every other test's (limiters are process-wide).
    limits = {"default": RateLimit(1000, 1.01), "broadcast_trigger": RateLimit(1, 0.53),
              "transactional": RateLimit(1000, 1.02)}
    replies = [Action(body={"id": 1}), Action(body={"campaigns": []}), Action(body={"id": 2}),
               Action(body={"delivery_id": "d", "queued_at": 1})]
    with ScriptedServer(*replies) as srv, AppClient("k", base_url=srv.url, rate_limits=limits) as app:
        limiters = [app._transport.limiter(c) for c in ("broadcast_trigger", "default", "transactional")]
        assert all(limiters)
        marks = [len(lim.grants()) for lim in limiters if lim]
        app.send.broadcast(broadcast_id=3, ids=["u1"])
        app.campaigns.list()
        app.send.broadcast(broadcast_id=3, ids=["u2"])
        app.send.email(transactional_message_id=1, to="a@example.com", identifiers={"id": "u1"})
    (first, second), (listing,), (email,) = (lim.grants()[m:] for lim, m in zip(limiters, marks, strict=True) if lim)
    assert listing.wait == 0  # the GET did not queue behind the trigger budget
    assert second.granted - first.granted >= 0.53 - 1e-6  # the second trigger waited for the 1-per-0.53 s budget
    assert email.wait == 0  # transactional sends have their own budget
    # And the client kept to its slots: the second trigger reached the server after its slot opened.
    assert len(srv.seen) == 4 and srv.seen[2].at >= second.granted - 1e-6
