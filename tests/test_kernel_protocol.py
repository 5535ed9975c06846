"""Protocol tests the jupyter_kernel_test suite does not cover: rich MIME bundles, each kind of
error, interrupt, stop-on-error, completion across snippets, silent runs and user expressions.
All go through jupyter_client against the installed kernelspec."""
import base64
import re
import struct
import time

import pytest

CHART = ('XYChart chart = new XYChartBuilder().width(300).height(200).title("mem").build();\n'
         'chart.addSeries("GiB", new double[] {1, 2, 3}, new double[] {4, 6, 9});\n')


def count(session):
    return session.request(lambda kc: kc.execute("", silent=True, store_history=False))["execution_count"]


# ---- rich output ---------------------------------------------------------------------------------

def test_table_is_html_with_escaped_cells_and_text(kernel):
    data = kernel.value('Table.create("a<b", StringColumn.create("c&d", "<i>x</i>", "y"), '
                        'DoubleColumn.create("n", 1.5, 2))')
    html = data["text/html"]
    assert html.startswith("<table")
    assert ">a&lt;b</caption>" in html
    assert "<th>c&amp;d</th><th>n</th>" in html
    assert "<td>&lt;i&gt;x&lt;/i&gt;</td><td>1.5</td>" in html
    assert "<i>" not in html
    assert "c&d" in data["text/plain"] and "<i>x</i>" in data["text/plain"]


def test_long_table_shows_head_and_tail(kernel):
    html = kernel.value('Table.create("big", IntColumn.create("i", java.util.stream.IntStream.range(0, 1000).toArray()))')["text/html"]
    assert "60 of 1000 rows" in html
    assert "940 more rows" in html
    assert html.count("<tr>") == 1 + 60 + 1  # header, rows shown, the "more rows" line
    assert "<td>0</td>" in html and "<td>29</td>" in html and "<td>30</td>" not in html and "<td>999</td>" in html


def test_chart_is_png_of_its_size(kernel):
    data = kernel.value(CHART + "chart")
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (300, 200)
    assert data["text/plain"] == 'XYChart "mem" (300x200, series: GiB)'


def test_chart_as_svg_on_request(kernel):
    outputs = kernel.ok(CHART + 'display(chart, "image/svg+xml");')
    [shown] = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
    assert set(shown) == {"image/svg+xml", "text/plain"}
    svg = shown["image/svg+xml"]
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg


def test_display_helpers_publish_display_data(kernel):
    outputs = kernel.ok('display(Table.create("shown")); display(html("<b>bold</b>")); display(42);')
    shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
    assert [sorted(d) for d in shown] == [["text/html", "text/plain"], ["text/html", "text/plain"], ["text/plain"]]
    assert shown[1]["text/html"] == "<b>bold</b>"
    assert shown[2]["text/plain"] == "42"


def test_displayable_uses_its_own_html_and_text(kernel):
    data = kernel.value('class Fits implements gpupoor.view.Displayable {\n'
                        '  public String toHtml() { return "<p>fits</p>"; }\n'
                        '  public String toText() { return "fits"; }\n'
                        '}\nnew Fits()')
    assert data == {"text/html": "<p>fits</p>", "text/plain": "fits"}


def test_engine_estimate_is_a_readable_table(kernel):
    kernel.ok('Estimate est = Methods.GPU_POOR.estimate(Scenario.builder().model(Catalog.get().model("meta-llama/Llama-2-7b-hf"))'
              '.device(Catalog.get().hardware("rtx-4090")).prompt(500).generate(500).build());')
    total = kernel.value('SeedFormat.memory(est).get("Total")')["text/plain"]
    tokens = kernel.value('SeedFormat.speed(est).get("Token per second")')["text/plain"]
    data = kernel.value("est")
    html = data["text/html"]
    assert "<caption>Estimate (gpu-poor)</caption>" in html
    assert "Memory (MiB)" in html and "Speed" in html
    assert f"<td style=\"text-align:left\">Total</td><td>{total}</td>" in html
    assert f"<td style=\"text-align:left\">Token per second</td><td>{tokens}</td>" in html
    assert re.search(r"Total\s+" + re.escape(total), data["text/plain"])


