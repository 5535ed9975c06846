"""The Jupyter widget messaging protocol (2.1, as ipywidgets 8 speaks it) between the kernel and a
front end, driven by jupyter_client acting as the front end: comm_open with the model state,
display of a view, updates from the front end (applied, echoed, observed, corrected), state
requests, the widget control comm, comm_info and comm_close.

The states are checked against ipywidgets' own models: the same constructor in ipywidgets 8
(from .venv, made by scripts/lab-venv.sh) must give the same state, key for key."""
import json
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, TIMEOUT

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
VIEW = "application/vnd.jupyter.widget-view+json"

# Java constructor -> the same widget built with ipywidgets
MODELS = {
    "IntSlider": ('new IntSlider("n", 0, 10, 3)', 'w.IntSlider(description="n", min=0, max=10, value=3)'),
    "FloatSlider": ('new FloatSlider("util", 0.5, 0.99, 0.9)',
                    'w.FloatSlider(description="util", min=0.5, max=0.99, value=0.9)'),
    "FloatLogSlider": ('new FloatLogSlider("tokens", 1, 10000, 100)',
                       'w.FloatLogSlider(description="tokens", min=0, max=4, value=100)'),
    "FloatLogSlider-base2": ('new FloatLogSlider("context", 256, 131072, 4096).base(2).step(1)',
                             'w.FloatLogSlider(description="context", base=2, min=8, max=17, step=1, value=4096)'),
    "Dropdown": ('new Dropdown("quant", List.of("fp16", "q8_0", "q4_k_m"), "q8_0")',
                 'w.Dropdown(description="quant", options=["fp16", "q8_0", "q4_k_m"], value="q8_0")'),
    "ToggleButtons": ('new ToggleButtons("runtime", List.of("hf", "vllm"), "vllm")',
                      'w.ToggleButtons(description="runtime", options=["hf", "vllm"], value="vllm")'),
    "Checkbox": ('new Checkbox("flash attention", true)', 'w.Checkbox(description="flash attention", value=True)'),
    "HTML": ('new HtmlText("<b>fits</b>")', 'w.HTML(value="<b>fits</b>")'),
    "Output": ("new Output()", "w.Output()"),
    "FloatProgress": ('new ProgressBar("sweep", 0, 50)', 'w.FloatProgress(description="sweep", min=0, max=50)'),
    "HBox": ("new HBox()", "w.HBox()"),
    "VBox": ("new VBox()", "w.VBox()"),
}


