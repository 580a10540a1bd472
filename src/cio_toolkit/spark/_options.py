"""The options of the "customerio" data source: parsed, checked, and never a credential.

Spark shows a data source's options in query plans, the Spark UI and logs, so an option whose
name looks like a credential is refused (credentials come from the ``CIO_*`` variables on the
executors). Unknown options are refused too, naming the known ones: a typo in a column role
would otherwise send the column as a trait.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import _constants as C
from .._exceptions import ValidationError
from .._ratelimit import RateLimit
from ..bulk import ColumnOptions

__all__ = ["LoadOptions", "ReadOptions", "WriteOptions", "refuse_secrets", "task_rate"]


class LoadOptions(ColumnOptions, total=False):
    """bulk.load's column roles (a source column each) and payload options, by the same names."""

    user_id: str | None
    anonymous_id: str | None
    email: str | None
    event: str | None
    event_name: str | None
    name: str | None
    group_id: str | None
    previous_id: str | None
    timestamp: str | None


# The roles (one column each); ``key`` may name several, comma-separated.
ROLES = tuple(k for k in LoadOptions.__annotations__ if k not in ColumnOptions.__annotations__)
LISTS = ("key", "fields", "exclude", "json_columns")
WRITE_OPTIONS = (*ROLES, *LISTS, "kind", "api", "nulls", "job", "checkpoint", "requests_per_second", "concurrency",
                 "resume", "tasks")
READ_OPTIONS = ("list", "export", "filters", "poll_interval", "timeout")
# The App API's audience filter: an object with exactly one of these (and/or/not nest filters).
FILTER_KEYS = ("and", "or", "not", "segment", "attribute")
_SECRET = re.compile(r"(api_?key|secret|token|password|passwd|site_?id|auth|credential|bearer|write_?key)", re.I)
_JOB = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def refuse_secrets(options: Mapping[str, str], known: tuple[str, ...]) -> None:
    """Refuse options that look like credentials (the value is never echoed) and unknown ones."""
    for name in options:
        low = name.lower()
        if low != "key" and (_SECRET.search(low) or low.endswith("_key")):
            raise ValidationError(
                f"option {name!r}: credentials are never taken from options (they show in query plans, the "
                "Spark UI and logs); set the CIO_* variables in the executors' environment instead "
                "(spark.executorEnv.CIO_... or the platform's secrets)", field=name)
    unknown = sorted(n for n in options if n.lower() not in known and not n.lower().startswith("_"))
    if unknown:
        raise ValidationError(f"option {unknown[0]!r}: unknown; known options: {', '.join(known)}",
                              field=unknown[0], limit=list(known))


def refuse_path(options: Mapping[str, str], instead: str) -> None:
    """Refuse a path (``.save(path)``, ``.load(path)``): the data source has none, and ignoring one misleads."""
    if options.get("path"):
        raise ValidationError(f"path: the customerio data source takes no path; call it without one ({instead})",
                              field="path", limit="no path")


def _flag(options: Mapping[str, str], name: str) -> bool:
    value = str(options.get(name, "false")).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ValidationError(f"{name}: must be true or false, got {value!r}", field=name, limit=("true", "false"))
    return value in ("true", "1", "yes")


def _number(options: Mapping[str, str], name: str, default: float | None, *, low: float, high: float,
            whole: bool = False) -> float | None:
    raw = options.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    what = "a whole number" if whole else "a number"
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError(f"{name}: must be {what}, got {raw!r}", field=name) from None
    if not math.isfinite(value) or not low <= value <= high or (whole and not value.is_integer()):
        raise ValidationError(f"{name}: must be {what} between {low:g} and {high:g}, got {value:g}", field=name,
                              limit=(low, high), actual=value)
    return value


