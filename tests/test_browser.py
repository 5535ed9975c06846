"""Headless-Chromium smoke test: a real Jupyter server on loopback opens a notebook, runs all cells
with our kernel, and the page must show a table and a plot and no error. A screenshot goes to
target/browser-<front end>-<notebook>.png.

The notebook defaults to tests/fixtures/kernel-smoke.ipynb; pass --notebook PATH (repeatable) to
open others, e.g. /usr/bin/python3 -m pytest tests/test_browser.py --notebook notebooks/01-first.ipynb
Front ends: Debian's classic Notebook always; JupyterLab too when .venv/bin/jupyter-lab exists
(./run.sh creates it) or $GPUPOOR_JUPYTER_LAB names a jupyter-lab executable. The widget test moves
a slider with real input events in both (the classic Notebook gets the widgets extension from the
venv's widgetsnbextension through JUPYTER_PATH and JUPYTER_CONFIG_PATH, as run.sh --classic does).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

from conftest import KERNEL_NAME, ROOT

LAB = Path(os.environ.get("GPUPOOR_JUPYTER_LAB", ROOT / ".venv" / "bin" / "jupyter-lab"))
VENV_JUPYTER = ROOT / ".venv" / "share" / "jupyter"
VENV_CONFIG = ROOT / ".venv" / "etc" / "jupyter"
FRONT_ENDS = ["notebook"] + (["lab"] if LAB.is_file() else [])
RUN_TIMEOUT = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=FRONT_ENDS)
def server(request, tmp_path):
    """A Jupyter server (classic Notebook or JupyterLab) on loopback serving tmp_path/nb."""
    root = tmp_path / "nb"
    root.mkdir()
    port, token = free_port(), uuid.uuid4().hex
    common = ["--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}"]
    if request.param == "notebook":
        argv = ["/usr/bin/jupyter", "notebook", *common, f"--NotebookApp.token={token}", f"--notebook-dir={root}"]
    else:
        argv = [str(LAB), *common, f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None", "--LabApp.check_for_updates_class="
                "jupyterlab.NeverCheckForUpdate"]
    env = dict(os.environ)
    if request.param == "notebook" and (VENV_JUPYTER / "nbextensions" / "jupyter-js-widgets").is_dir():
        # the widgets extension of the venv's ipywidgets (widgetsnbextension) in Debian's Notebook
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(VENV_JUPYTER), env.get("JUPYTER_PATH")]))
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(VENV_CONFIG), env.get("JUPYTER_CONFIG_PATH")]))
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the Jupyter server did not start:\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.2)
    yield {"kind": request.param, "base": base, "token": token, "root": root}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="gpupoor-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1200,2400", "--hide-scrollbars",
                 f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, script, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


CLASSIC = {
    "ready": "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
             " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel_busy === false)",
    "run": "Jupyter.notebook.execute_all_cells();",
    "done": "return Jupyter.notebook.kernel_busy === false && Jupyter.notebook.get_cells().every("
            "c => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number')",
    "outputs": "return JSON.stringify(Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
               ".map(c => c.output_area.outputs))",
    "area": ".output_area",
}
LAB_JS = "var w = window.jupyterapp && jupyterapp.shell.currentWidget;"
JUPYTERLAB = {
    "ready": LAB_JS + " var k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
                      " return !!(k && k.status === 'idle' && w.content && w.content.widgets.length);",
    "run": "return jupyterapp.commands.execute('notebook:run-all-cells');",
    "done": LAB_JS + " return w.sessionContext.session.kernel.status === 'idle' && w.content.widgets.every("
                     "c => c.model.type !== 'code' || typeof c.model.executionCount === 'number');",
    "outputs": LAB_JS + " return JSON.stringify(w.content.widgets.filter(c => c.model.type === 'code')"
                        ".map(c => c.model.outputs.toJSON()));",
    "area": ".jp-OutputArea-output",
}


def open_notebook(server, browser, notebook_path):
    """Copies the notebook (outputs cleared) into the server's root and opens it; returns the JS set."""
    nb = nbformat.read(notebook_path, as_version=4)
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java (gpu_poor)", "language": "java"}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    for sibling in notebook_path.parent.iterdir():  # notebooks may read files next to them
        if sibling.is_file() and sibling.suffix != ".ipynb":
            shutil.copy(sibling, server["root"])
    nbformat.write(nb, server["root"] / notebook_path.name)

    js = CLASSIC if server["kind"] == "notebook" else JUPYTERLAB
    if server["kind"] == "notebook":
        url = f"{server['base']}/notebooks/{notebook_path.name}?token={server['token']}"
    else:
        url = f"{server['base']}/lab/workspaces/{uuid.uuid4().hex}/tree/{notebook_path.name}?token={server['token']}&reset"
    browser.get(url)
    wait_for(browser, js["ready"], 120, "the notebook page and an idle kernel")
    return js


