"""Every notebook runs top to bottom, headless, against an emulator seeded with the demo workspace."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


_KEY_PREFIXES = ("demo-pipelines-", "demo-track-", "demo-app-", "demo-signing-")  # every emulator key starts so


_DEMO = "test_notebook_runs_clean"
_REHEARSAL = "test_every_notebooks_live_branch_passes_against_the_production_like_emulator"


@pytest.fixture(scope="module")
def notebook_runs(request, tmp_path_factory):
    """`make demo`'s run (every notebook against a demo-seeded emulator) and the live rehearsal, each two
    notebooks at a time (one emulator each), both at once: a notebook mostly waits, so four kernels
    share the two cores. Only the runs of the tests selected; each test gets its run's outcome or error."""
    from cio_toolkit.notebook._runner import rehearse_live, run_notebooks

    selected = {getattr(item, "originalname", item.name) for item in request.session.items
                if item.nodeid.startswith(request.node.nodeid + "::")}
    todo = {name: run for name, run in ((_DEMO, run_notebooks), (_REHEARSAL, rehearse_live)) if name in selected}

    def run(name):
        out = tmp_path_factory.mktemp("notebooks-live" if name == _REHEARSAL else "notebooks")
        return out, todo[name](NOTEBOOKS, out)

    with ThreadPoolExecutor(len(todo) or 1) as pool:
        futures = {name: pool.submit(run, name) for name in todo}
    return futures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean(path, notebook_runs):
    out, results = notebook_runs[_DEMO].result()
    runs = {r.name: r for r in results}
    run = runs[path.name]
    assert run.status == "ok", f"code cell {run.cell}: {run.error}"
    assert run.cells > 0
    html = (out / path.with_suffix(".html").name).read_text()
    assert "Target: emulator at http://127.0.0.1:" in html, path.name  # the job's emulator, not an embedded one
    assert "Traceback" not in html
    # Notebooks never print a key: no emulator key may appear in the executed output.
    assert not any(p in html for p in _KEY_PREFIXES), path.name


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), path.name
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), f"{path.name}: first code cell must be parameters"
        for c in code:
            assert not c.get("outputs"), f"{path.name} has outputs committed"


# --- the live rehearsal --------------------------------------------------------------------------

def test_every_notebooks_live_branch_passes_against_the_production_like_emulator(notebook_runs):
    """`cio notebooks run --rehearse-live`: target="live", allow_* True, public APIs only, deferred writes."""
    out, runs = notebook_runs[_REHEARSAL].result()
    assert [r.name for r in runs] == [p.name for p in NOTEBOOKS]
    failed = {r.name: f"code cell {r.cell}: {r.error}" for r in runs if r.status != "ok"}
    assert not failed, failed
    for path in NOTEBOOKS:
        html = (out / path.with_suffix(".html").name).read_text()
        assert "Target: live-rehearsal emulator at https://127.0.0.1:" in html, path.name
        assert "Traceback" not in html and not any(p in html for p in _KEY_PREFIXES), path.name


def _notebook(path: Path, *cells: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A test notebook"),
                nbformat.v4.new_code_cell('target = "emulator"\nallow_writes = False', metadata={"tags": ["parameters"]}),
                *[nbformat.v4.new_code_cell(c) for c in cells]]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


_CONNECT = "from cio_toolkit.notebook import admin, connect\ncio = connect(target)"


def test_the_rehearsal_fails_a_live_branch_that_needs_the_emulator_or_reads_without_waiting(tmp_path):
    from cio_toolkit.notebook._runner import rehearse_live

    write = 'assert allow_writes\ncio.pipelines.identify(user_id="nb-t1", traits={"plan": "pro"})'
    paths = [
        _notebook(tmp_path / "admin.ipynb", _CONNECT, "admin(cio).people()"),
        _notebook(tmp_path / "no_wait.ipynb", _CONNECT, write, 'cio.app.customers.attributes(customer_id="nb-t1")'),
        _notebook(tmp_path / "waits.ipynb", _CONNECT, write,
                  'c = cio.app.customers.wait_for(id="nb-t1", until=lambda c: c["attributes"].get("plan") == "pro", timeout=30)'),
    ]
    runs = {r.name: r for r in rehearse_live(paths, tmp_path / "out", visibility_delay="1-1.5")}
    assert (runs["admin.ipynb"].status, runs["admin.ipynb"].cell) == ("FAILED", 3)
    assert "ConfigError" in runs["admin.ipynb"].error and "no emulator to inspect" in runs["admin.ipynb"].error
    assert (runs["no_wait.ipynb"].status, runs["no_wait.ipynb"].cell) == ("FAILED", 4)
    assert "NotFoundError" in runs["no_wait.ipynb"].error
    assert runs["waits.ipynb"].status == "ok", runs["waits.ipynb"].error


def test_rehearsal_parameters_come_from_the_parameters_cell_and_the_notebook_metadata(tmp_path):
    import nbformat

    from cio_toolkit.notebook._runner import execute_notebook, live_parameters

    path = _notebook(tmp_path / "p.ipynb", "print(target, allow_writes, port, url)")
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source += "\nport = 0\nurl = None"
    nb.metadata["cio_toolkit"] = {"rehearsal": {"port": "{free_port}", "url": "http://127.0.0.1:{free_port}"}}
    nbformat.write(nb, path)
    params = live_parameters(path)
    assert params["target"] == "live" and params["allow_writes"] is True
    assert isinstance(params["port"], int) and params["url"] == f"http://127.0.0.1:{params['port']}"
    with pytest.raises(ValueError, match="no parameter nope"):
        execute_notebook(path, parameters={"nope": 1})


