"""jupyter_kernel_test's standard protocol tests (Debian python3-jupyter-kernel-test) against our kernel.

Every standard test runs, the pager too: page(x) sends x to the front end's pager.
"""
import os

import jupyter_kernel_test

CHART = ('XYChart c = new XYChartBuilder().width(240).height(160).build();\n'
         'c.addSeries("s", new double[] {1, 2, 3}, new double[] {2, 1, 3});\n')


class GpuPoorKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("GPUPOOR_KERNEL", "gpupoor")
    language_name = "java"
    file_extension = ".jsh"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something on stderr");'
    code_generate_error = 'throw new IllegalStateException("boom");'

    completion_samples = [
        {"text": "Sys", "matches": {"System"}},
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "Table.crea", "matches": {"create("}},
        {"text": "List.of(1).stre", "matches": {"stream()"}},
    ]
    complete_code_samples = ["1", "int x = 1;", "for (int i = 0; i < 3; i++) { }", "void f() {}\nf();"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int f(int a) {\n  return a", "Math.max(1,"]
    invalid_code_samples = ['String s = "unterminated']

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"ab" + 1', "result": "ab1"},
        {"code": 'Table.create("t", DoubleColumn.create("x", 1, 2))', "mime": "text/html"},
        {"code": CHART + "c", "mime": "image/png"},
    ]
    code_display_data = [
        {"code": 'display(html("<b>hi</b>"));', "mime": "text/html"},
        {"code": CHART + 'display(c, "image/svg+xml");', "mime": "image/svg+xml"},
        {"code": 'display(markdown("*hi*"));', "mime": "text/markdown"},
    ]
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6*7"
    code_inspect_sample = "Math.max("
    code_clear_output = "clearOutput();"
    code_page_something = 'page(Table.create("paged", IntColumn.create("x", 1, 2)));'