def test_notebook_renders_table_and_plot(server, browser, notebook_path):
    js = open_notebook(server, browser, notebook_path)
    started = time.monotonic()
    browser.execute_script(js["run"])
    wait_for(browser, js["done"], RUN_TIMEOUT, "all cells to run")
    ran_in = time.monotonic() - started

    outputs = [o for cell in json.loads(browser.execute_script(js["outputs"])) for o in cell]
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.get("output_type") == "error"]
    assert errors == []
    area = js["area"]
    tables = browser.execute_script(f"return document.querySelectorAll('{area} table').length")
    images = browser.execute_script(f"return document.querySelectorAll('{area} img[src^=\"data:image/png\"]').length")
    svgs = browser.execute_script(f"return document.querySelectorAll('{area} svg').length")
    shot = ROOT / "target" / f"browser-{server['kind']}-{notebook_path.stem}.png"
    shot.parent.mkdir(exist_ok=True)
    browser.save_screenshot(str(shot))
    print(f"{server['kind']}: {len(outputs)} outputs, {tables} tables, {images} PNG images, {svgs} SVGs, "
          f"run all in {ran_in:.1f} s, screenshot {shot}")
    assert tables >= 1, "no table rendered"
    assert images + svgs >= 1, "no plot rendered"


# Runs code in the page's kernel connection and keeps its text result in window.gpupoorResult.
ASK_KERNEL = {
    "notebook": "window.gpupoorResult = null; Jupyter.notebook.kernel.execute(arguments[0], {iopub: {output: "
                "m => { if (m.msg_type === 'execute_result') window.gpupoorResult = m.content.data['text/plain']; }}},"
                " {silent: false, store_history: false});",
    "lab": LAB_JS + " window.gpupoorResult = null; var f = w.sessionContext.session.kernel.requestExecute("
                    "{code: arguments[0], store_history: false}); f.onIOPub = m => { if (m.header.msg_type === "
                    "'execute_result') window.gpupoorResult = m.content.data['text/plain']; };",
}
WIDGET_CELL = ('IntSlider batch = new IntSlider("batch", 1, 64, 8);\n'
               'List<Integer> seen = new ArrayList<>();\n'
               'batch.onChange(b -> seen.add(b));\n'
               'batch.show();')


def ask_kernel(browser, kind, code):
    browser.execute_script(ASK_KERNEL[kind], code)
    wait_for(browser, "return window.gpupoorResult !== null", 30, f"the kernel's answer to {code}")
    return browser.execute_script("return window.gpupoorResult")


