"""``local_spark(cio)``: a local SparkSession whose executors send to the notebook's target.

Executors read their credentials only from ``CIO_*`` variables (never from options), and local
executors, like the Python workers they start, inherit the JVM's environment: so the target's
settings are put in the environment only while the JVM starts, then the notebook's environment
is restored. The JVM's console output (log4j warnings, a failed task's Java stack trace) goes to
a log file rather than into the notebook; a failed job still raises in the notebook.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._config import ENV_VARS, Secret
from .._exceptions import ConfigError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from .._client import CustomerIO
    from .._config import Settings

__all__ = ["local_spark"]

# What the running session's executors were started with (a JVM keeps the environment it started with).
_started: dict[str, Any] = {}


def _env(settings: Settings) -> dict[str, str]:
    out = {}
    for name, var in ENV_VARS.items():
        value = getattr(settings, name)
        if value:
            out[var] = value.reveal() if isinstance(value, Secret) else str(value)
    return out


def local_spark(cio: CustomerIO, *, cores: int = 2, memory: str = "768m", log: str | Path | None = None) -> SparkSession:
    """Start (or return) a ``local[cores]`` SparkSession whose executors send to ``cio``'s target, with the
    "customerio" data source registered; print one line naming it and where Spark's own log goes."""
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.java_gateway import launch_gateway
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError('Spark needs pyspark 4 and Java 17: pip install "cio_toolkit[spark]"') from None

    from .. import spark as cio_spark

    target = cio.settings.target
    if SparkContext._active_spark_context is not None:  # a re-run of the cell
        if _started.get("target") != target:
            raise ConfigError(
                "a SparkSession is already running in this process, and its executors keep the CIO_* environment "
                f"they started with ({_started.get('target', 'not started by local_spark')}); restart the kernel "
                f"to send to {target}")
        session = SparkSession.builder.getOrCreate()
        cio_spark.register(session)
        return session
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise ConfigError("Spark needs a Java runtime (17 or later): java is not on PATH and JAVA_HOME is not set")
    # pyspark warns on every pandas conversion when pandas is 3.x; the toolkit's Spark tests run on it.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    log_path = Path(log) if log is not None else Path(tempfile.mkdtemp(prefix="cio-spark-")) / "spark.log"
    conf = (SparkConf().setMaster(f"local[{cores}]").setAppName("cio_toolkit")
            .set("spark.driver.memory", memory).set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false").set("spark.sql.shuffle.partitions", str(cores))
            .set("spark.sql.session.timeZone", "UTC").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
            .set("spark.sql.warehouse.dir", str(log_path.parent / "warehouse")))
    # Only the target's settings reach the JVM: no CIO_* variable of the notebook's own environment.
    launch = {**_env(cio.settings), "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    saved = {k: v for k, v in os.environ.items() if k.startswith("CIO_") or k in launch}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as out:
        for name in saved:
            del os.environ[name]
        os.environ.update(launch)
        try:
            gateway = launch_gateway(conf, popen_kwargs={"stdout": out, "stderr": out})
            context = SparkContext(conf=conf, gateway=gateway)
        finally:
            for name in launch:
                os.environ.pop(name, None)
            os.environ.update(saved)
    context.setLogLevel("ERROR")
    session = SparkSession(context)
    cio_spark.register(session)
    _started["target"] = target
    print(f"Spark {session.version} local[{cores}], its executors sending to {target}; Spark's log: {log_path}")
    return session