@pytest.fixture(scope="module")
def ipywidgets_states():
    """Each MODELS widget's state from ipywidgets itself, references replaced by the referenced state."""
    if not VENV_PYTHON.is_file():
        pytest.fail(f"{VENV_PYTHON} is missing: run scripts/lab-venv.sh (test.sh does)")
    script = ("import json, ipywidgets as w\n"
              "def full(x):\n"
              "    s = x.get_state()\n"
              "    for k in ('layout', 'style'):\n"
              "        if k in s: s[k] = full(getattr(x, k))\n"
              "    return s\n"
              f"print(json.dumps({{k: full(eval(v)) for k, v in {json.dumps({k: v[1] for k, v in MODELS.items()})}.items()}}))")
    out = subprocess.run([str(VENV_PYTHON), "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def messages_until_idle(kc, parent_id, timeout=TIMEOUT):
    """The iopub messages of one request, up to its idle status."""
    found = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != parent_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return found
        if msg["msg_type"] != "status":
            found.append(msg)
    raise AssertionError(f"no idle for {parent_id}")


def run(kernel, code):
    """Runs a cell; returns its iopub messages; the cell must succeed."""
    msg_id = kernel.kc.execute(code)
    msgs = messages_until_idle(kernel.kc, msg_id)
    reply = kernel.kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kernel.kc.get_shell_msg(timeout=TIMEOUT)
    assert reply["content"]["status"] == "ok", (code, reply["content"])
    return msgs


def value(kernel, code):
    [data] = [m["content"]["data"] for m in run(kernel, code) if m["msg_type"] == "execute_result"]
    return data["text/plain"]


def send_comm(kernel, msg_type, content):
    """Sends a comm message as a front end would; returns its iopub messages up to idle."""
    msg = kernel.kc.session.msg(msg_type, content)
    kernel.kc.shell_channel.send(msg)
    return messages_until_idle(kernel.kc, msg["header"]["msg_id"])


def update(kernel, comm_id, state):
    return send_comm(kernel, "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                                       "buffer_paths": []}})


def comm_data(msgs, method=None):
    return [m["content"]["data"] for m in msgs
            if m["msg_type"] == "comm_msg" and (method is None or m["content"]["data"].get("method") == method)]


def shown(kernel, code):
    """Runs a cell that shows a widget; returns (model id, {comm id: state} of the comms it opened, messages)."""
    msgs = run(kernel, code)
    opened = {m["content"]["comm_id"]: m for m in msgs if m["msg_type"] == "comm_open"}
    for m in opened.values():
        assert m["content"]["target_name"] == "jupyter.widget"
        assert m["metadata"] == {"version": "2.1.0"}
        assert m["content"]["data"]["buffer_paths"] == []
    views = [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data"]
    assert len(views) == 1, msgs
    view = views[0][VIEW]
    assert (view["version_major"], view["version_minor"]) == (2, 1)
    assert view["model_id"] in opened
    # a model is opened after the models it refers to
    order = [m["content"]["comm_id"] for m in msgs if m["msg_type"] == "comm_open"]
    assert order[-1] == view["model_id"]
    return view["model_id"], {k: m["content"]["data"]["state"] for k, m in opened.items()}, msgs


def resolve(state, states):
    """A state with IPY_MODEL_ references replaced by the referenced states."""
    out = {}
    for k, v in state.items():
        if isinstance(v, str) and v.startswith("IPY_MODEL_"):
            out[k] = resolve(states[v[len("IPY_MODEL_"):]], states)
        else:
            out[k] = v
    return out


@pytest.mark.parametrize("name", MODELS)
def test_comm_open_carries_the_state_ipywidgets_has(kernel, ipywidgets_states, name):
    model_id, states, msgs = shown(kernel, MODELS[name][0] + ".show();")
    assert resolve(states[model_id], states) == ipywidgets_states[name]
    [text] = [m["content"]["data"]["text/plain"] for m in msgs if m["msg_type"] == "display_data"]
    assert text  # a text form for front ends without widgets


def test_an_update_from_the_front_end_is_echoed_applied_and_observed(kernel):
    model_id, _, _ = shown(kernel, 'IntSlider batch = new IntSlider("batch", 1, 64, 8);\n'
                                   'List<Integer> seen = new ArrayList<>();\n'
                                   'batch.onChange(b -> seen.add(b));\nbatch.show();')
    msgs = update(kernel, model_id, {"value": 32})
    assert comm_data(msgs, "echo_update") == [{"method": "echo_update", "state": {"value": 32}, "buffer_paths": []}]
    assert comm_data(msgs, "update") == []  # the value was taken as it is: nothing to correct
    assert all(m["content"]["comm_id"] == model_id for m in msgs if m["msg_type"] == "comm_msg")
    assert value(kernel, 'seen + " " + batch.value()') == "[32] 32"


def test_a_value_out_of_range_is_corrected_back_to_the_front_end(kernel):
    model_id, _, _ = shown(kernel, 'IntSlider clamped = new IntSlider("c", 0, 10, 5);\nclamped.show();')
    msgs = update(kernel, model_id, {"value": 99})
    assert comm_data(msgs, "echo_update")[0]["state"] == {"value": 99}
    assert comm_data(msgs, "update") == [{"method": "update", "state": {"value": 10}, "buffer_paths": []}]
    assert value(kernel, "clamped.value()") == "10"


def test_a_change_in_the_kernel_is_sent_as_an_update_with_the_cell_as_parent(kernel):
    model_id, _, _ = shown(kernel, 'Dropdown q = new Dropdown("q", List.of("a", "b", "c"), "a");\nq.show();')
    msgs = run(kernel, 'q.value("c");')
    assert comm_data(msgs) == [{"method": "update", "state": {"index": 2}, "buffer_paths": []}]
    msgs = update(kernel, model_id, {"index": 1})
    assert value(kernel, "q.value()") == "b"


def test_a_null_is_sent_as_null(kernel):
    msgs = run(kernel, 'HtmlText h = new HtmlText("x"); h.show(); h.layout().set("width", "10px"); h.layout().set("width", null);')
    updates = [d["state"] for d in comm_data(msgs, "update")]
    assert updates == [{"width": "10px"}, {"width": None}]


def test_request_state_answers_with_the_whole_state(kernel):
    model_id, states, _ = shown(kernel, 'Checkbox cb = new Checkbox("flash", false);\ncb.show();')
    run(kernel, "cb.value(true);")
    msgs = send_comm(kernel, "comm_msg", {"comm_id": model_id, "data": {"method": "request_state"}})
    [data] = comm_data(msgs, "update")
    assert data["state"] == {**states[model_id], "value": True}


def test_the_control_comm_returns_every_state_and_marks_a_widget_front_end(kernel):
    model_id, states, _ = shown(kernel, 'FloatSlider fs = new FloatSlider("f", 0, 1, 0.5);\nfs.show();')
    control = "control-" + model_id
    send_comm(kernel, "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
    msgs = send_comm(kernel, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    [data] = [m["content"]["data"] for m in msgs if m["content"].get("comm_id") == control]
    assert data["method"] == "update_states"
    entry = data["states"][model_id]
    assert entry["model_name"] == "FloatSliderModel" and entry["model_module"] == "@jupyter-widgets/controls"
    assert entry["model_module_version"] == "2.0.0" and entry["state"] == states[model_id]
    assert value(kernel, "Widgets.frontEnd().rendersWidgets()") == "true"
    send_comm(kernel, "comm_close", {"comm_id": control, "data": {}})
    assert value(kernel, "Widgets.frontEnd().rendersWidgets()") == "false"


def test_comm_info_lists_the_widgets_and_comm_close_forgets_one(kernel):
    model_id, _, _ = shown(kernel, 'ProgressBar pb = new ProgressBar("p", 0, 1);\npb.show();')
    info = kernel.request(lambda kc: kc.comm_info(target_name="jupyter.widget"))
    assert info["status"] == "ok" and info["comms"][model_id] == {"target_name": "jupyter.widget"}
    send_comm(kernel, "comm_close", {"comm_id": model_id, "data": {}})
    info = kernel.request(lambda kc: kc.comm_info(target_name="jupyter.widget"))
    assert model_id not in info["comms"]
    assert value(kernel, "pb.isOpen()") == "false"


def test_closing_in_the_kernel_sends_comm_close(kernel):
    model_id, _, _ = shown(kernel, 'Checkbox gone = new Checkbox("g", true);\ngone.show();')
    msgs = run(kernel, "gone.close();")
    assert [(m["msg_type"], m["content"]["comm_id"]) for m in msgs if m["msg_type"].startswith("comm")] == \
           [("comm_close", model_id)]


def test_an_unknown_comm_target_is_closed_at_once(kernel):
    msgs = send_comm(kernel, "comm_open", {"comm_id": "nope-1", "target_name": "no.such.target", "data": {}})
    assert [(m["msg_type"], m["content"]["comm_id"]) for m in msgs] == [("comm_close", "nope-1")]


def test_output_widget_shows_rendered_values(kernel):
    msgs = run(kernel, 'Output out = new Output(); out.show();\n'
                       'out.replace(Table.create("t", IntColumn.create("n", 1, 2)), "text");')
    [data] = comm_data(msgs, "update")
    outputs = data["state"]["outputs"]
    assert [o["output_type"] for o in outputs] == ["display_data", "display_data"]
    assert outputs[0]["data"]["text/html"].startswith("<table")
    assert outputs[1]["data"] == {"text/plain": "text"}


def test_a_failing_observer_is_reported_and_the_kernel_goes_on(kernel):
    model_id, _, _ = shown(kernel, 'IntSlider bad = new IntSlider("bad", 0, 5, 0);\n'
                                   'bad.onChange(v -> { throw new IllegalStateException("observer broke"); });\n'
                                   'bad.show();')
    msgs = update(kernel, model_id, {"value": 3})
    errors = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    assert "A widget callback failed: java.lang.IllegalStateException: observer broke" in errors
    assert value(kernel, "1 + 1") == "2"


def test_an_endless_observer_is_stopped_by_an_interrupt(kernel):
    model_id, _, _ = shown(kernel, 'IntSlider spin = new IntSlider("spin", 0, 5, 0);\n'
                                   'spin.onChange(v -> { while (true) { } });\nspin.show();')
    msg = kernel.kc.session.msg("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": {"value": 1},
                                                                            "buffer_paths": []}})
    kernel.kc.shell_channel.send(msg)
    time.sleep(1.0)
    kernel.km.interrupt_kernel()
    msgs = messages_until_idle(kernel.kc, msg["header"]["msg_id"], timeout=20)
    errors = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")
    assert "Interrupted: the widget callback was interrupted" in errors
    assert value(kernel, "1 + 1") == "2"


def test_a_widget_as_the_cell_value_shows_its_view_once(kernel):
    msgs = run(kernel, 'new Checkbox("as value", true)')
    types = [m["msg_type"] for m in msgs]
    assert types.count("comm_open") == 3 and "display_data" not in types, types
    [result] = [m["content"]["data"] for m in msgs if m["msg_type"] == "execute_result"]
    opened = [m["content"]["comm_id"] for m in msgs if m["msg_type"] == "comm_open"]
    assert result[VIEW]["model_id"] == opened[-1]
    assert result["text/plain"] == 'Checkbox "as value" = true'
    assert types.index("execute_result") > max(i for i, t in enumerate(types) if t == "comm_open")