def test_a_slider_moved_in_the_browser_reaches_the_kernel(server, browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(WIDGET_CELL))
    path = tmp_path / "widgets.ipynb"
    nbformat.write(nb, path)
    js = open_notebook(server, browser, path)
    browser.execute_script(js["run"])
    wait_for(browser, js["done"], RUN_TIMEOUT, "the widget cell to run")
    wait_for(browser, "return !!document.querySelector('.widget-slider .noUi-handle')", 60, "the slider's view")
    handle = browser.find_element(By.CSS_SELECTOR, ".widget-slider .noUi-handle")
    track = browser.find_element(By.CSS_SELECTOR, ".widget-slider .noUi-target")
    # drag the handle a third of the track to the right: 8 -> about 29
    ActionChains(browser).click_and_hold(handle).move_by_offset(track.size["width"] // 3, 0).release().perform()
    wait_for(browser, "return (document.querySelector('.widget-readout') || {}).textContent !== '8'", 10,
             "the readout to change")
    readout = int(browser.execute_script("return document.querySelector('.widget-readout').textContent"))
    assert 20 <= readout <= 40, readout
    shot = ROOT / "target" / f"browser-{server['kind']}-widgets.png"
    shot.parent.mkdir(exist_ok=True)
    browser.save_screenshot(str(shot))
    value, seen = ask_kernel(browser, server["kind"], 'batch.value() + " " + seen').split(" ", 1)
    assert int(value) == readout, (value, readout)
    assert seen.strip("[]").split(", ")[-1] == value
    errors = browser.execute_script("return document.body.innerText")
    assert "Error displaying widget" not in errors and "Failed to create view" not in errors
    print(f"{server['kind']}: slider moved to {readout}, the kernel saw {value} (changes seen: {seen}); "
          f"screenshot {shot}")


EXPLORE_CELL = ('var x = explore(model("meta-llama/Llama-3.1-8B").on(gpu("rtx-4090")).quant(Q4_K_M).context(4096));\n'
                'x')
# the batch slider of explore(..): the slider whose label reads "batch"
BATCH_SLIDER = ("return Array.from(document.querySelectorAll('.widget-slider')).find("
                "s => (s.querySelector('.widget-label') || {}).textContent === 'batch')")
TOTAL = "((document.querySelector('.gpupoor-explore-total b') || {}).textContent || '')"


def test_explore_redraws_when_a_slider_moves(server, browser, tmp_path):
    """explore(..) in the page: drag its batch slider with real input events; the memory total shown changes
    to what the kernel computed for the new batch."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(EXPLORE_CELL))
    path = tmp_path / "explore.ipynb"
    nbformat.write(nb, path)
    js = open_notebook(server, browser, path)
    browser.execute_script(js["run"])
    wait_for(browser, js["done"], RUN_TIMEOUT, "the explore cell to run")
    wait_for(browser, BATCH_SLIDER.replace("return ", "return !!"), 60, "explore's batch slider")
    wait_for(browser, f"return {TOTAL} !== ''", 60, "the memory total")
    before = browser.execute_script(f"return {TOTAL}")
    slider = browser.execute_script(BATCH_SLIDER)
    handle = slider.find_element(By.CSS_SELECTOR, ".noUi-handle")
    track = slider.find_element(By.CSS_SELECTOR, ".noUi-target")
    ActionChains(browser).click_and_hold(handle).move_by_offset(track.size["width"] // 4, 0).release().perform()
    wait_for(browser, f"return {TOTAL} !== {json.dumps(before)}", 20, "the shown memory total to change")
    after = browser.execute_script(f"return {TOTAL}")
    readout = int(slider.find_element(By.CSS_SELECTOR, ".widget-readout").text)
    shot = ROOT / "target" / f"browser-{server['kind']}-explore.png"
    shot.parent.mkdir(exist_ok=True)
    browser.save_screenshot(str(shot))
    mib = lambda shown: int(shown.split(" MiB")[0].replace(",", ""))
    assert readout > 1 and mib(after) > mib(before), (readout, before, after)
    answer = ask_kernel(browser, server["kind"], 'x.batch().value() + " " + Math.round(x.report().totalMiB()) + " "'
                                                 ' + Math.round(x.redrawMillis())')
    batch, total, millis = (int(v) for v in answer.split())
    assert batch == readout, (batch, readout)
    assert total == mib(after), (total, after)
    print(f"{server['kind']}: batch 1 -> {readout}, memory {before} -> {after}, kernel redraw {millis} ms; "
          f"screenshot {shot}")
