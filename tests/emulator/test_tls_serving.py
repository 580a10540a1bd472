"""The emulator over TLS: https URL, its own CA trusted by our clients through ca_bundle, plain http refused."""

from __future__ import annotations

import httpx2
import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator


def test_tls_emulator_serves_https_that_our_clients_trust_through_its_ca():
    with Emulator(tls=True, log=False) as emu:
        assert emu.url.startswith("https://") and emu.tls is not None
        env = emu.env()
        assert env["CIO_CA_BUNDLE"] == env["NODE_EXTRA_CA_CERTS"] == env["REQUESTS_CA_BUNDLE"] == str(emu.tls.ca_file)
        with CustomerIO(**emu.settings()) as cio:
            cio.pipelines.identify(user_id="tls-u1", traits={"email": "tls-u1@example.com"})
            assert cio.app.customers.attributes(customer_id="tls-u1")["id"] == "tls-u1"
        with pytest.raises(httpx2.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx2.get(emu.url + "/_emulator/health")  # the system trust store does not know its CA
        with pytest.raises(httpx2.HTTPError):
            httpx2.get(emu.url.replace("https://", "http://") + "/_emulator/health")


def test_cli_tls_prints_the_variables_that_trust_it(tmp_path):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "cio_toolkit.emulator", "--tls", "--tls-dir", str(tmp_path),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:  # the process prints its banner, then serves until it is stopped
            lines.append(line.strip())
            if line.startswith("export NODE_EXTRA_CA_CERTS="):
                break
    finally:
        proc.terminate()
        proc.wait(10)
    url = next(line.split()[-1] for line in lines if line.startswith("export CIO_BASE_URL="))
    assert url.startswith("CIO_BASE_URL=https://") or url.startswith("https://")
    assert f"export NODE_EXTRA_CA_CERTS={tmp_path / 'ca.pem'}" in lines and (tmp_path / "ca.pem").is_file()
    assert f"export CIO_CA_BUNDLE={tmp_path / 'ca.pem'}" in lines  # what this toolkit's clients read
