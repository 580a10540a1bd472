"""What a deferred Track or Pipelines write checks before it is answered (the production profile).

With a visibility delay (:mod:`..services.ingest`) a write is answered at once and its handler
runs when it falls due. These prechecks are the part of a handler Customer.io answers
synchronously: each calls the handler's own check, so a rule is written once, and each is free
of side effects (the handler repeats the check when it runs). Checks that depend on data written
through Track or Pipelines (merge's primary person) stay in the handler: that data may not have
landed yet, and a write that fails when it lands is recorded by the ingest service.
"""

from __future__ import annotations

from typing import Any

from ..registry import RequestContext, precheck
from . import pipelines, track

__all__: list[str] = []


@precheck("track_api", "identify")
def _identify(ctx: RequestContext) -> None:
    track._check_identify_body(*track._ref_of_path(ctx.path_params["identifier"]), track._body(ctx))


@precheck("track_api", "track")
@precheck("track_api", "trackAnonymous")
def _event(ctx: RequestContext) -> None:
    track._check_event_body(track._body(ctx))


@precheck("track_api", "pushMetrics")
def _push_metric(ctx: RequestContext) -> None:
    track._check_push_metric(ctx)


@precheck("track_api", "add_to_segment")
@precheck("track_api", "remove_from_segment")
def _segment(ctx: RequestContext) -> None:
    # Segments are made through the App API, whose writes are visible at once: 404 / 400 now.
    track._segment(ctx)


@precheck("track_api", "submitForm")
def _form(ctx: RequestContext) -> tuple[int, None]:
    track._check_form(ctx)
    return 204, None


@precheck("track_api", "entity")
def _entity(ctx: RequestContext) -> tuple[int, Any] | None:
    item = track._entity_item(ctx)
    return item if isinstance(item, tuple) else None


@precheck("track_api", "batch")
def _batch(ctx: RequestContext) -> dict[str, Any] | tuple[int, Any]:
    if (refused := track._too_large(ctx)) is not None:
        return refused
    return track._batch_answer(track._batch_items(ctx)[1])


# Strict mode refuses the batch with 400 but still applies its valid items.
precheck("pipelines_api", "batch", apply_refused=True)(pipelines.check_batch)
