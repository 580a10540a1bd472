"""App API handlers for exports, imports, ESP suppressions, reporting webhooks, workspaces and info.

Exports
    exportPeopleData evaluates its filter and exportDeliveriesData its newsletter/campaign/
    transactional/action selection when they are created (a snapshot, like the real service).
    The creating call answers ``status: "pending"`` and ``total: 0``; from the next read on
    (getExport, listExports) the export is ``done`` with its row count. downloadExport answers a
    signed link to ``/_emulator/files/{id}`` on this emulator, valid for 15 minutes; the file is a
    gzip-compressed CSV (``application/gzip``): customers exports have ``id``, ``email``,
    ``cio_id`` and one column per attribute; deliveries exports one row per delivery with its
    references, a ``*_at`` column per metric and the requested person ``attributes``.
Imports
    The CSV at ``data_file_url`` is read when the import is created: a file this emulator serves
    (``/_emulator/files/...``) or any reachable http(s) URL. People rows are identified by the
    ``id`` or ``email`` column (per ``identifier``); event rows need ``name`` (and optionally
    ``timestamp``); object rows ``object_id``; relationship rows a person identifier and
    ``object_id``. ``data_to_process`` (only_new / only_existing) is honoured. The creating call
    answers ``state: "preprocessing"``; getImport reports ``imported`` (or ``failed`` with
    ``error``) with ``rows_to_import``/``rows_imported``, and an ``error_download_url`` listing
    the rejected rows when there are any.
Reporting webhooks
    Stored as given (``disabled`` defaults to false); :func:`..models.content.list_reporting_webhooks`
    is how the webhook sender reads them. createWebhook gives each webhook its own signing key
    and answers it once, as ``signing_key`` (an emulator extension standing in for Customer.io's
    UI, which shows a new webhook's key once); no other answer carries it, and the webhook's
    deliveries are signed with it.
"""

from __future__ import annotations

import csv
import gzip
import io
import secrets
import uuid
from typing import Any

from ..models import objects
from ..models.clock import now
from ..models.content import (
    SIGNING_KEY,
    WORKSPACE_USER,
    dedup_id,
    doc_delete,
    doc_get,
    doc_list,
    doc_put,
    next_id,
    public,
    put_file,
)
from ..models.messages import METRICS, messages_with_attributes, sent_count
from ..models.people import as_string, find_person
from ..models.people import count as count_people
from ..models.segments import Audience
from ..registry import EmulatorHTTPError, RequestContext, handler
from ..services.deliveries import FileTooLarge, fetch_url
from ._common import body, int_param, not_found, require_doc, st

__all__: list[str] = []

_LINK_TTL = 15 * 60
# Documentation-range addresses: the emulator sends from loopback; these only fill the shape.
_IP_ADDRESSES = ["192.0.2.10", "192.0.2.11", "198.51.100.20", "198.51.100.21", "203.0.113.30"]


# --- exports -----------------------------------------------------------------------------