def test_streams_are_flushed_in_order(kernel):
    outputs = kernel.ok('System.out.print("a"); System.err.print("e"); System.out.print("b"); 5')
    kinds = [(m["msg_type"], m["content"].get("name")) for m in outputs]
    text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    assert text == "ab"
    assert kinds[-1] == ("execute_result", None)


def test_prelude_and_default_imports_need_no_import_cell(kernel):
    assert kernel.value('List<String> l = new ArrayList<>(List.of("x")); l.size()')["text/plain"] == "1"
    assert kernel.value("Catalog.get().allHardware().isEmpty()")["text/plain"] == "false"
    assert kernel.value('Table.create("p").name()')["text/plain"] == "p"


# ---- errors --------------------------------------------------------------------------------------

def test_compile_error_points_at_the_line(kernel):
    n = count(kernel)
    err = kernel.error('int a = 1;\nint b = "x";\nint c = 3;')
    assert err["ename"] == "CompileError"
    assert err["evalue"] == "incompatible types: java.lang.String cannot be converted to int"
    assert err["traceback"][1:] == [f"cell [{n}], line 2:", '    int b = "x";', "            ^~~"]
    assert kernel.value("a")["text/plain"] == "1"  # the snippets before the error ran
    assert kernel.error("c")["ename"] == "CompileError"  # the ones after did not


def test_runtime_error_has_exception_and_trimmed_stack(kernel):
    n = count(kernel)
    err = kernel.error('void f() {\n  throw new IllegalStateException("boom");\n}\nf();')
    assert (err["ename"], err["evalue"]) == ("IllegalStateException", "boom")
    assert err["traceback"] == ["java.lang.IllegalStateException: boom",
                                f"    at f (cell [{n}], line 2)",
                                f"    at cell [{n}], line 4"]


def test_runtime_error_in_library_code_keeps_library_frames_and_causes(kernel):
    err = kernel.error("List.of(1).get(5)")
    assert err["ename"] == "IndexOutOfBoundsException"
    assert any("java.util.ImmutableCollections" in line for line in err["traceback"])
    err = kernel.error('throw new RuntimeException("outer", new java.io.IOException("inner"));')
    assert "Caused by: java.io.IOException: inner" in err["traceback"]
    assert not any(s in line for line in err["traceback"] for s in ("jdk.internal", "java.lang.reflect", "gpupoor.kernel"))


def test_incomplete_cell(kernel):
    err = kernel.error("for (int i = 0; i < 3; i++) {\n  int j = i;")
    assert err["ename"] == "IncompleteCode"


def test_unresolved_reference(kernel):
    outputs = kernel.ok("int g() { return notYet + 1; }")
    assert any("note: g can be used once variable notYet is declared" in m["content"].get("text", "") for m in outputs)
    err = kernel.error("g()")
    assert err["ename"] == "UnresolvedReference"
    assert "notYet" in err["evalue"]
    kernel.ok("int notYet = 41;")
    assert kernel.value("g()")["text/plain"] == "42"


def test_stack_overflow_is_reported_and_kernel_survives(kernel):
    err = kernel.error("int down(int n) { return down(n + 1) + 1; }\ndown(0)")
    assert err["ename"] == "StackOverflowError"
    assert len(err["traceback"]) < 10
    assert re.search(r"at down \(cell \[\d+\], line 1\)  \[\d+ times\]", "\n".join(err["traceback"]))
    assert kernel.value("1 + 1")["text/plain"] == "2"


@pytest.mark.parametrize("code", ["System.exit(3)", "Runtime.getRuntime().halt(0)",
                                  'gpupoor.cli.Main.main(new String[] {"--version"})'])
def test_exit_is_refused_and_kernel_survives(kernel, code):
    err = kernel.error(code)
    assert err["ename"] == "ExitRefusedException"
    assert "was refused: it would end the kernel" in err["evalue"]
    assert kernel.value("7 * 6")["text/plain"] == "42"


def test_renderer_failure_is_a_cell_error(kernel):
    err = kernel.error('class Bad { public String toString() { throw new IllegalStateException("no text"); } }\nnew Bad()')
    assert err["ename"] == "RenderError"
    assert "no text" in err["evalue"]


