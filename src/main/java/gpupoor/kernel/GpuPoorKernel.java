package gpupoor.kernel;

import gpupoor.kernel.protocol.History;
import gpupoor.kernel.protocol.KernelConnection;
import gpupoor.kernel.protocol.MapReply;
import gpupoor.kernel.protocol.Outbox;
import gpupoor.kernel.protocol.Replies;
import gpupoor.kernel.protocol.WidgetComms;
import gpupoor.widgets.Widgets;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Jupyter kernel: jjava-jupyter's protocol handling with cells evaluated by an in-process
 * JShell ({@link CellEvaluator}) and values shown by {@link Renderers}. JShell starts in the
 * background while the kernel already answers {@code kernel_info}; a session starts with JShell's
 * default imports, then {@code dsl/prelude.jsh}, then {@code import static gpupoor.kernel.Display.*}
 * and {@code import gpupoor.widgets.*}.
 * <p>
 * It overrides jjava-jupyter 1.0-a6's {@code BaseKernel.handleExecuteRequest}, which names errors
 * after the Java class of whatever the kernel throws ({@code ErrorReply.of(e)}), sends no
 * {@code payload} or {@code user_expressions}, ignores {@code silent}, {@code store_history} and
 * {@code stop_on_error}, and publishes cell output through {@code JupyterIO} (see
 * {@link Outbox}); and its comm handling (see {@link WidgetComms}).
 */
final class GpuPoorKernel extends BaseKernel {
    private static final Logger LOG = Logger.getLogger(GpuPoorKernel.class.getName());
    /** The bundled notebook prelude (a classpath resource). */
    static final String PRELUDE = "dsl/prelude.jsh";
    /** Makes the cell helpers ({@code display}, {@code html}, ...) and the widgets available unqualified. */
    static final String DISPLAY_IMPORT = "import static " + Display.class.getName() + ".*;\n"
            + "import gpupoor.widgets.*;";

    private final CellIO cellIO;
    private final History history = new History();
    private final CompletableFuture<CellEvaluator> evaluator;
    private volatile List<String> startupProblems = List.of();
    private volatile ShellReplyEnvironment running;
    private volatile boolean interruptedWhileStarting;
    /** Pager payloads of the running cell ({@link Display#page(Object)}), sent with its reply. */
    private final List<DisplayData> pages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private KernelConnection connection;
    private Outbox outbox;
    private PrintStream cellOut;
    private PrintStream cellErr;
    private WidgetComms widgets;
    private final HeapTrim heapTrim = new HeapTrim(() -> running == null);

    /**
     * A kernel whose cells run in {@code session} (from {@link #startSession()}, started as early as
     * possible: the first cell waits for it).
     */
    GpuPoorKernel(CompletableFuture<Session> session) {
        this(new CellIO(), new Renderer(), session);
    }

    private GpuPoorKernel(CellIO io, Renderer renderer, CompletableFuture<Session> session) {
        super("gpupoor", version(), languageInfo(), List.of(), null, io, new CommManager(), renderer,
                null, null, false, new StringStyler.Builder().build());
        this.cellIO = io;
        Renderers.register(renderer);
        this.evaluator = session.thenApply(s -> {
            startupProblems = s.problems();
            return s.cells();
        });
    }

    /** The kernel of this JVM, or null outside a kernel (e.g. in plain jshell). */
    static GpuPoorKernel current() {
        return BaseKernel.notebookKernel instanceof GpuPoorKernel k ? k : null;
    }

    /** A started JShell session and what went wrong in its prelude (nothing: empty). */
    record Session(CellEvaluator cells, List<String> problems) {
    }

    /** Starts the JShell session with the prelude on a thread of its own; the JVM can exit while it runs. */
    static CompletableFuture<Session> startSession() {
        return CompletableFuture.supplyAsync(GpuPoorKernel::newSession, r -> {
            Thread t = new Thread(r, "jshell-start");
            t.setDaemon(true);
            t.start();
        });
    }

