"""The example notebooks: each runs top to bottom on the gpu_poor kernel without an error cell, and
the committed copy carries the outputs of such a run (scripts/regenerate-notebooks.sh writes them).
(The progress bar of a large sweep is tested in test_progress.py.)

Run with Debian's Python: /usr/bin/python3 -m pytest tests/test_notebooks.py
"""
import base64
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PNG = base64.b64decode("iVBORw0KGgo=")[:8]


def pngs(nb):
    """The PNG images a notebook's outputs show, inline (image/png) or embedded in HTML."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                found.append(base64.b64decode(data["image/png"]))
            html = data.get("text/html", "")
            for part in html.split("data:image/png;base64,")[1:]:
                found.append(base64.b64decode(part.split('"', 1)[0]))
    return found


def errors(nb):
    return [(cell.source.splitlines()[0], out.get("ename"), out.get("evalue"))
            for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.get("output_type") == "error"]


def test_the_example_notebooks_are_there():
    names = [p.name for p in NOTEBOOKS]
    for expected in ("01-can-my-gpu-run-it.ipynb", "02-sweeps-and-fit-limits.ipynb", "03-fine-tuning-planner.ipynb",
                     "05-bring-your-own-model.ipynb"):
        assert expected in names, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_an_error_cell(path, kernel_name, tmp_path):
    # the notebooks read their files from data/ next to them (notebook 05: a GGUF header, a config.json,
    # a Hub cache); the kernel runs in tmp_path, so they go there too
    if (path.parent / "data").is_dir():
        shutil.copytree(path.parent / "data", tmp_path / "data")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=300, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute()
    except CellExecutionError as e:
        pytest.fail(f"{path.name}: a cell failed:\n{e}")
    assert not errors(nb)
    images = pngs(nb)
    assert images, f"{path.name} shows no chart"
    assert all(img.startswith(PNG) for img in images)
    assert all(cell.outputs for cell in nb.cells if cell.cell_type == "code"), "every code cell shows something"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_its_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "gpupoor"
    missing = [cell.source.splitlines()[0] for cell in nb.cells if cell.cell_type == "code" and not cell.outputs]
    assert not missing, f"run scripts/regenerate-notebooks.sh; cells without outputs: {missing}"
    assert not errors(nb), errors(nb)
    assert pngs(nb), "the committed notebook shows its charts"


def test_bring_your_own_model_reads_the_files_offline():
    """Notebook 05 (run offline by the test above, so a file it could not read would be an error cell)
    shows the Hub id read from the shipped cache and the GGUF file's exact bytes ('as published')."""
    nb = nbformat.read(ROOT / "notebooks" / "05-bring-your-own-model.ipynb", as_version=4)
    text = "\n".join(str(out.get("data", {}).get("text/plain", "")) for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.outputs)
    assert "offline=true" in text, text[:2000]
    assert "as published (safetensors headers of the Hub's Qwen/Qwen3-0.6B" in text
    assert "as published (GGUF data/Qwen3-0.6B-Q4_K_M.gguf, file type Q4_K_M)" in text
    assert "vision tower 0.420B" in text
    assert "My 16GB card" in text


def test_explore_notebook_keeps_its_widget_state():
    """Notebook 06 carries the widget state (so a reader of the repository sees the controls and the panel)."""
    nb = nbformat.read(ROOT / "notebooks" / "06-explore.ipynb", as_version=4)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    assert state["version_major"] == 2
    models = state["state"]
    names = {m["model_name"] for m in models.values()}
    assert {"IntSliderModel", "DropdownModel", "ToggleButtonsModel", "HTMLModel", "HBoxModel"} <= names, names
    panels = [m["state"]["value"] for m in models.values() if m["model_name"] == "HTMLModel"]
    assert any("gpupoor-explore-total" in p and "data:image/png;base64," in p for p in panels)
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in nb.cells
             for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views and all(v in models for v in views)

