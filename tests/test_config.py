"""Configuration: environment, .env, regions, explicit targets, missing keys, and no secret leaks."""

from __future__ import annotations

import logging

import pytest

from cio_toolkit import ConfigError, CustomerIO, PipelinesClient, Settings
from cio_toolkit._config import Secret
from cio_toolkit._transport import RequestSpec

SECRET = "sk-live-abcdefgh12345"


def test_from_env_reads_every_variable(tmp_path):
    env = {
        "CIO_REGION": "eu", "CIO_PIPELINES_API_KEY": SECRET, "CIO_SITE_ID": "site1", "CIO_TRACK_API_KEY": SECRET,
        "CIO_APP_API_KEY": SECRET, "CIO_WEBHOOK_SIGNING_KEY": SECRET,
    }
    s = Settings.from_env(env, env_file=None)
    assert s.region == "eu" and s.site_id == "site1"
    assert s.api_base_url("pipelines") == "https://cdp-eu.customer.io/v1"
    assert s.api_base_url("track") == "https://track-eu.customer.io"
    assert s.api_base_url("app") == "https://api-eu.customer.io"
    assert isinstance(s.app_api_key, Secret) and s.app_api_key.reveal() == SECRET


def test_us_hosts_and_single_base_url():
    s = Settings()
    assert s.api_base_url("pipelines") == "https://cdp.customer.io/v1"
    assert s.api_base_url("app") == "https://api.customer.io"
    e = Settings(base_url="http://127.0.0.1:9999/")
    assert e.api_base_url("pipelines") == "http://127.0.0.1:9999/v1"
    assert e.api_base_url("track") == "http://127.0.0.1:9999"


def test_dotenv_file_is_read_and_process_env_wins(tmp_path):
    f = tmp_path / ".env"
    f.write_text(f"CIO_APP_API_KEY={SECRET}\nCIO_SITE_ID=from-file\nCIO_REGION=eu\n")
    s = Settings.from_env({"CIO_SITE_ID": "from-env"}, env_file=f)
    assert s.app_api_key is not None and s.app_api_key.reveal() == SECRET
    assert s.site_id == "from-env" and s.region == "eu"


def test_bad_region_and_base_url_name_the_variable():
    with pytest.raises(ConfigError, match="CIO_REGION"):
        Settings(region="asia")
    with pytest.raises(ConfigError, match="CIO_BASE_URL"):
        Settings(base_url="localhost:1234")


def test_missing_key_fails_on_first_use_naming_the_variable():
    cio = CustomerIO(base_url="http://127.0.0.1:9")  # constructing is fine
    client = cio.pipelines
    with pytest.raises(ConfigError, match="CIO_PIPELINES_API_KEY"):
        client.identify(user_id="u1")
    with pytest.raises(ConfigError, match="CIO_SITE_ID and CIO_TRACK_API_KEY"):
        cio.track.request(RequestSpec("GET", "/api/v1/accounts/region", operation_id="getRegion"))


def test_target_is_explicit_in_repr_and_never_shows_keys():
    live = CustomerIO(region="eu", app_api_key=SECRET, pipelines_api_key=SECRET)
    assert "region eu" in repr(live) and SECRET not in repr(live)
    emu = CustomerIO(base_url="http://127.0.0.1:8080", app_api_key=SECRET)
    assert "127.0.0.1:8080" in repr(emu)
    for obj in (live.settings, live.pipelines, live.app, live.track, emu.settings, emu.settings.app_api_key):
        assert SECRET not in repr(obj) and SECRET not in str(obj)
    assert "app_api_key" in repr(live.settings)  # says which keys are set, not their values


def test_no_silent_fallback_to_the_emulator_or_production():
    # With nothing configured the target is the live US region, stated plainly, and nothing can be sent.
    s = Settings.from_env({}, env_file=None)
    assert s.base_url is None and "live" in s.target
    with pytest.raises(ConfigError):
        PipelinesClient(settings=s).identify(user_id="x")


def test_keys_absent_from_logs_of_a_failed_call(caplog):
    caplog.set_level(logging.DEBUG)
    from cio_toolkit import NetworkError, RetryPolicy

    client = PipelinesClient(SECRET, base_url="http://127.0.0.1:9", retry=RetryPolicy(max_retries=1, backoff_base=0.01))
    with pytest.raises(NetworkError) as ei:
        client.identify(user_id="u1", traits={"email": "a@example.com"})
    assert SECRET not in caplog.text and SECRET not in str(ei.value) and SECRET not in repr(ei.value)


@pytest.mark.parametrize("var", ["CIO_PIPELINES_API_KEY", "CIO_TRACK_API_KEY", "CIO_APP_API_KEY",
                                 "CIO_WEBHOOK_SIGNING_KEY", "CIO_SITE_ID"])
@pytest.mark.parametrize("value", [" ", "\t", "key with space", "key\n"])
def test_blank_or_whitespace_keys_are_refused_at_configuration_naming_the_variable(var, value):
    with pytest.raises(ConfigError, match=var):
        Settings.from_env({var: value}, env_file=None)


def test_error_messages_are_redacted_by_value_not_by_the_words_around_them():
    from cio_toolkit import AuthenticationError
    from tests._servers import Action, ScriptedServer

    message = ("headers.authorization: missing or invalid credentials; the Data Pipelines API takes "
               "Basic auth with the API key as user name. api_key: " + SECRET)
    with ScriptedServer(Action(status=401, body={"errors": [{"message": message}]})) as server:
        client = PipelinesClient(SECRET, base_url=server.url)
        with pytest.raises(AuthenticationError) as ei:
            client.identify(user_id="u1")
        token = server.seen[0].headers["Authorization"].split(" ", 1)[1]
    text = str(ei.value) + (ei.value.body or "")
    assert SECRET not in text
    assert "missing or invalid credentials" in text and "Basic auth with the API key as user name" in text
    assert "api_key: ***" in text

    # The Basic token built from a key is a secret too, wherever a server echoes it.
    settings = Settings(pipelines_api_key=SECRET)
    assert token in settings.secrets()


def test_ca_bundle_must_be_a_file_and_is_read_from_the_environment(tmp_path):
    with pytest.raises(ConfigError, match="CIO_CA_BUNDLE"):
        Settings(ca_bundle=str(tmp_path / "missing.pem"))
    pem = tmp_path / "ca.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    assert Settings.from_env({"CIO_CA_BUNDLE": str(pem)}, env_file=None).ca_bundle == str(pem)
