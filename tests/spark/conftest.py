"""One SparkSession for the Spark tests (it takes seconds to start), shared by every module here.

Both it and its emulator live for the whole test session, not the package: with the test order
shuffled, other modules run between the Spark ones, and a second SparkSession in the same process
would keep the first JVM, whose executors still point at the first (stopped) emulator. The
executors inherit the emulator's CIO_* variables from the JVM's environment, so they are set only
while the JVM starts and restored at once: no other test sees them.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator


def _spark_ready() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


@pytest.fixture(scope="session")
def emu() -> Iterator[Emulator]:
    with Emulator(log_bodies=True, seed="demo") as emulator:
        yield emulator


@pytest.fixture(scope="session")
def spark(emu: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not _spark_ready():
        pytest.skip("Spark needs pyspark and a Java runtime (java on PATH)")
    from pyspark.sql import SparkSession

    from cio_toolkit import spark as cio_spark

    with pytest.MonkeyPatch.context() as env:  # only while the JVM starts: local executors inherit it
        for name, value in {**emu.env(), "PYSPARK_PYTHON": sys.executable}.items():
            env.setenv(name, value)
        session = (SparkSession.builder.master("local[2,3]").appName("cio-spark-tests")
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "2").config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
                   .config("spark.driver.memory", "768m")
                   .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
                   .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    cio_spark.register(session)
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client
