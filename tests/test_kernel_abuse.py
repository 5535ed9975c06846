"""A kernel that cannot be wedged (issue 16): each abuse case, run through a real client
(jupyter_client), then a plain `1 + 1` cell that must answer."""
import os
import re
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from conftest import JAR, LaunchedKernel, TIMEOUT


def cell(kc, code, timeout=TIMEOUT):
    """Runs a cell; returns (reply content, the cell's iopub messages except status/execute_input)."""
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
    return reply["content"], [m for m in outputs if m["msg_type"] not in ("status", "execute_input")]


def value(kc, code):
    reply, outputs = cell(kc, code)
    assert reply["status"] == "ok", (code, reply)
    [data] = [m["content"]["data"] for m in outputs if m["msg_type"] == "execute_result"]
    return data["text/plain"]


def still_answers(kc):
    assert value(kc, "1 + 1") == "2"


def stream_text(outputs, name=None):
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and (name is None or m["content"]["name"] == name))


# ---- long string literals ----------------------------------------------------------------------

def test_a_string_literal_over_64k_works_and_the_session_stays_usable(kernel):
    reply, _ = cell(kernel.kc, 'String big = "' + "x" * 70_000 + '";')
    assert reply["status"] == "ok", reply
    assert value(kernel.kc, "big.length()") == "70000"
    # three bytes a character in the class file: 90,000 bytes; escapes kept as written
    assert value(kernel.kc, 'String euros = "' + "\u20ac\\n" * 30_000 + '"; euros.length()') == "60000"
    assert value(kernel.kc, 'euros.substring(0, 2).equals("\u20ac\\n")') == "true"
    assert value(kernel.kc, "int after = 3; after") == "3"
    still_answers(kernel.kc)


def test_a_long_text_block_works(kernel):
    lines = "\n".join("    line %d \\t\u00e9" % i for i in range(4_000))
    assert value(kernel.kc, 'String block = """\n' + lines + '\n    """;\nblock.lines().count()') == "4000"
    assert value(kernel.kc, 'block.startsWith("line 0 \\t\u00e9\\nline 1")') == "true"
    still_answers(kernel.kc)


def test_a_folded_constant_over_64k_is_a_clear_error_and_the_session_stays_usable(kernel):
    # two literals each short enough to stay literals, folded by javac into one constant too long
    half = "\u20ac" * 15_000
    reply, outputs = cell(kernel.kc, f'String folded = "{half}" + "{half}";')
    assert reply["status"] == "error" and reply["ename"] == "CompileError"
    assert "65,535 bytes" in reply["evalue"], reply["evalue"]
    assert value(kernel.kc, "int later = 4; later") == "4"
    still_answers(kernel.kc)


# ---- interrupt -----------------------------------------------------------------------------------

BUSY = ("long spins = 0;\n"
        "while (true) { spins++; if (spins % 50_000_000L == 0) System.out.println(\"still spinning\"); }")
CELL_THREADS_RUNNING = ('Thread.getAllStackTraces().keySet().stream()'
                        '.filter(t -> t.getName().startsWith("cell-") && t != Thread.currentThread()).count()')


def test_an_interrupted_busy_loop_really_stops(kernel):
    kc = kernel.kc
    msg_id = kc.execute(BUSY)
    time.sleep(1.0)
    start = time.monotonic()
    kernel.km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=20)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert reply["content"]["ename"] == "Interrupted", reply["content"]
    assert time.monotonic() - start < 5
    reply, outputs = cell(kc, "Thread.sleep(2000); 1 + 1")
    assert reply["status"] == "ok"
    assert "still spinning" not in stream_text(outputs), "the interrupted loop prints into a later cell"
    assert value(kc, CELL_THREADS_RUNNING) == "0", "the interrupted cell's thread is still alive"
    assert value(kc, "long before = spins; Thread.sleep(300); spins == before") == "true"
    still_answers(kc)


# ---- output flood --------------------------------------------------------------------------------

def test_a_50_mb_print_is_capped_batched_and_the_kernel_goes_idle(kernel):
    kc = kernel.kc
    start = time.monotonic()
    # execute_interactive returns only once the kernel reports idle for this request
    reply, outputs = cell(kc, 'for (int i = 0; i < 5_000_000; i++) System.out.println("0123456789");', timeout=120)
    elapsed = time.monotonic() - start
    assert reply["status"] == "ok"
    out = stream_text(outputs, "stdout")
    assert len(out.encode()) == 5 * 1024 * 1024, len(out)
    assert out.startswith("0123456789\n0123456789\n")
    notice = stream_text(outputs, "stderr")
    # 55,000,000 bytes printed, 5 MiB shown: 49.8 MiB dropped
    assert re.search(r"output truncated: 47\.5 MB more of stdout/stderr were not shown; a cell shows at most 5\.0 MB",
                     notice), notice
    streams = [m for m in outputs if m["msg_type"] == "stream"]
    assert len(streams) < 200, f"{len(streams)} stream messages: output is not batched"
    assert elapsed < 60
    # the limit is per cell: the next one shows its output in full
    reply, outputs = cell(kc, 'System.out.print("a".repeat(100_000));')
    assert stream_text(outputs, "stdout") == "a" * 100_000 and stream_text(outputs, "stderr") == ""
    still_answers(kc)