def _filter_problem(node: Any, where: str) -> str | None:
    """What is wrong with an audience filter, and where (None when it is one the API's grammar allows)."""
    from typing import get_args

    from ..app.filters import Operator

    if not isinstance(node, dict) or len(node) != 1:
        got = sorted(node) if isinstance(node, dict) else type(node).__name__
        return f"{where}: must be an object with exactly one of {', '.join(FILTER_KEYS)}, got {got}"
    ((name, value),) = node.items()
    if name not in FILTER_KEYS:
        return f"{where}: {name!r} is not one of {', '.join(FILTER_KEYS)}"
    here = f"{where}.{name}"
    if name in ("and", "or"):
        if not isinstance(value, list) or not value:
            return f"{here}: must be a non-empty list of filters"
        return next((p for i, part in enumerate(value) if (p := _filter_problem(part, f"{here}[{i}]"))), None)
    if name == "not":
        return _filter_problem(value, here)
    if not isinstance(value, dict):
        return f"{here}: must be an object"
    if name == "segment":
        seg = value.get("id")
        if set(value) != {"id"} or not isinstance(seg, int) or isinstance(seg, bool):
            return f"{here}.id: must be a segment id (an integer) and nothing else, got {value!r}"
        return None
    operators = get_args(Operator)
    if unknown := sorted(set(value) - {"field", "operator", "value"}):
        return f"{here}: {unknown[0]!r} is not one of field, operator, value"
    if not isinstance(value.get("field"), str) or not value["field"]:
        return f"{here}.field: must name an attribute"
    if value.get("operator") not in operators:
        return f"{here}.operator: must be one of {', '.join(operators)}, got {value.get('operator')!r}"
    if value["operator"] == "eq" and not isinstance(value.get("value"), str | int | float):
        return f"{here}.value: an eq condition needs a string, number or boolean value"
    return None


def _export_fields(export: str | None, extra: Mapping[str, str]) -> dict[str, Any]:
    """A deliveries export's fields in the types the API documents (Spark hands over strings)."""
    import orjson

    from ..app._generated.operations import OPERATIONS

    if export != "deliveries":
        return dict(extra)  # the export call refuses them, naming each
    types = {p.arg: p.type for p in OPERATIONS["exportDeliveriesData"].params}
    out: dict[str, Any] = {}
    for name, raw in extra.items():
        text = str(raw).strip()
        kind = types.get(name)
        if kind == "integer":
            if not re.fullmatch(r"-?\d+", text):
                raise ValidationError(f"{name}: must be a whole number, got {raw!r}", field=name, limit="integer")
            out[name] = int(text)
        elif kind == "boolean":
            out[name] = _flag({name: text}, name)
        elif kind == "array":
            try:
                out[name] = orjson.loads(text) if text.startswith("[") else list(_names(text) or ())
            except orjson.JSONDecodeError:
                raise ValidationError(f"{name}: a comma-separated list or a JSON array, got {raw!r}",
                                      field=name) from None
        else:
            out[name] = raw
    return out


