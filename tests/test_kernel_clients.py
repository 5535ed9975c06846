"""The kernel under Jupyter's own clients: nbclient (what nbconvert --execute uses), the
nbconvert command line and jupyter console, on the fixture notebook (a table and a plot)."""
import base64
import json
import subprocess

import nbformat
from nbclient import NotebookClient

from conftest import FIXTURES, KERNEL_NAME

SMOKE = FIXTURES / "kernel-smoke.ipynb"


def outputs_of(nb, index):
    return nb.cells[index].outputs


def test_nbclient_runs_the_fixture_notebook():
    nb = nbformat.read(SMOKE, as_version=4)
    NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=120).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    [table] = outputs_of(nb, 1)
    assert table.output_type == "execute_result"
    assert "<th>context</th><th>kv_gib</th>" in table.data["text/html"]
    assert "<td>4096</td><td>2</td>" in table.data["text/html"]
    [chart] = outputs_of(nb, 2)
    assert base64.b64decode(chart.data["image/png"])[:4] == b"\x89PNG"
    [svg] = outputs_of(nb, 3)
    assert svg.output_type == "display_data" and svg.data["image/svg+xml"].startswith("<svg")
    [stream] = outputs_of(nb, 4)
    assert (stream.name, stream.text) == ("stdout", "rows: 4\n")


def test_nbconvert_executes_to_html(tmp_path):
    r = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "html", "--execute",
                        f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", "--ExecutePreprocessor.timeout=120",
                        "--output-dir", str(tmp_path), str(SMOKE)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "kernel-smoke.html").read_text()
    assert "<td>4096</td>" in html
    assert "data:image/png;base64," in html
    assert "rows: 4" in html


def test_nbconvert_fails_on_an_error_cell(tmp_path):
    nb = nbformat.read(SMOKE, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('throw new IllegalStateException("broken notebook");'))
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    r = subprocess.run(["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                        f"--ExecutePreprocessor.kernel_name={KERNEL_NAME}", "--output-dir", str(tmp_path / "out"),
                        str(bad)], capture_output=True, text=True, timeout=300)
    assert r.returncode != 0
    assert "IllegalStateException" in r.stderr and "broken notebook" in r.stderr


def test_jupyter_console_runs_cells():
    cells = '6 * 7\nSystem.out.println("hi from java");\nTable.create("t", IntColumn.create("x", 1, 2))\n'
    r = subprocess.run(["/usr/bin/jupyter", "console", "--kernel", KERNEL_NAME, "--simple-prompt"],
                       input=cells, capture_output=True, text=True, timeout=120)
    assert "Out[1]: 42" in r.stdout
    assert "hi from java" in r.stdout
    assert " x  |" in r.stdout
    assert "gpu_poor for the JVM" in r.stdout  # the kernel's banner


def test_kernelspec_is_listed(kernel_spec):
    r = subprocess.run(["/usr/bin/jupyter", "kernelspec", "list", "--json"], capture_output=True, text=True, timeout=60)
    specs = json.loads(r.stdout)["kernelspecs"]
    assert KERNEL_NAME in specs
    spec = specs[KERNEL_NAME]["spec"]
    assert spec["language"] == "java" and spec["interrupt_mode"] == "message"
    assert spec["argv"][0].startswith("/") and spec["argv"][0].endswith("/bin/java")
    assert spec["argv"][-3:] == ["{resource_dir}/gpupoor.jar", "gpupoor.kernel.Kernel", "{connection_file}"]