    private static Session newSession() {
        long start = System.nanoTime();
        CellEvaluator cells = CellEvaluator.start();
        List<String> problems = new ArrayList<>(cells.runScript(readPrelude(), PRELUDE));
        problems.addAll(cells.runScript(DISPLAY_IMPORT, "kernel startup"));
        // The first expression compiles and runs code paths a declaration does not; pay for it now.
        cells.eval("0", "kernel startup");
        ExitGuard.install();
        LOG.fine(() -> "JShell session ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return new Session(cells, List.copyOf(problems));
    }

    private static String readPrelude() {
        try (InputStream in = GpuPoorKernel.class.getClassLoader().getResourceAsStream(PRELUDE)) {
            if (in == null) {
                LOG.warning("the notebook prelude " + PRELUDE + " is missing from the class path");
                return "";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warning("cannot read the notebook prelude " + PRELUDE + ": " + e);
            return "";
        }
    }

    /**
     * Loads the catalog and runs one estimate on a thread of its own while JShell starts: the
     * kernel's sockets are up, so the second core has little else to do until the session is ready,
     * and a notebook's first DSL cell no longer waits for the catalog's files and the engine's first
     * run (its classes, calibration and error bands). A failure is left for that cell to report
     * (the catalog is loaded again then).
     */
    static void preloadEngine() {
        Thread preload = new Thread(() -> {
            try {
                gpupoor.dsl.Dsl.model("meta-llama/Llama-3.1-8B").on(gpupoor.dsl.Dsl.gpu("rtx-4090")).estimate();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "engine preload failed", e);
            }
        }, "engine-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /**
     * Loads the table and chart renderers (classes, fonts: a first chart otherwise costs ~0.1 s more)
     * in the background once the JShell session is ready and no cell is running, so that it does not
     * slow the first cell (on two cores it would take one from it).
     */
    void warmUpRenderers() {
        evaluator.whenComplete((cells, failure) -> {
            Thread warm = new Thread(this::warmRenderers, "renderer-warmup");
            warm.setDaemon(true);
            warm.start();
        });
    }

    private void warmRenderers() {
        try {
            while (running != null) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            return;
        }
        try {
            tech.tablesaw.api.Table t = tech.tablesaw.api.Table.create("warm-up",
                    tech.tablesaw.api.DoubleColumn.create("x", 1, 2));
            getRenderer().render(t);
            // title, axis titles, legend and a series: each loads fonts and drawing code of its own
            org.knowm.xchart.XYChart chart = new org.knowm.xchart.XYChartBuilder().width(400).height(300)
                    .title("warm-up").xAxisTitle("x").yAxisTitle("y").build();
            chart.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2});
            getRenderer().render(chart);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "renderer warm-up failed", e);
        }
    }

