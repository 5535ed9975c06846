"""One progress bar for a long sweep: a widget where the front end renders widgets, else one line
of text replaced in place (display_data, then update_display_data with the same display id); an
interrupt stops the sweep at once and the bar says where it stopped."""
import time

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_NAME, TIMEOUT

SWEEP = ('sweep(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M))'
         '.context(2, {last}, 1).batches(1, 2).table().rowCount()')
SWEEP_THREADS = ('Thread.getAllStackTraces().keySet().stream().filter(t -> java.util.Arrays.stream(t.getStackTrace())'
                 '.anyMatch(f -> f.getClassName().equals("gpupoor.dsl.SweepPoints"))).count()')
VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def fresh():
    """A kernel of its own (a widget front end, once announced, stays for the session)."""
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=TIMEOUT)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def reply_to(kc, msg_id, timeout=TIMEOUT):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def cell_messages(kc, msg_id, until_idle=True, stop=None, timeout=120):
    """The cell's iopub messages up to its idle status (or until stop(message) is true)."""
    found = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle" and until_idle:
                return found
            continue
        found.append(msg)
        if stop and stop(msg):
            return found
    raise AssertionError("timed out")


def test_without_widgets_the_bar_is_one_line_updated_in_place_and_stops_on_interrupt(fresh):
    km, kc = fresh
    msg_id = kc.execute(SWEEP.format(last=1000001))
    msgs = cell_messages(kc, msg_id, until_idle=False, stop=lambda m: m["msg_type"] == "update_display_data")
    assert [m["msg_type"] for m in msgs] == ["execute_input", "display_data", "update_display_data"], msgs
    display_id = msgs[1]["content"]["transient"]["display_id"]
    first = msgs[1]["content"]["data"]["text/plain"]
    assert first.startswith("sweep ▕") and "of 2,000,000 points) in " in first and " left" in first, first
    assert msgs[1]["content"]["data"]["text/html"].startswith('<progress value="')
    started = time.monotonic()
    km.interrupt_kernel()
    msgs = cell_messages(kc, msg_id)
    assert time.monotonic() - started < 5
    updates = [m for m in msgs if m["msg_type"] == "update_display_data"]
    assert {m["content"]["transient"]["display_id"] for m in updates} == {display_id}
    assert not [m for m in msgs if m["msg_type"] in ("display_data", "stream")], "more than one line of progress"
    last = updates[-1]["content"]["data"]["text/plain"]
    assert " interrupted after " in last and "of 2,000,000 points" in last, last
    assert reply_to(kc, msg_id)["status"] == "error"
    # the sweep itself stopped: no thread is still estimating points
    check = kc.execute(SWEEP_THREADS)
    [result] = [m for m in cell_messages(kc, check) if m["msg_type"] == "execute_result"]
    assert result["content"]["data"]["text/plain"] == "0"


def test_without_widgets_a_finished_bar_shows_the_total_and_time(fresh):
    km, kc = fresh
    msg_id = kc.execute(SWEEP.format(last=300001))
    msgs = cell_messages(kc, msg_id)
    shown = [m for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
    assert shown and shown[0]["msg_type"] == "display_data"
    assert len({m["content"]["transient"]["display_id"] for m in shown}) == 1
    last = shown[-1]["content"]["data"]["text/plain"]
    assert last.startswith("sweep ▕" + "█" * 24 + "▏ 600,000 points in "), last
    [result] = [m for m in msgs if m["msg_type"] == "execute_result"]
    assert result["content"]["data"]["text/plain"] == "600000"


def test_with_a_widget_front_end_the_bar_is_a_progress_widget(fresh):
    km, kc = fresh
    # announce a widget front end as JupyterLab does when it connects
    announce = kc.session.msg("comm_open", {"comm_id": "control-1", "target_name": "jupyter.widget.control",
                                            "data": {}})
    kc.shell_channel.send(announce)
    cell_messages(kc, announce["header"]["msg_id"])
    msg_id = kc.execute(SWEEP.format(last=300001))
    msgs = cell_messages(kc, msg_id)
    opened = {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in msgs if m["msg_type"] == "comm_open"}
    [bar_id] = [k for k, s in opened.items() if s["_model_name"] == "FloatProgressModel"]
    assert opened[bar_id]["max"] == 600000 and opened[bar_id]["description"] == "sweep"
    views = [m for m in msgs if m["msg_type"] == "display_data"]
    assert len(views) == 1 and opened[views[0]["content"]["data"][VIEW]["model_id"]]["_model_name"] == "HBoxModel"
    bar_updates = [m["content"]["data"]["state"] for m in msgs
                   if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == bar_id]
    values = [u["value"] for u in bar_updates if "value" in u]
    assert values == sorted(values) and values[-1] == 600000
    assert bar_updates[-1] == {"bar_style": "success"}
    assert not [m for m in msgs if m["msg_type"] in ("stream", "update_display_data")]
