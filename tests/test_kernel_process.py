"""The kernel as a process: its command line and connection file, message signatures, its log,
restart, and exiting with its parent. Kernels here are started from the installed kernelspec's
argv with stdout/stderr captured (the `launch` fixture), or by jupyter_client for restart."""
import socket
import subprocess
import time
from queue import Empty

import pytest
from jupyter_client.session import Session

from conftest import JAR, KERNEL_NAME


def run_cell(kc, code, timeout=60):
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: None)
    return reply["content"]


def test_binds_where_the_connection_file_says_and_accepts_extra_arguments(launch):
    k = launch(extra_args=["notes.jsh", "--ignored-flag"])
    kc = k.client()
    try:
        assert run_cell(kc, "1 + 1")["status"] == "ok"
        for key in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
            with socket.create_connection((k.info["ip"], k.info[key]), timeout=5):
                pass
    finally:
        kc.stop_channels()


def test_log_stays_quiet_through_a_session(launch):
    k = launch()
    kc = k.client()
    try:
        run_cell(kc, 'Table.create("t")')
        run_cell(kc, "int x = \"bad\";")
        run_cell(kc, "System.exit(1)")
        kc.shutdown()
        k.process.wait(20)
    finally:
        kc.stop_channels()
    assert k.process.returncode == 0
    assert k.stderr() == ""
    assert k.stdout_path.read_text() == ""


@pytest.mark.parametrize("key", [b"not-the-key", b""], ids=["bad-signature", "no-signature"])
def test_messages_with_a_bad_or_missing_signature_are_dropped_and_logged(launch, key, wait_until):
    k = launch()
    kc = k.client()
    try:
        forger = Session(key=key, session=kc.session.session, username="mallory")
        forged = forger.msg("execute_request", {"code": 'System.out.println("forged")', "silent": False,
                                                "store_history": True, "user_expressions": {},
                                                "allow_stdin": False, "stop_on_error": True})
        forger.send(kc.shell_channel.socket, forged)
        with pytest.raises(Empty):
            while True:
                msg = kc.get_shell_msg(timeout=2)
                assert msg["parent_header"].get("msg_id") != forged["header"]["msg_id"]
        assert run_cell(kc, "40 + 2")["status"] == "ok"  # the kernel still serves signed messages
        assert wait_until(lambda: "dropped a message with a bad or missing signature" in k.stderr(), 5)
    finally:
        kc.stop_channels()


def test_exits_when_the_parent_jupyter_process_dies(launch, wait_until):
    parent = subprocess.Popen(["sleep", "600"])
    try:
        k = launch(env={"JPY_PARENT_PID": str(parent.pid)})
        kc = k.client()
        kc.stop_channels()
        assert k.process.poll() is None
        parent.kill()
        parent.wait()
        assert wait_until(lambda: k.process.poll() is not None, 15), "kernel still running after its parent died"
        assert k.process.returncode == 0
    finally:
        parent.kill()


@pytest.mark.parametrize("content, message", [
    (None, "connection file not found"),
    ("{not json", "not a Jupyter connection file"),
    ('{"ip": "127.0.0.1", "shell_port": 1}', "has no valid control_port"),
    ('{"ip": "127.0.0.1", "shell_port": 5, "control_port": 6, "stdin_port": 7, "hb_port": 8, "iopub_port": 9,'
     ' "transport": "ipc"}', "transport 'ipc' is not supported"),
], ids=["missing", "not-json", "no-port", "ipc"])
@pytest.mark.parametrize("launcher", [["-jar", str(JAR), "kernel"], ["-cp", str(JAR), "gpupoor.kernel.Kernel"]],
                         ids=["cli", "kernelspec-main"])
def test_bad_connection_file_is_a_clear_error(tmp_path, content, message, launcher):
    path = tmp_path / "conn.json"
    if content is not None:
        path.write_text(content)
    r = subprocess.run(["java", *launcher, str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and message in r.stderr
    assert "Exception" not in r.stderr and "\tat " not in r.stderr


def test_a_port_in_use_is_a_clear_error_not_a_hung_kernel(tmp_path):
    from jupyter_client.connect import write_connection_file
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        path, info = write_connection_file(str(tmp_path / "conn.json"), ip="127.0.0.1", shell_port=taken.getsockname()[1])
        r = subprocess.run(["java", "-cp", str(JAR), "gpupoor.kernel.Kernel", path], capture_output=True, text=True,
                           timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith("error: the kernel could not start: ") and "Address already in use" in r.stderr


def test_restart_gives_a_fresh_session():
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)
    try:
        assert run_cell(kc, "int kept = 5;")["status"] == "ok"
        old_pid = km.provisioner.process.pid if getattr(km, "provisioner", None) else None
        start = time.monotonic()
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        elapsed = time.monotonic() - start
        if old_pid is not None:
            assert km.provisioner.process.pid != old_pid
        reply = run_cell(kc, "kept")
        assert reply["status"] == "error" and reply["ename"] == "CompileError"
        assert run_cell(kc, "1 + 1")["status"] == "ok"
        assert elapsed < 15
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