    /** The JShell session, waiting for it to start; an interrupt ends the wait of a cell. */
    private CellEvaluator cells() {
        while (true) {
            try {
                return evaluator.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (interruptedWhileStarting) {
                    interruptedWhileStarting = false;
                    throw new CellError("Interrupted", "the cell was interrupted",
                            List.of("Interrupted: the cell was interrupted (while the kernel was starting)"));
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new CellError("KernelStartFailed", "JShell did not start: " + cause,
                        List.of("KernelStartFailed: JShell did not start: " + cause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CellError("Interrupted", "the kernel is stopping", List.of("Interrupted: the kernel is stopping"));
            }
        }
    }

    private static String version() {
        try (InputStream in = GpuPoorKernel.class.getResourceAsStream(
                "/META-INF/maven/io.github.gpupoor/gpupoor/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            LOG.fine("no version: " + e);
        }
        return "dev";
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java")
                .fileExtension(".jsh")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
    }

    @Override
    public String getBanner() {
        return "gpu_poor for the JVM " + version + " (JShell, Java " + Runtime.version() + ")\n"
                + "Can my GPU run this LLM, how fast, and what will fine-tuning cost?";
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        this.connection = connection instanceof KernelConnection k ? k : null;
        this.outbox = new Outbox(connection.getIOPub());
        // a cell thread an interrupt could not stop prints into no later cell
        outbox.mute(t -> evaluator.isDone() && !evaluator.isCompletedExceptionally() && evaluator.join().isAbandoned(t));
        this.cellOut = new PrintStream(outbox.stdout(), true, StandardCharsets.UTF_8);
        this.cellErr = new PrintStream(outbox.stderr(), true, StandardCharsets.UTF_8);
        this.widgets = new WidgetComms(outbox, value -> Renderers.render(getRenderer(), value), this::runCallback);
        Widgets.use(widgets);
        widgets.register(getRenderer());
        // jjava-jupyter 1.0-a6's CommManager cannot carry the widget protocol (see WidgetComms)
        connection.setHandler(MessageType.COMM_OPEN_COMMAND, (env, m) -> onComm(env, m, () -> widgets.handleOpen(env, m)));
        connection.setHandler(MessageType.COMM_MSG_COMMAND, (env, m) -> onComm(env, m, () -> widgets.handleMessage(env, m)));
        connection.setHandler(MessageType.COMM_CLOSE_COMMAND, (env, m) -> onComm(env, m, () -> widgets.handleClose(env, m)));
        connection.setHandler(MessageType.COMM_INFO_REQUEST, (env, m) -> {
            env.setBusyDeferIdle();
            widgets.handleInfo(env, m);
        });
    }

    /** Handles a comm message: what it causes is published with it as the parent, before idle. */
    private void onComm(ShellReplyEnvironment env, Message<?> message, Runnable handler) {
        env.setBusyDeferIdle();
        outbox.begin(message);
        try {
            handler.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot handle a " + message.getHeader().getType().getName() + " message", e);
        } finally {
            outbox.end();
        }
    }

    /**
     * Runs a widget observer (user code) as a cell runs: on a stoppable cell thread, with
     * System.out/err going to the message that triggered it; an exception is printed, not thrown.
     */
    private synchronized void runCallback(ShellReplyEnvironment env, Message<?> trigger, Runnable action) {
        if (!evaluator.isDone() || evaluator.isCompletedExceptionally()) {
            action.run(); // JShell is still starting: the callback cannot be user code yet
            return;
        }
        Runnable restore = redirectStreams();
        running = env;
        try {
            evaluator.join().runCallback(action);
        } catch (CellError e) {
            cellErr.println(String.join("\n", e.traceback()));
        } finally {
            running = null;
            restore.run();
        }
    }

    /** Points System.out and System.err at the running request; the returned action flushes and restores them. */
    private Runnable redirectStreams() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(cellOut);
        System.setErr(cellErr);
        return () -> {
            cellOut.flush();
            cellErr.flush();
            System.setOut(out);
            System.setErr(err);
        };
    }

    // ---- protocol handlers --------------------------------------------------------------------

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> request) {
        env.setBusyDeferIdle();
        env.reply(Replies.kernelInfo(request, name, version, languageInfo, getBanner()));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> request) {
        env.setBusyDeferIdle();
        env.reply(Replies.history(request, history));
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : executionCount.get();
        env.setBusyDeferIdle();
        outbox.begin(message);
        if (!silent) {
            outbox.publish(new PublishExecuteInput(request.getCode(), count));
        }
        Runnable restore = redirectStreams();
        InputStream in = System.in;
        System.setIn(cellIO.in);
        cellIO.attach(env, request.isStdinEnabled());
        interruptedWhileStarting = false;
        running = env;
        pages.clear();
        Map<String, Object> reply = new LinkedHashMap<>();
        String output = null;
        try {
            CellEvaluator cells = cells();
            reportStartupProblems();
            CellResult result = cells.eval(request.getCode(), "cell [" + count + "]");
            if (result.hasValue()) {
                DisplayData data = render(result.value());
                output = String.valueOf(data.getData(MIMEType.TEXT_PLAIN));
                if (!silent) {
                    outbox.publish(new PublishExecuteResult(count, data));
                }
            }
            reply.put("status", "ok");
            reply.put("execution_count", count);
            reply.put("user_expressions", userExpressions(cells, request.getUserExpr()));
            reply.put("payload", List.copyOf(pages));
        } catch (CellError e) {
            fail(env, request, count, reply, e);
        } catch (RuntimeException | LinkageError | StackOverflowError | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "kernel failure while running a cell", e);
            fail(env, request, count, reply, new CellError("KernelError", String.valueOf(e),
                    List.of("KernelError: the kernel failed while running the cell: " + e)));
        } finally {
            running = null;
            restore.run();
            System.setIn(in);
            cellIO.detach(env);
            outbox.end();
        }
        if ("OutOfMemoryError".equals(reply.get("ename"))) {
            heapTrim.afterOutOfMemory();
        } else {
            heapTrim.afterCell();
        }
        if (store) {
            history.add(count, request.getCode(), output);
        }
        env.defer().reply(MapReply.of(message, ExecuteReply.MESSAGE_TYPE, reply));
    }

    private void fail(ShellReplyEnvironment env, ExecuteRequest request, int count, Map<String, Object> reply, CellError e) {
        cellOut.flush();
        cellErr.flush();
        outbox.publish(new PublishError(e.name(), e.getMessage(), e.traceback()));
        reply.put("status", "error");
        reply.put("execution_count", count);
        reply.put("ename", e.name());
        reply.put("evalue", e.getMessage());
        reply.put("traceback", e.traceback());
        if (request.shouldStopOnError() && connection != null) {
            connection.abortQueuedCells();
        }
    }

    /** Renders a cell's value; a renderer failure becomes a cell error. */
    private DisplayData render(Object value) {
        if (value == null) {
            return new DisplayData("null");
        }
        try {
            return Renderers.render(getRenderer(), value);
        } catch (RuntimeException | StackOverflowError e) {
            String what = value.getClass().getName();
            throw new CellError("RenderError", "cannot show the " + what + ": " + e,
                    List.of("RenderError: cannot show the " + what + " value: " + e));
        }
    }

    private Map<String, Object> userExpressions(CellEvaluator cells, Map<String, String> expressions) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (expressions == null) {
            return out;
        }
        expressions.forEach((key, expr) -> {
            try {
                CellResult r = cells.eval(expr, "user expression " + key);
                out.put(key, new ExpressionResult(r.hasValue() ? render(r.value()) : new DisplayData("")));
            } catch (CellError e) {
                out.put(key, Map.of("status", "error", "ename", e.name(), "evalue", e.getMessage(),
                        "traceback", e.traceback()));
            }
        });
        return out;
    }

