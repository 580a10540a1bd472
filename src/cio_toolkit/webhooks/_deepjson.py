"""JSON of any nesting depth, for webhook bodies: orjson first, an iterative fallback past its limits.

orjson refuses to parse more than 1,024 levels of nesting and to write more than 254, yet both
are valid JSON and a signed delivery may carry them in ``data``. Refusing such a body would be
permanent (Customer.io retries it for days and holds later deliveries behind it), so when orjson
fails, the same text goes through a stack-based parser or writer with no depth limit. Strings
and numbers are still decoded and encoded by orjson, one token at a time, so the fallback accepts
exactly what orjson accepts apart from depth. Only the rare deep document pays for the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

from cio_toolkit._exceptions import ValidationError

__all__ = ["dumps_sorted", "loads"]

# Whitespace, then one token. Escapes inside strings are checked by orjson when the token is decoded.
_TOKEN = re.compile(
    rb'[ \t\n\r]*(?:(?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")|(?P<punct>[\[\]{},:])'
    rb"|(?P<scalar>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null))"
)
_WHITESPACE = b" \t\n\r"

# What the parser expects next.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _COMMA_OR_CLOSE = range(6)


def _invalid(reason: str) -> ValidationError:
    return ValidationError(f"webhook body is not valid JSON: {reason}", field="body")


def loads(body: bytes | bytearray | memoryview | str) -> Any:
    """Decode a JSON document of any depth; raise ``ValidationError`` (field ``body``) if it is not JSON."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    return _loads_iterative(body)


def _scalar(token: bytes, pos: int) -> Any:
    try:
        return orjson.loads(token)
    except orjson.JSONDecodeError as exc:
        raise _invalid(f"{exc.msg} in the token at byte {pos}") from None


def _loads_iterative(body: bytes | bytearray | memoryview | str) -> Any:
    body = body.encode() if isinstance(body, str) else bytes(body)
    match = _TOKEN.match
    stack: list[list[Any] | dict[str, Any]] = []
    keys: list[str] = []  # the pending key of each open object ("" for arrays)
    pos = 0
    expect = _VALUE
    while True:
        m = match(body, pos)
        if m is None:
            rest = body[pos:].lstrip(_WHITESPACE)
            what = "unexpected end" if not rest else f"unexpected {rest[:1]!r}"
            raise _invalid(f"{what} at byte {len(body) - len(rest)}")
        start, pos = m.start(m.lastindex or 0), m.end()
        kind = m.lastgroup
        token = m.group(kind or 0)
        value: Any
        if expect in (_KEY, _KEY_OR_CLOSE):
            if kind == "string":
                keys[-1] = _scalar(token, start)
                expect = _COLON
                continue
            if not (token == b"}" and expect == _KEY_OR_CLOSE):
                raise _invalid(f"expected an object key at byte {start}")
            value = stack.pop()
            keys.pop()
        elif expect == _COLON:
            if token != b":":
                raise _invalid(f"expected ':' at byte {start}")
            expect = _VALUE
            continue
        elif expect == _COMMA_OR_CLOSE:
            top = stack[-1]
            if token == b",":
                expect = _KEY if isinstance(top, dict) else _VALUE
                continue
            if token != (b"}" if isinstance(top, dict) else b"]"):
                raise _invalid(f"expected ',' or a closing bracket at byte {start}")
            value = stack.pop()
            keys.pop()
        elif kind != "punct":
            value = _scalar(token, start)
        elif token == b"[":
            stack.append([])
            keys.append("")
            expect = _VALUE_OR_CLOSE
            continue
        elif token == b"{":
            stack.append({})
            keys.append("")
            expect = _KEY_OR_CLOSE
            continue
        elif token == b"]" and expect == _VALUE_OR_CLOSE:
            value = stack.pop()
            keys.pop()
        else:
            raise _invalid(f"expected a value at byte {start}")
        # A value is complete: it is the document, or it goes into the enclosing container.
        if not stack:
            if body[pos:].strip(_WHITESPACE):
                raise _invalid(f"trailing characters at byte {pos}")
            return value
        top = stack[-1]
        if isinstance(top, list):
            top.append(value)
        else:
            top[keys[-1]] = value
        expect = _COMMA_OR_CLOSE


def dumps_sorted(value: Any) -> str:
    """JSON text of ``value`` with sorted keys, at any depth; what JSON cannot hold is written as text."""
    try:
        return orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return _dumps_iterative(value)


def _dump_scalar(value: Any) -> bytes:
    try:
        return orjson.dumps(value, default=str)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, or a str() that fails
        try:
            return str(value).encode() if isinstance(value, int) else orjson.dumps(str(value))
        except (ValueError, TypeError):  # e.g. more digits than int -> str allows
            return b"null"


def _dumps_iterative(value: Any) -> str:
    out: list[bytes] = []
    # Pending work, last first: bytes are written as they are, 1-tuples are values to encode.
    work: list[bytes | tuple[Any]] = [(value,)]
    while work:
        item = work.pop()
        if isinstance(item, bytes):
            out.append(item)
            continue
        current = item[0]
        if isinstance(current, Mapping):
            pairs = sorted(((str(k), v) for k, v in current.items()), key=lambda kv: kv[0])
            work.append(b"}")
            for i in range(len(pairs) - 1, -1, -1):
                work.append((pairs[i][1],))
                work.append(orjson.dumps(pairs[i][0]) + b":")
                if i:
                    work.append(b",")
            work.append(b"{")
        elif isinstance(current, list | tuple):
            work.append(b"]")
            for i in range(len(current) - 1, -1, -1):
                work.append((current[i],))
                if i:
                    work.append(b",")
            work.append(b"[")
        else:
            out.append(_dump_scalar(current))
    return b"".join(out).decode()