@pytest.fixture
def ca_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for var in [v for v in os.environ if v.startswith("CIO_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("CIO_PIPELINES_API_KEY", "pk-test-123456")
    ca = tmp_path / "ca.pem"
    ca.write_text("not used before a request\n")
    return ca


@pytest.mark.parametrize(("base_url", "marker", "with_ca"), [
    ("https://127.0.0.1:8443", None, True),                     # a plain base URL: refused as before
    ("https://127.0.0.1:8443", "https://127.0.0.1:9443", True),  # a stale marker naming another emulator
    ("http://127.0.0.1:8443", "http://127.0.0.1:8443", True),    # no TLS: not the production profile
    ("https://cdp.example.com", "https://cdp.example.com", True),  # not this machine
    ("https://127.0.0.1:8443", "https://127.0.0.1:8443", False),  # no CA of the emulator's
])
def test_connect_live_refuses_a_base_url_unless_it_is_the_rehearsal(ca_file, monkeypatch, base_url, marker, with_ca):
    from cio_toolkit import ConfigError
    from cio_toolkit.notebook import connect

    monkeypatch.setenv("CIO_BASE_URL", base_url)
    if marker:
        monkeypatch.setenv("CIO_LIVE_REHEARSAL", marker)
    if with_ca:
        monkeypatch.setenv("CIO_CA_BUNDLE", str(ca_file))
    with pytest.raises(ConfigError, match="CIO_BASE_URL is set"):
        connect("live")


def test_connect_live_in_the_rehearsal_names_it_and_admin_refuses(ca_file, monkeypatch, capsys):
    from cio_toolkit import ConfigError
    from cio_toolkit.notebook import admin, connect

    monkeypatch.setenv("CIO_BASE_URL", "https://127.0.0.1:8443")
    monkeypatch.setenv("CIO_LIVE_REHEARSAL", "https://127.0.0.1:8443/")
    monkeypatch.setenv("CIO_CA_BUNDLE", str(ca_file))
    with connect("live") as cio:
        assert cio.settings.base_url == "https://127.0.0.1:8443"
        assert capsys.readouterr().out == (
            "Target: live-rehearsal emulator at https://127.0.0.1:8443 (production profile, public APIs only)\n")
        with pytest.raises(ConfigError, match="no emulator to inspect"):
            admin(cio)


def test_the_rehearse_live_command_exits_1_with_a_table_naming_the_notebook_and_cell(tmp_path):
    from typer.testing import CliRunner

    from cio_toolkit.cli import app

    path = _notebook(tmp_path / "needs_admin.ipynb", _CONNECT, "admin(cio).counters()")
    result = CliRunner().invoke(app, ["notebooks", "run", "--rehearse-live", "--jobs", "1",
                                      "--out", str(tmp_path / "out"), str(path)])
    assert result.exit_code == 1, result.output
    assert "live branches against the production-like emulator" in result.output
    assert "needs_admin.ipynb (code cell 3): ConfigError" in " ".join(result.output.split())
    assert (tmp_path / "out" / "needs_admin.html").is_file()


# --- local_spark -------------------------------------------------------------------------------------


def test_local_spark_hands_the_executors_exactly_the_targets_settings(tmp_path):
    from cio_toolkit import Settings
    from cio_toolkit.notebook._spark import _env

    ca = tmp_path / "ca.pem"
    ca.write_text("not read here\n")
    settings = Settings(region="eu", pipelines_api_key="pk-test-123456", app_api_key="ak-test-654321",
                        base_url="https://127.0.0.1:8443", ca_bundle=str(ca))
    env = _env(settings)
    assert set(env) == {"CIO_REGION", "CIO_PIPELINES_API_KEY", "CIO_APP_API_KEY", "CIO_BASE_URL", "CIO_CA_BUNDLE"}
    assert Settings.from_env(env, env_file=None) == settings  # what an executor's from_env reads back


def test_local_spark_refuses_a_running_session_started_for_another_target(monkeypatch, capsys):
    pyspark = pytest.importorskip("pyspark")
    from cio_toolkit import ConfigError, CustomerIO
    from cio_toolkit.notebook import _spark

    monkeypatch.setattr(pyspark.SparkContext, "_active_spark_context", object())
    monkeypatch.setattr(_spark, "_started", {"target": "http://127.0.0.1:1 (custom base URL)"})
    with CustomerIO(base_url="http://127.0.0.1:2", pipelines_api_key="pk-test-123456") as cio, \
            pytest.raises(ConfigError, match=r"restart the kernel to send to http://127\.0\.0\.1:2"):
        _spark.local_spark(cio)


def test_local_spark_without_java_says_so_before_starting_anything(monkeypatch):
    pyspark = pytest.importorskip("pyspark")
    from cio_toolkit import ConfigError, CustomerIO
    from cio_toolkit.notebook import _spark

    monkeypatch.setattr(pyspark.SparkContext, "_active_spark_context", None)  # the Spark tests' session may run
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(_spark, "_started", {})
    with CustomerIO(base_url="http://127.0.0.1:2", pipelines_api_key="pk-test-123456") as cio, \
            pytest.raises(ConfigError, match="needs a Java runtime"):
        _spark.local_spark(cio)