    private void reportStartupProblems() {
        List<String> problems = startupProblems;
        if (!problems.isEmpty()) {
            startupProblems = List.of();
            System.err.println("warning: part of the notebook prelude failed; the kernel log has the details:");
            problems.forEach(p -> System.err.println("  " + p));
        }
    }

    /** Publishes {@code clear_output} for the running cell; with {@code wait}, when the next output arrives. */
    void clearOutput(boolean wait) {
        if (running != null) {
            outbox.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    /** Shows display data in the running cell's output, after what it printed before. */
    @Override
    public void display(DisplayData data) {
        if (running != null) {
            outbox.publish(new PublishDisplayData(data));
        }
    }

    /** Shows display data in the front end's pager, through the running cell's reply. */
    void page(DisplayData data) {
        if (running != null) {
            pages.add(new PagePayload(data));
        }
    }

    // ---- BaseKernel's evaluation API ----------------------------------------------------------

    @Override
    public Object evalRaw(String source) {
        return cells().eval(source, "eval").value();
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<CellEvaluator.Documentation> docs = cells().documentation(code, charIndex(code, at));
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (CellEvaluator.Documentation d : docs) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(d.signature());
            String javadoc = JavadocText.plain(d.javadoc());
            if (!javadoc.isEmpty()) {
                text.append("\n").append(javadoc);
            }
        }
        return new DisplayData(text.toString());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellEvaluator.Completion c = cells().complete(code, charIndex(code, at));
        return new ReplacementOptions(c.matches(), codePoints(code, c.start()), codePoints(code, c.end()));
    }

    @Override
    public String isComplete(String code) {
        return cells().isComplete(code);
    }

    @Override
    public void interrupt() {
        if (running == null) {
            return; // nothing runs; the next cell (or widget callback) must not be interrupted
        }
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().interrupt();
        } else {
            interruptedWhileStarting = true;
        }
    }

    /** Jupyter counts cursor positions in code points; Java strings index UTF-16 chars. */
    private static int charIndex(String code, int codePoints) {
        try {
            return code.offsetByCodePoints(0, Math.min(codePoints, code.codePointCount(0, code.length())));
        } catch (IndexOutOfBoundsException e) {
            return code.length();
        }
    }

    private static int codePoints(String code, int charIndex) {
        return code.codePointCount(0, Math.min(charIndex, code.length()));
    }

    /** An {@code execute_reply} payload that asks the front end to show a MIME bundle in its pager. */
    private static final class PagePayload extends DisplayData {
        @SuppressWarnings("unused") // serialized by Gson
        private final String source = "page";
        @SuppressWarnings("unused")
        private final int start = 0;

        PagePayload(DisplayData data) {
            super(data);
        }
    }

    /** A user expression's value as the protocol wants it: its MIME bundle plus {@code status: ok}. */
    private static final class ExpressionResult extends DisplayData {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";

        ExpressionResult(DisplayData data) {
            super(data);
        }
    }
}
