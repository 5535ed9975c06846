"""notebooks/04-validation.ipynb runs headlessly on the gpu_poor kernel and shows its tables and plots.

Run with Debian's Python after installing the kernelspec (test.sh does): /usr/bin/python3 -m pytest tests
"""
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04-validation.ipynb"


def test_validation_notebook_shows_the_table_and_plots_for_both_methods():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name=os.environ.get("GPUPOOR_KERNEL", "gpupoor"), timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, if a cell fails

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs for c in code), "every code cell ends with a value to show"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]

    summary = code[0].outputs[-1]["data"]["text/html"]
    for text in ("median |err| %", "p90 |err| %", "bias %", "fits right %", "gpu-poor", "default",
                 "decode_tok_s", "mem_training", "fits_in_memory"):
        assert text in summary, text
    assert "https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference" in code[3].outputs[-1]["data"]["text/html"]
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 10, "two scatter plots, one per-metric scatter, two error distributions, five range plots"

    coverage = next(c for c in code if c.source == "report.coverage()").outputs[-1]["data"]["text/html"]
    for text in ("inside %", "default band", "median half-width %", "decode_tok_s", "gpu-poor"):
        assert text in coverage, text
    example = next(c for c in code if "range(MEMORY)" in c.source)
    printed = "".join(o.text for o in example.outputs if o.output_type == "stream")
    # the class behind the range: a band of its own or a parent's ("band of mem_inference · ...") or, with no
    # bundled row of it, the wide default's note ("no bundled measurement of mem_inference · ...")
    assert "likely" in printed and "of mem_inference · " in printed, printed
    assert "may not fit: needs" in example.outputs[-1]["data"]["text/plain"]