# ---- interrupt, stop on error ------------------------------------------------------------------

def test_interrupt_cancels_a_sleeping_cell(kernel):
    kc = kernel.kc
    msg_id = kc.execute("Thread.sleep(60_000);")
    time.sleep(0.5)
    start = time.monotonic()
    kernel.km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    assert time.monotonic() - start < 3
    assert kernel.value("1 + 2")["text/plain"] == "3"


def test_interrupt_stops_a_loop_that_checks_for_interruption(kernel):
    kc = kernel.kc
    kc.execute("long spins = 0; while (!Thread.currentThread().isInterrupted()) { spins++; }")
    time.sleep(0.5)
    kernel.km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)
    assert reply["content"]["ename"] == "Interrupted"
    busy = ('Thread.getAllStackTraces().keySet().stream()'
            '.filter(t -> t.getName().startsWith("cell-") && t.getState() == Thread.State.RUNNABLE).count()')
    assert kernel.value(busy)["text/plain"] == "1"  # only the thread running this cell


def test_error_aborts_cells_already_queued(kernel):
    kc = kernel.kc
    ids = [kc.execute('Thread.sleep(300); throw new RuntimeException("first");'), kc.execute("1"), kc.execute("2")]
    replies = {}
    while len(replies) < 3:
        r = kc.get_shell_msg(timeout=30)
        replies[r["parent_header"]["msg_id"]] = r["content"]["status"]
    assert [replies[i] for i in ids] == ["error", "aborted", "aborted"]
    assert kernel.value("3")["text/plain"] == "3"


# ---- completion, inspection, bookkeeping -------------------------------------------------------

def test_completion_uses_the_snippet_under_the_cursor(kernel):
    kernel.ok('Table tt = Table.create("tt");')
    code = "int abc = 1;\ntt.rowC"
    reply = kernel.request(lambda kc: kc.complete(code, len(code)))
    assert reply["matches"] == ["rowCount()"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (len(code) - 4, len(code))
    code = "tt.rowC\nint z = 1;"
    reply = kernel.request(lambda kc: kc.complete(code, 7))
    assert reply["matches"] == ["rowCount()"] and (reply["cursor_start"], reply["cursor_end"]) == (3, 7)


def test_inspect_shows_signatures_and_project_javadoc(kernel):
    reply = kernel.request(lambda kc: kc.inspect("Table.create(", 13))
    assert reply["status"] == "ok" and reply["found"]
    assert "Table Table.create(String tableName)" in reply["data"]["text/plain"]
    reply = kernel.request(lambda kc: kc.inspect("Methods.parse(", 14))
    assert reply["found"]
    text = reply["data"]["text/plain"]
    assert text.startswith("Method Methods.parse(String text)\n")  # signature, then the project's javadoc
    assert "Parses default or gpu-poor (also gpu_poor, gpupoor, original)." in text
    reply = kernel.request(lambda kc: kc.inspect("nothingHere", 5))
    assert reply["status"] == "ok" and not reply["found"]


def test_silent_cell_publishes_nothing_and_keeps_the_count(kernel):
    before = count(kernel)
    reply, outputs = kernel.execute('int quiet = 5; System.out.println("x"); quiet', silent=True)
    assert reply["status"] == "ok"
    assert [m for m in outputs if m["msg_type"] in ("execute_result", "execute_input")] == []
    assert count(kernel) == before


def test_user_expressions_are_evaluated(kernel):
    reply, _ = kernel.execute("int ue = 20;", user_expressions={"twice": "ue * 2", "bad": "nope"})
    expressions = reply["user_expressions"]
    assert expressions["twice"] == {"status": "ok", "data": {"text/plain": "40"}, "metadata": {}}
    assert expressions["bad"]["status"] == "error" and expressions["bad"]["ename"] == "CompileError"


def test_history_records_output(kernel):
    kernel.ok("String hist = \"h\"; hist + 1")
    reply = kernel.request(lambda kc: kc.history(hist_access_type="tail", n=1, output=True, raw=True))
    [[session, line, (source, output)]] = reply["history"]
    assert source == 'String hist = "h"; hist + 1' and output == "h1"
