"""One SparkSession for the Spark tests (it takes seconds to start), shared by every module here.

The executors inherit the CIO_* variables of an emulator of their own, set before the JVM starts
(a later session of the same process would keep them) and restored after.
"""

from __future__ import annotations

import os
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


@pytest.fixture(scope="package")
def emu() -> Iterator[Emulator]:
    with Emulator(log_bodies=True, seed="demo") as emulator:
        yield emulator


@pytest.fixture(scope="package")
def spark(emu: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not _spark_ready():
        pytest.skip("Spark needs pyspark and a Java runtime (java on PATH)")
    from pyspark.sql import SparkSession

    from cio_toolkit import spark as cio_spark

    env = {**emu.env(), "PYSPARK_PYTHON": sys.executable}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # before the JVM starts: local executors inherit it
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
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def cio(emu: Emulator) -> Iterator[CustomerIO]:
    with CustomerIO(**emu.settings()) as client:
        yield client