def _names(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    return tuple(p.strip() for p in str(raw).split(",") if p.strip())


@dataclass(frozen=True)
class WriteOptions:
    """A write's options, checked on the driver before any task starts."""

    kind: str
    api: str
    job: str
    checkpoint: str
    roles: dict[str, Any] = field(default_factory=dict)
    requests_per_second: float | None = None
    concurrency: int = 4
    resume: bool = False
    tasks: int | None = None

    @classmethod
    def parse(cls, options: Mapping[str, str]) -> WriteOptions:
        """Options as Spark hands them over (strings, names in any case)."""
        opts = {k.lower(): v for k, v in options.items()}
        refuse_path(opts, "acknowledgements and the run manifest go under .option('checkpoint', ...)")
        refuse_secrets(opts, WRITE_OPTIONS)
        for required in ("kind", "job", "checkpoint"):
            if not opts.get(required):
                raise ValidationError(f"{required}: the customerio data source needs .option({required!r}, ...)",
                                      field=required)
        job = str(opts["job"])
        if not _JOB.match(job):
            raise ValidationError(f"job: {job[:60]!r} must be 1-128 letters, digits, '.', '_' or '-' (it names a "
                                  "folder under checkpoint)", field="job", limit=r"[A-Za-z0-9._-]{1,128}")
        roles: dict[str, Any] = {r: opts[r] for r in ROLES if opts.get(r)}
        for name in LISTS:
            if (names := _names(opts.get(name))) is not None:
                roles[name] = names
        if opts.get("nulls"):
            roles["nulls"] = opts["nulls"]
        if not roles.get("key"):
            raise ValidationError(
                "key: a Spark load needs key= (the column or columns that identify a row): the messageId is derived "
                "from the row key and its content, and row positions are not stable across Spark tasks",
                field="key")
        rps = _number(opts, "requests_per_second", None, low=0.01, high=1_000_000)
        concurrency = _number(opts, "concurrency", 4, low=1, high=64, whole=True)
        tasks = _number(opts, "tasks", None, low=1, high=100_000, whole=True)
        return cls(kind=str(opts["kind"]), api=str(opts.get("api") or "pipelines"), job=job,
                   checkpoint=str(opts["checkpoint"]), roles=roles, requests_per_second=rps,
                   concurrency=int(concurrency or 4), resume=_flag(opts, "resume"),
                   tasks=int(tasks) if tasks is not None else None)


def task_rate(api: str, requests_per_second: float | None, tasks: int) -> RateLimit:
    """One task's share of the job's budget: the documented limit (or ``requests_per_second``) over ``tasks``.

    With ``tasks=1`` it is the job's whole budget, the rate the driver's coordinator grants at.
    """
    limit, period = C.PIPELINES_RATE if api == "pipelines" else C.TRACK_RATE
    per_second = (requests_per_second if requests_per_second is not None else limit / period) / max(1, tasks)
    if per_second >= 1:
        # Whole requests per second, rounded down: the tasks together never exceed the budget.
        return RateLimit(int(per_second), 1.0)
    return RateLimit(1, 1.0 / per_second)


@dataclass(frozen=True)
class ReadOptions:
    """A read's options: ``list`` (an App API list) or ``export`` (customers or deliveries)."""

    list: str | None
    export: str | None
    filters: dict[str, Any] | None
    fields: dict[str, Any]
    poll_interval: float
    timeout: float

    @classmethod
    def parse(cls, options: Mapping[str, str], lists: tuple[str, ...]) -> ReadOptions:
        """Options as Spark hands them over; export options other than these go to the export call."""
        import orjson

        opts = {k.lower(): v for k, v in options.items()}
        refuse_path(opts, "name what to read with .option('list', ...) or .option('export', ...)")
        extra = {k: v for k, v in opts.items() if k not in READ_OPTIONS}
        refuse_secrets(opts, (*READ_OPTIONS, *extra))  # extra names are the export's own fields
        which = [k for k in ("list", "export") if opts.get(k)]
        if len(which) != 1:
            raise ValidationError("list/export: give exactly one of .option('list', ...) or .option('export', ...)",
                                  field="list")
        name = opts.get("list")
        if name is not None and name not in lists:
            raise ValidationError(f"list: {name!r} is not one of {', '.join(lists)}", field="list", limit=lists)
        export = opts.get("export")
        if export is not None and export not in ("customers", "deliveries"):
            raise ValidationError(f"export: {export!r} is not customers or deliveries", field="export",
                                  limit=("customers", "deliveries"))
        if name is not None and extra:
            raise ValidationError(f"option {sorted(extra)[0]!r}: unknown for a list read", field=sorted(extra)[0])
        if name is not None and opts.get("filters"):
            raise ValidationError("filters: only an export takes filters (a list read returns every item)",
                                  field="filters", limit="export only")
        filters = None
        if opts.get("filters"):
            try:
                filters = orjson.loads(opts["filters"])
            except orjson.JSONDecodeError:
                raise ValidationError("filters: must be a JSON object (an App API export filter)",
                                      field="filters") from None
            if not isinstance(filters, dict):
                raise ValidationError("filters: must be a JSON object (an App API export filter)", field="filters")
            # The API's schema lets any object through, so a misspelt condition would export everyone.
            if problem := _filter_problem(filters, "filters"):
                raise ValidationError(problem, field="filters", limit=FILTER_KEYS)
        fields = _export_fields(export, extra)
        return cls(list=name, export=export, filters=filters, fields=fields,
                   poll_interval=_number(opts, "poll_interval", 1.0, low=0.01, high=600) or 1.0,
                   timeout=_number(opts, "timeout", 600.0, low=1, high=86_400) or 600.0)
