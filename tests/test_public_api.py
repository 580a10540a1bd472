"""The public surface is curated, typed and documented; this locks it."""

from __future__ import annotations

import importlib.resources
import inspect

import cio_toolkit

EXPECTED = {
    "UNSET", "APIError", "AppClient", "AsyncAppClient", "AsyncCustomerIO", "AsyncPipelinesClient",
    "AsyncTrackClient", "AuthenticationError", "BadRequestError", "ConfigError", "ConflictError", "CustomerIO",
    "CustomerIOError", "NetworkError", "NotFoundError", "NotReadyError", "PayloadTooLargeError", "PermissionDeniedError",
    "PipelinesClient", "RateLimit", "RateLimitError", "RetryPolicy", "ServerError", "Settings",
    "TimeoutError", "TrackClient", "TransportError", "ValidationError", "WebhookSignatureError", "__version__",
    "wait_until", "wait_until_async",
}


def test_public_names_are_exactly_the_curated_set():
    assert set(cio_toolkit.__all__) == EXPECTED
    for name in cio_toolkit.__all__:
        assert hasattr(cio_toolkit, name), name


def test_every_public_class_and_its_public_methods_have_a_docstring():
    for name in cio_toolkit.__all__:
        obj = getattr(cio_toolkit, name)
        if not inspect.isclass(obj):
            continue
        assert (obj.__doc__ or "").strip(), name
        for attr, member in vars(obj).items():
            if attr.startswith("_") or not callable(member):
                continue
            assert (member.__doc__ or "").strip(), f"{name}.{attr}"


def test_package_is_typed_and_ships_the_specs():
    files = importlib.resources.files("cio_toolkit")
    assert files.joinpath("py.typed").is_file()
    from cio_toolkit.specs import SPEC_NAMES, load_spec

    for name in SPEC_NAMES:
        assert load_spec(name)["openapi"].startswith("3.")


def test_exception_tree_matches_its_drawing():
    from cio_toolkit import _exceptions as E

    assert issubclass(E.PayloadTooLargeError, E.ValidationError)
    assert issubclass(E.RateLimitError, E.APIError) and issubclass(E.TimeoutError, E.TransportError)
    for name in E.__all__:
        obj = getattr(E, name)
        if inspect.isclass(obj) and obj is not E.CustomerIOError:
            assert name in (E.__doc__ or ""), f"{name} missing from the drawing"
            assert issubclass(obj, E.CustomerIOError)