def test_output_keeps_its_order_across_streams_and_displays(kernel):
    reply, outputs = cell(kernel.kc, 'System.out.println("one"); System.err.println("two"); '
                                     'display(html("<b>three</b>")); System.out.println("four");')
    kinds = [(m["msg_type"], m["content"].get("name"), m["content"].get("text", "").strip()) for m in outputs]
    assert kinds == [("stream", "stdout", "one"), ("stream", "stderr", "two"), ("display_data", None, ""),
                     ("stream", "stdout", "four")], kinds


# ---- the exit guard ------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["System.setSecurityManager(null); System.exit(0)",
                                  "System.setSecurityManager(new SecurityManager()); System.exit(0)"])
def test_the_exit_guard_cannot_be_removed(kernel, code):
    reply, _ = cell(kernel.kc, code)
    assert reply["status"] == "error" and reply["ename"] == "SecurityException", reply
    assert "System.setSecurityManager was refused" in reply["evalue"]
    assert value(kernel.kc, "System.getSecurityManager().getClass().getSimpleName()") == "ExitGuard"
    still_answers(kernel.kc)


# ---- memory after an OutOfMemoryError -------------------------------------------------------------

def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def with_jvm_flags(spec, *flags):
    """The kernelspec's command line with extra JVM flags before the main class."""
    argv = list(spec.argv)
    at = argv.index("-cp")
    return types.SimpleNamespace(argv=argv[:at] + list(flags) + argv[at:], resource_dir=spec.resource_dir)


def test_memory_is_given_back_after_an_out_of_memory_error(kernel_spec, tmp_path):
    # a 1 GB heap instead of the machine's default (a quarter of its memory) keeps the test light
    k = LaunchedKernel(with_jvm_flags(kernel_spec, "-Xmx1g"), tmp_path)
    kc = k.client()
    try:
        committed = 'java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20'
        reply, _ = cell(kc, "{ List<long[]> hog = new ArrayList<>(); while (true) hog.add(new long[1 << 20]); }",
                        timeout=120)
        assert reply["status"] == "error" and reply["ename"] == "OutOfMemoryError", reply
        still_answers(kc)
        heap = int(value(kc, committed))
        rss = rss_mb(k.process.pid)
        assert heap < 256, f"{heap} MB of heap still committed after the OutOfMemoryError"
        assert rss < 450, f"the kernel keeps {rss:.0f} MB resident after the OutOfMemoryError (its heap grew to 1 GB)"
    finally:
        kc.stop_channels()
        k.stop()


# ---- lifecycle: parent process, start-up warnings -------------------------------------------------

def test_exits_when_its_parent_dies_without_jpy_parent_pid(kernel_spec, tmp_path, wait_until):
    from jupyter_client.connect import write_connection_file
    connection_file, info = write_connection_file(str(tmp_path / "kernel.json"), ip="127.0.0.1")
    argv = [a.replace("{connection_file}", connection_file).replace("{resource_dir}", kernel_spec.resource_dir)
            for a in kernel_spec.argv]
    env = {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"}
    # the kernel's parent is this small Python process, which the test then kills
    parent = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time\n"
                               "p = subprocess.Popen(sys.argv[1:])\nprint(p.pid, flush=True)\ntime.sleep(600)", *argv],
                              env=env, stdout=subprocess.PIPE, text=True)
    kernel_pid = int(parent.stdout.readline())
    try:
        from jupyter_client.blocking import BlockingKernelClient
        kc = BlockingKernelClient()
        kc.load_connection_info(info)
        kc.start_channels(hb=False)
        kc.wait_for_ready(timeout=TIMEOUT)
        still_answers(kc)
        kc.stop_channels()
        parent.send_signal(signal.SIGKILL)
        parent.wait()

        def gone():
            try:
                os.kill(kernel_pid, 0)
            except ProcessLookupError:
                return True
            # a zombie of the killed parent's child counts as gone once init reaps it
            return Path(f"/proc/{kernel_pid}/stat").read_text().split()[2] == "Z"
        assert wait_until(gone, 20), "the kernel outlived its parent"
    finally:
        parent.kill()
        try:
            os.kill(kernel_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_started_as_java_jar_kernel_it_prints_no_warning(tmp_path, kernel_spec):
    spec = types.SimpleNamespace(argv=["java", "-jar", str(JAR), "kernel", "{connection_file}"],
                                 resource_dir=kernel_spec.resource_dir)
    k = LaunchedKernel(spec, tmp_path)
    kc = k.client()
    try:
        still_answers(kc)
        kc.shutdown()
        k.process.wait(20)
    finally:
        kc.stop_channels()
        k.stop()
    assert k.process.returncode == 0
    assert k.stderr() == "", k.stderr()
