"""Shared set-up for the real-client Jupyter tests.

The tests talk to the installed kernelspec (name: $GPUPOOR_KERNEL, default "gpupoor"), as Jupyter
would. test.sh installs it into a temporary JUPYTER_DATA_DIR first. The tests always test the jar
under test, target/gpupoor.jar: a kernelspec of that name is used only when it holds a copy of that
very jar; otherwise (none, or a stale one from an earlier build) the jar is installed here into a
temporary data dir.
Run with Debian's Python: /usr/bin/python3 -m pytest tests
"""
import os
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "target" / "gpupoor.jar"
KERNEL_NAME = os.environ.get("GPUPOOR_KERNEL", "gpupoor")
FIXTURES = ROOT / "tests" / "fixtures"
TIMEOUT = 60


def pytest_addoption(parser):
    parser.addoption("--notebook", action="append", default=[],
                     help="notebook(s) for the browser smoke test (default: tests/fixtures/kernel-smoke.ipynb)")


def pytest_configure(config):
    os.environ["PATH"] = "/usr/bin:" + os.environ.get("PATH", "")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    if not JAR.is_file():
        raise pytest.UsageError(f"no {JAR}: build first (mvn package) or run test.sh")
    try:
        installed = Path(KernelSpecManager().get_kernel_spec(KERNEL_NAME).resource_dir) / "gpupoor.jar"
        if installed.is_file() and _same_file(installed, JAR):
            return
    except NoSuchKernel:
        pass
    data = Path(tempfile.mkdtemp(prefix="gpupoor-jupyter-"))
    os.environ["JUPYTER_DATA_DIR"] = str(data / "data")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(data / "runtime")
    subprocess.run(["java", "-jar", str(JAR), "install", "--user", "--name", KERNEL_NAME],
                   check=True, stdout=subprocess.DEVNULL)


def _same_file(a, b):
    """Whether two files have the same bytes."""
    import hashlib
    def digest(p):
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.digest()
    return a.stat().st_size == b.stat().st_size and digest(a) == digest(b)


def pytest_generate_tests(metafunc):
    if "notebook_path" in metafunc.fixturenames:
        given = metafunc.config.getoption("--notebook") or [str(FIXTURES / "kernel-smoke.ipynb")]
        metafunc.parametrize("notebook_path", [Path(p).resolve() for p in given], ids=[Path(p).stem for p in given])


@pytest.fixture(scope="session")
def kernel_name():
    return KERNEL_NAME


@pytest.fixture(scope="session")
def kernel_spec():
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL_NAME)


@pytest.fixture(scope="module")
def kernel():
    """A running kernel (started as Jupyter starts it) and a blocking client, shared by a module."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=TIMEOUT)
    yield Session(km, kc)
    kc.stop_channels()
    km.shutdown_kernel(now=True)


class Session:
    """A kernel manager and client with helpers that collect a cell's messages."""

    def __init__(self, km, kc):
        self.km = km
        self.kc = kc

    def execute(self, code, timeout=TIMEOUT, **kwargs):
        """Runs a cell; returns (reply content, list of iopub messages of the cell except status)."""
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append, **kwargs)
        return reply["content"], [m for m in outputs if m["msg_type"] not in ("status", "execute_input")]

    def ok(self, code, timeout=TIMEOUT):
        """Runs a cell that must succeed; returns its iopub messages."""
        reply, outputs = self.execute(code, timeout=timeout)
        assert reply["status"] == "ok", (code, reply, outputs)
        return outputs

    def value(self, code):
        """Runs a cell that must end with an expression; returns its execute_result data bundle."""
        results = [m["content"]["data"] for m in self.ok(code) if m["msg_type"] == "execute_result"]
        assert len(results) == 1, (code, results)
        return results[0]

    def error(self, code):
        """Runs a cell that must fail; returns the error content (ename, evalue, traceback)."""
        reply, outputs = self.execute(code)
        assert reply["status"] == "error", (code, reply)
        errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
        assert len(errors) == 1, outputs
        assert errors[0]["ename"] == reply["ename"]
        return errors[0]

    def request(self, send, timeout=TIMEOUT):
        """Sends a shell request with `send(kc)` and returns the matching reply's content."""
        msg_id = send(self.kc)
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]


class LaunchedKernel:
    """A kernel process started from the kernelspec's argv by the test itself (stderr captured)."""

    def __init__(self, spec, tmp_path, extra_args=(), env=None):
        from jupyter_client.connect import write_connection_file
        self.connection_file, self.info = write_connection_file(str(tmp_path / "kernel.json"), ip="127.0.0.1",
                                                                key=uuid.uuid4().hex.encode())
        argv = [a.replace("{connection_file}", self.connection_file).replace("{resource_dir}", spec.resource_dir)
                for a in spec.argv]
        self.stderr_path = tmp_path / "kernel.stderr"
        self.stdout_path = tmp_path / "kernel.stdout"
        full_env = dict(os.environ)
        full_env.pop("JPY_PARENT_PID", None)
        full_env.update(env or {})
        self.process = subprocess.Popen(argv + list(extra_args), env=full_env,
                                        stdout=open(self.stdout_path, "wb"), stderr=open(self.stderr_path, "wb"))

    def client(self):
        from jupyter_client.blocking import BlockingKernelClient
        kc = BlockingKernelClient()
        kc.load_connection_info(self.info)
        # No heartbeat channel: a bare client takes a kernel whose heartbeat is not yet seen for dead.
        kc.start_channels(hb=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        return kc

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


@pytest.fixture
def launch(kernel_spec, tmp_path):
    """Starts kernel processes from the kernelspec with captured output; kills them afterwards."""
    started = []

    def start(extra_args=(), env=None):
        directory = tmp_path / f"kernel{len(started)}"
        directory.mkdir()
        k = LaunchedKernel(kernel_spec, directory, extra_args, env)
        started.append(k)
        return k

    yield start
    for k in started:
        k.stop()


@pytest.fixture(scope="session")
def wait_until():
    """wait_until(predicate, timeout): polls until predicate() is true or time runs out; returns its last value."""
    def wait(predicate, timeout, step=0.05):
        deadline = time.monotonic() + timeout
        value = predicate()
        while not value and time.monotonic() < deadline:
            time.sleep(step)
            value = predicate()
        return value
    return wait
