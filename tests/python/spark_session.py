"""The shared local Spark session of the custometrics.spark tests (tests/python/test_spark_*.py).

Use it with ``from spark_session import spark  # noqa: F401`` and a ``spark`` argument. The
session is local[2] (two executor threads, so a DataFrame of several partitions is processed in
parallel as on a cluster), with 4 shuffle partitions, the UI off and Arrow on; it is made once
per test run. Tests skip cleanly when pyspark or pyarrow is not installed or Java is missing
(CI installs all three: scripts/deps.sh). The executors run this interpreter
(PYSPARK_PYTHON), so they import the custometrics under test.
"""

import os
import shutil
import sys

import pytest


def _java_missing() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return False
    return shutil.which("java") is None


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    if _java_missing():
        pytest.skip("Java is not installed (pyspark needs it; scripts/deps.sh installs it)")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("custometrics-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