def _csv_gz(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return gzip.compress(out.getvalue().encode("utf-8"), mtime=0)


def _customers_file(ctx: RequestContext, filters: Any) -> tuple[bytes, int]:
    people = Audience(st(ctx)).select(filters)
    names = sorted({k for p in people for k in (p.get("attributes") or {}) if k not in ("id", "email", "cio_id")})
    rows = [
        [p.get("id") or "", p.get("email") or "", p["cio_id"],
         *[as_string((p.get("attributes") or {}).get(k)) for k in names]]
        for p in people
    ]
    return _csv_gz(["id", "email", "cio_id", *names], rows), len(rows)


def _deliveries_file(ctx: RequestContext, request: dict[str, Any]) -> tuple[bytes, int]:
    where, params = "1 = 1", []
    for key, column in (("newsletter_id", "newsletter_id"), ("campaign_id", "campaign_id"),
                        ("transactional_message_id", "transactional_id"), ("action_id", "action_id")):
        if request.get(key) is not None:
            where += f" AND {column} = ?"
            params.append(int(request[key]))
    end = request.get("end") or int(now(st(ctx)))
    start = request.get("start") or end - 183 * 86400  # the API's default: the last 6 months
    where += " AND created >= ? AND created <= ?"
    params += [start, end]
    if request.get("metric") in METRICS:
        where += f" AND {request['metric']} IS NOT NULL"
    where += " AND drafted IS NOT NULL" if request.get("drafts") else " AND drafted IS NULL"
    store = st(ctx)
    messages = messages_with_attributes(store, where, params)
    attributes = [str(a) for a in request.get("attributes") or []]
    refs = ["campaign_id", "action_id", "broadcast_id", "newsletter_id", "content_id", "transactional_id",
            "trigger_id"]
    metric_cols = [m for m in METRICS if m != "created"]
    header = ["delivery_id", "customer_id", "cio_id", "email", "recipient", "type", "subject", *refs, "created_at",
              *[f"{m}_at" for m in metric_cols], "failure_message", *attributes]
    rows = []
    for m in messages:
        attrs = m.get("attributes") or {}
        rows.append([
            m["id"], m.get("customer_id") or "", m.get("cio_id") or "", m.get("email") or "", m.get("recipient") or "",
            m["type"], m.get("subject") or "",
            *["" if m.get(r) is None else int(m[r]) for r in refs],
            int(m["created"]),
            *["" if m.get(c) is None else int(m[c]) for c in metric_cols],
            m.get("failure_message") or "",
            *[as_string(attrs.get(a)) for a in attributes],
        ])
    return _csv_gz(header, rows), len(rows)


def _new_export(ctx: RequestContext, kind: str, description: str, content: bytes, total: int) -> dict[str, Any]:
    store = st(ctx)
    export_id = next_id(store, "export")
    created = int(now(store))
    doc = {
        "id": export_id, **WORKSPACE_USER, "total": 0, "deduplicate_id": dedup_id(export_id, created), "type": kind,
        "failed": False, "description": description, "downloads": 0, "created_at": created, "updated_at": created,
        "status": "pending", "_total": total, "_file": put_file(store, content, name=f"export-{export_id}.csv.gz",
                                                                content_type="application/gzip"),
    }
    doc_put(store, "export", export_id, doc)
    return public(doc)


def _settle(ctx: RequestContext, doc: dict[str, Any]) -> dict[str, Any]:
    """A pending export is done by the first read after its creation."""
    if doc.get("status") == "pending":
        doc.update(status="done", total=doc.get("_total", 0), updated_at=int(now(st(ctx))))
        doc_put(st(ctx), "export", doc["id"], doc)
    return doc


def _export(ctx: RequestContext) -> dict[str, Any]:
    return _settle(ctx, require_doc(st(ctx), "export", int_param(ctx, "export_id"), "export", "path.export_id"))


@handler("app_api", "exportPeopleData")
async def export_people_data(ctx: RequestContext) -> dict[str, Any]:
    """Start an export of the people matching ``filters``."""
    filters = body(ctx).get("filters")
    content, total = _customers_file(ctx, filters)
    return {"export": _new_export(ctx, "customers", "Customers export", content, total)}


@handler("app_api", "exportDeliveriesData")
async def export_deliveries_data(ctx: RequestContext) -> dict[str, Any]:
    """Start an export of the deliveries of a newsletter, campaign, transactional message or action."""
    request = body(ctx)
    content, total = _deliveries_file(ctx, request)
    target = next((k for k in ("newsletter_id", "campaign_id", "transactional_message_id", "action_id")
                   if request.get(k) is not None), "deliveries")
    return {"export": _new_export(ctx, "deliveries", f"Deliveries export ({target} {request.get(target)})",
                                  content, total)}


@handler("app_api", "listExports")
async def list_exports(ctx: RequestContext) -> dict[str, Any]:
    """Every export."""
    return {"exports": [public(_settle(ctx, d)) for d in doc_list(st(ctx), "export")]}


@handler("app_api", "getExport")
async def get_export(ctx: RequestContext) -> dict[str, Any]:
    """One export's metadata and status."""
    return {"export": public(_export(ctx))}


@handler("app_api", "downloadExport")
async def download_export(ctx: RequestContext) -> dict[str, Any]:
    """A signed link (15 minutes) to the export's gzip-compressed CSV on this emulator."""
    doc = _export(ctx)
    store = st(ctx)
    content = store.kv_get("emulator_files", doc["_file"])
    if not isinstance(content, dict):
        raise not_found(f"file of export {doc['id']}", "path.export_id")
    # Each call signs a fresh link: a copy of the file that expires, as the real signed URLs do.
    link = uuid.uuid4().hex
    store.kv_set("emulator_files", link, {**content, "expires_at": now(store) + _LINK_TTL})
    doc["downloads"] = int(doc.get("downloads") or 0) + 1
    doc_put(store, "export", doc["id"], doc)
    return {"url": f"{ctx.base_url}/_emulator/files/{link}"}


# --- imports -----------------------------------------------------------------------------


def _apply_rows(ctx: RequestContext, spec: dict[str, Any], rows: list[dict[str, str]]) -> list[tuple[int, str]]:
    """Apply CSV rows; return ``(row number, reason)`` of the rejected ones."""
    store = st(ctx)
    kind = spec["type"]
    ident = spec.get("identifier", "id")
    mode = spec.get("data_to_process", "all")
    errors: list[tuple[int, str]] = []
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        if kind == "object":
            object_id = (row.get("object_id") or "").strip()
            if not object_id:
                errors.append((n, "object_id is empty"))
                continue
            type_id = str(spec["object_type_id"])
            exists = objects.object_attributes(store, type_id, object_id)
            if (mode == "only_new" and exists is not None) or (mode == "only_existing" and exists is None):
                continue
            objects.put_object(store, type_id, object_id,
                               {**(exists or {}), **{k: v for k, v in row.items() if k != "object_id" and v != ""}})
            continue
        value = (row.get(ident) or "").strip()
        if not value:
            errors.append((n, f"{ident} is empty"))
            continue
        person = find_person(store, value, ident)
        if kind == "people":
            if (mode == "only_new" and person) or (mode == "only_existing" and not person):
                continue
            attrs = {k: v for k, v in row.items() if k != ident and v != ""}
            if person is not None:
                store.upsert_person(cio_id=person["cio_id"], attributes=attrs)
            elif ident == "id":
                store.upsert_person(id=value, attributes=attrs)
            else:
                store.upsert_person(email=value, attributes={**attrs, "email": value})
            continue
        if person is None:
            if mode == "only_existing" or kind == "relationship":
                errors.append((n, f"no person with {ident} {value!r}"))
                continue
            person = store.upsert_person(id=value) if ident == "id" else store.upsert_person(
                email=value, attributes={"email": value})
        if kind == "event":
            name = (row.get("name") or "").strip()
            if not name:
                errors.append((n, "name is empty"))
                continue
            try:
                ts = float(row["timestamp"]) if row.get("timestamp") else now(store)
            except ValueError:
                errors.append((n, f"timestamp {row.get('timestamp')!r} is not a unix timestamp"))
                continue
            data = {k: v for k, v in row.items() if k not in (ident, "name", "timestamp") and v != ""}
            store.add_event(type="track", name=name, person_pk=person["pk"], properties=data, timestamp=ts,
                            api="app_api")
        elif kind == "relationship":
            object_id = (row.get("object_id") or "").strip()
            if not object_id:
                errors.append((n, "object_id is empty"))
                continue
            type_id = str(spec["object_type_id"])
            attrs = {k: v for k, v in row.items() if k not in (ident, "object_id") and v != ""}
            objects.relate(store, person["pk"], type_id, object_id, attrs)
    return errors


@handler("app_api", "import")
async def create_import(ctx: RequestContext) -> dict[str, Any]:
    """Read and apply a CSV of people, events, objects or relationships; report it through getImport."""
    spec = dict(body(ctx).get("import") or {})
    store = st(ctx)
    import_id = next_id(store, "import")
    created = int(now(store))
    record: dict[str, Any] = {
        "id": import_id, "created_at": created, "updated_at": created, "name": spec.get("name", ""),
        "description": spec.get("description", ""), "rows_to_import": 0, "rows_imported": 0,
        "state": "preprocessing", "type": spec.get("type", "people"),
        "data_to_process": spec.get("data_to_process", "all"),
    }
    if spec.get("identifier"):
        record["identifier"] = spec["identifier"]
        record["people_to_process"] = spec.get("data_to_process", "all")
    if spec.get("object_type_id") is not None:
        record["object_type_id"] = str(spec["object_type_id"])
    answer = dict(record)
    try:
        raw = await fetch_url(store, str(spec.get("data_file_url", "")), own_base=ctx.base_url)
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    except FileTooLarge as exc:
        raise EmulatorHTTPError(400, f"data_file_url {exc}", field="body.import.data_file_url") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        record.update(state="failed", error=f"could not read data_file_url: {exc}")
    else:
        errors = _apply_rows(ctx, spec, rows)
        record.update(state="imported", rows_to_import=len(rows), rows_imported=len(rows) - len(errors))
        if errors:
            report = "row,error\n" + "".join(f"{n},{reason.replace(',', ';')}\n" for n, reason in errors)
            file_id = put_file(store, report.encode(), name=f"import-{import_id}-errors.csv", content_type="text/csv")
            record["error_download_url"] = f"{ctx.base_url}/_emulator/files/{file_id}"
    record["updated_at"] = int(now(store))
    doc_put(store, "import", import_id, record)
    return {"import": answer}


@handler("app_api", "getImport")
async def get_import(ctx: RequestContext) -> dict[str, Any]:
    """An import's state and row counts."""
    import_id = int_param(ctx, "import_id")
    record = doc_get(st(ctx), "import", import_id)
    if record is None:
        raise not_found(f"import {import_id}", "path.import_id")
    return {"import": public(record)}


# --- ESP suppression ---------------------------------------------------------------------

_CATEGORY = {"bounces": "bounces", "spam_reports": "spam"}


@handler("app_api", "getSuppression")
async def get_suppression(ctx: RequestContext) -> dict[str, Any]:
    """Where an address is suppressed by the ESP."""
    email = ctx.path_params["email_address"].lower()
    store = st(ctx)
    for kind in ("bounces", "spam_reports"):
        found = doc_get(store, f"esp_{kind}", email)
        if found is not None:
            return {"category": _CATEGORY[kind], "suppressions": [public(found)]}
    return {"suppressions": []}


@handler("app_api", "getSuppressionByType")
async def get_suppression_by_type(ctx: RequestContext) -> dict[str, Any]:
    """Addresses suppressed for one reason, paged with limit/offset."""
    kind = ctx.path_params["suppression_type"]
    items = [public(d) for d in doc_list(st(ctx), f"esp_{kind}")]
    limit = max(1, min(int(ctx.query.get("limit") or 1000), 1000))
    offset = max(0, int(ctx.query.get("offset") or 0))
    return {"category": _CATEGORY.get(kind, "bounces"), "suppressions": items[offset : offset + limit]}


@handler("app_api", "postSuppression")
async def post_suppression(ctx: RequestContext) -> dict[str, Any]:
    """Suppress an address at the ESP."""
    kind = ctx.path_params["suppression_type"]
    email = ctx.path_params["email_address"].lower()
    doc_put(st(ctx), f"esp_{kind}", email, {"created": int(now(st(ctx))), "email": email,
                                           "reason": "added through the API", "status": "manual"})
    return {}


@handler("app_api", "deleteSuppression")
async def delete_suppression(ctx: RequestContext) -> None:
    """Remove an address from an ESP suppression list (idempotent)."""
    doc_delete(st(ctx), f"esp_{ctx.path_params['suppression_type']}", ctx.path_params["email_address"].lower())
    return None


# --- info and workspaces -----------------------------------------------------------------


@handler("app_api", "getCioAllowlist")
async def get_cio_allowlist(ctx: RequestContext) -> dict[str, Any]:
    """The addresses Customer.io sends webhooks from (documentation addresses in the emulator)."""
    return {"ip_addresses": list(_IP_ADDRESSES)}


@handler("app_api", "listWorkspaces")
async def list_workspaces(ctx: RequestContext) -> dict[str, Any]:
    """The account's workspaces; the emulated one counts its people, objects and messages live."""
    store = st(ctx)
    sent = sent_count(store)
    people_n = count_people(store)
    objects_n, types_n = objects.counts(store)
    configured = doc_list(store, "workspace")
    current = {"id": 1, "name": "Emulator"} if not configured else public(configured[0])
    current.update(messages_sent=sent, billable_messages_sent=sent, people=people_n, objects=objects_n,
                   object_types=max(types_n, len(doc_list(store, "object_type"))))
    return {"workspaces": [current, *[public(w) for w in configured[1:]]]}


# --- reporting webhooks ------------------------------------------------------------------


def _webhook_doc(webhook_id: int, data: dict[str, Any], signing_key: str | None) -> dict[str, Any]:
    doc = {
        "id": webhook_id,
        "name": str(data["name"]),
        "endpoint": str(data["endpoint"]),
        "events": list(data.get("events") or []),
        "disabled": bool(data.get("disabled", False)),
        "full_resolution": bool(data.get("full_resolution", False)),
        "with_content": bool(data.get("with_content", False)),
    }
    if signing_key is not None:
        doc[SIGNING_KEY] = signing_key  # private: never answered after the create
    return doc


def _webhook(ctx: RequestContext) -> dict[str, Any]:
    return require_doc(st(ctx), "webhook", int_param(ctx, "webhook_id"), "reporting webhook", "path.webhook_id")


def _check_endpoint(data: dict[str, Any]) -> None:
    endpoint = str(data.get("endpoint") or "")
    if not endpoint.startswith(("http://", "https://")):
        raise EmulatorHTTPError(400, "must be an http:// or https:// URL", field="body.endpoint")


@handler("app_api", "listWebhooks")
async def list_webhooks(ctx: RequestContext) -> dict[str, Any]:
    """Every reporting webhook."""
    return {"reporting_webhooks": [public(w) for w in doc_list(st(ctx), "webhook")]}


@handler("app_api", "createWebhook")
async def create_webhook(ctx: RequestContext) -> dict[str, Any]:
    """Create a reporting webhook with its own signing key, answered this once as ``signing_key``."""
    data = body(ctx)
    _check_endpoint(data)
    store = st(ctx)
    # Customer.io shows a new webhook's key once, in its UI; the emulator's create answer stands in for that.
    doc = _webhook_doc(next_id(store, "webhook"), data, secrets.token_hex(32))
    doc_put(store, "webhook", doc["id"], doc)
    return {**public(doc), "signing_key": doc[SIGNING_KEY]}


@handler("app_api", "getWebhook")
async def get_webhook(ctx: RequestContext) -> dict[str, Any]:
    """One reporting webhook."""
    return public(_webhook(ctx))


@handler("app_api", "updateWebhook")
async def update_webhook(ctx: RequestContext) -> dict[str, Any]:
    """Replace a reporting webhook's configuration (its signing key stays)."""
    current = _webhook(ctx)
    data = body(ctx)
    _check_endpoint(data)
    doc = _webhook_doc(current["id"], {**current, **data}, current.get(SIGNING_KEY))
    doc_put(st(ctx), "webhook", doc["id"], doc)
    return public(doc)


@handler("app_api", "deleteWebhook")
async def delete_webhook(ctx: RequestContext) -> tuple[int, None]:
    """Delete a reporting webhook."""
    current = _webhook(ctx)
    doc_delete(st(ctx), "webhook", current["id"])
    return 200, None
