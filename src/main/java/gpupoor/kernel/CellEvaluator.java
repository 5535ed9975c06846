package gpupoor.kernel;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Evaluates notebook cells with JShell in the kernel's JVM. A cell is split into snippets
 * (statements, declarations, expressions) that run in order; the first failure stops the cell and
 * becomes a {@link CellError} that points at the cell line. Also answers completion, inspection
 * and "is this code complete?" questions for the snippet under the cursor.
 */
final class CellEvaluator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CellEvaluator.class.getName());

    /** The jshell tool's default imports, so that a notebook starts with what {@code jshell} starts with. */
    static final List<String> DEFAULT_IMPORTS = List.of("java.io.*", "java.math.*", "java.net.*", "java.nio.file.*",
            "java.util.*", "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*", "java.util.regex.*",
            "java.util.stream.*");

    /** Where the jar keeps the API's source files, for javadoc in inspection. */
    static final String BUNDLED_SOURCES = "jshell-sources";
    /** Stack frames shown for an exception before "... n more". */
    private static final int MAX_FRAMES = 24;
    /** Stack frames shown for each "Caused by". */
    private static final int MAX_CAUSE_FRAMES = 8;
    private static final Object NO_VALUE = new Object();

    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final ClassPathIndexing indexing;
    private final InProcessExecutionControl control;
    /** Where each snippet's source came from, by snippet id, for error reports. */
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    /** An empty directory, added to the class path to reset the compiler ({@link #resetCompiler()}). */
    private java.nio.file.Path emptyDirectory;
    /** Whether {@link #addBundledSources()} ran (on the first inspection: opening the jar takes ~0.1 s). */
    private boolean bundledSources;

    private CellEvaluator(JShell shell, InProcessExecutionControl control) {
        this.shell = shell;
        this.analysis = shell.sourceCodeAnalysis();
        this.indexing = ClassPathIndexing.hold(analysis);
        this.control = control;
    }

    /** Starts a JShell whose snippets run in this JVM, with the jshell tool's default imports. */
    static CellEvaluator start() {
        InProcessExecutionControl control = new InProcessExecutionControl(
                new SnippetLoader(CellEvaluator.class.getClassLoader()));
        JShell shell = JShell.builder()
                .executionEngine(control.provider(), Map.of())
                .build();
        CellEvaluator evaluator = new CellEvaluator(shell, control);
        for (String pkg : DEFAULT_IMPORTS) {
            evaluator.eval("import " + pkg + ";", "default imports");
        }
        return evaluator;
    }

    /**
     * Lets inspection show the javadoc of the project's API (calc, catalog, DSL, Display). JShell
     * reads javadoc only from source files on its private list of source locations (the JDK's
     * {@code src.zip}); the jar carries the API's sources under {@value #BUNDLED_SOURCES}, and this
     * appends that folder to the list. It needs {@code --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED}
     * (in the kernelspec); without it, inspection shows signatures only.
     */
    @SuppressWarnings("unchecked")
    private void addBundledSources() {
        java.net.URL root = CellEvaluator.class.getClassLoader().getResource(BUNDLED_SOURCES);
        if (root == null) {
            return;
        }
        try {
            java.net.URI uri = root.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    java.nio.file.FileSystems.getFileSystem(uri);
                } catch (java.nio.file.FileSystemNotFoundException e) {
                    java.nio.file.FileSystems.newFileSystem(uri, Map.of());
                }
            }
            java.lang.reflect.Method find = analysis.getClass().getDeclaredMethod("findSources");
            java.lang.reflect.Field sources = analysis.getClass().getDeclaredField("availableSources");
            find.setAccessible(true);
            sources.setAccessible(true);
            List<java.nio.file.Path> all = new ArrayList<>((List<java.nio.file.Path>) find.invoke(analysis));
            all.add(java.nio.file.Path.of(uri));
            sources.set(analysis, all);
        } catch (ReflectiveOperationException | RuntimeException | java.io.IOException | java.net.URISyntaxException e) {
            LOG.fine(() -> "inspection shows signatures only, no project javadoc: " + e);
        }
    }

    /**
     * Runs a startup script snippet by snippet. A snippet that fails is logged and reported, and the
     * rest still run, so one bad line does not leave the session without the others.
     *
     * @return one message per failed snippet (empty when all ran)
     */
    List<String> runScript(String script, String origin) {
        List<String> problems = new ArrayList<>();
        indexing.hold();
        Split split = split(script);
        for (Piece piece : split.pieces()) {
            try {
                evalPiece(piece, script, origin);
            } catch (CellError e) {
                problems.add(origin + " line " + lineOf(script, piece.offset()) + ": " + String.join("\n", e.traceback()));
            }
        }
        indexing.releaseWhenIdle();
        if (split.incomplete() != null) {
            problems.add(origin + " line " + lineOf(script, split.incompleteOffset()) + ": ends in the middle of a statement");
        }
        problems.forEach(p -> LOG.warning("startup snippet failed: " + p));
        return problems;
    }

    /**
     * Evaluates a cell: each snippet in order, stopping at the first failure.
     *
     * @param code   the cell text
     * @param origin how error reports name the cell, e.g. {@code cell [3]}
     * @return the value of the last snippet if it is an expression
     * @throws CellError when a snippet does not compile, throws, or the cell is interrupted or incomplete
     */
    CellResult eval(String code, String origin) {
        control.beginCell();
        indexing.hold();
        try {
            Split split = split(code);
            if (split.incomplete() != null) {
                int line = lineOf(code, split.incompleteOffset());
                throw new CellError("IncompleteCode", "the cell ends in the middle of a statement",
                        List.of("IncompleteCode: the cell ends in the middle of a statement (a missing ')', '}' or ';'?)",
                                origin + ", line " + line + ":", "    " + lineText(code, split.incompleteOffset())));
            }
            CellResult result = CellResult.NONE;
            for (Piece piece : split.pieces()) {
                result = evalPiece(piece, code, origin);
            }
            return result;
        } finally {
            indexing.releaseWhenIdle();
        }
    }

    private CellResult evalPiece(Piece piece, String text, String origin) {
        List<SnippetEvent> events = shell.eval(LongLiterals.rewrite(piece.source()));
        Snippet temporary = null;
        try {
            CellResult result = CellResult.NONE;
            for (SnippetEvent event : events) {
                if (event.causeSnippet() != null) {
                    continue;
                }
                Snippet snippet = event.snippet();
                origins.put(snippet.id(), new Origin(origin, lineOf(text, piece.offset())));
                if (snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                    temporary = snippet;
                }
                if (event.exception() != null) {
                    throw runtimeError(event.exception(), control.takeFailure());
                }
                if (!event.status().isDefined()) {
                    throw compileError(snippet, piece, text, origin);
                }
                if (event.status() == Snippet.Status.RECOVERABLE_DEFINED && snippet instanceof DeclarationSnippet d) {
                    System.err.println("note: " + d.name() + " can be used once "
                            + shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) + " is declared");
                }
                result = switch (snippet.subKind()) {
                    case VAR_VALUE_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND, OTHER_EXPRESSION_SUBKIND -> {
                        Object value = control.takeValue(event.value(), NO_VALUE);
                        yield value == NO_VALUE ? CellResult.NONE : new CellResult(true, value);
                    }
                    default -> CellResult.NONE;
                };
            }
            return result;
        } finally {
            control.dropValues();
            forget(temporary);
        }
    }

    /**
     * Drops the variable JShell declared for an expression's value ({@code $1}, {@code $2}, ...) and
     * lets go of the value: the kernel shows the value itself and never names these variables.
     * JShell compiles every later snippet with an import of each live declaration (reading its class
     * again each time), so each kept {@code $n} made every later cell slower, and its static field
     * kept the value (a table of a million rows, a chart) from ever being collected.
     */
    private void forget(Snippet temporary) {
        if (temporary == null) {
            return;
        }
        if (shell.status(temporary).isActive()) {
            shell.drop(temporary);
        }
        if (temporary instanceof VarSnippet v) {
            try {
                java.lang.reflect.Method className = Snippet.class.getDeclaredMethod("classFullName");
                className.setAccessible(true);
                Class<?> wrapper = control.classLoader().loadClass((String) className.invoke(v));
                java.lang.reflect.Field field = wrapper.getDeclaredField(v.name());
                if (!field.getType().isPrimitive()) {
                    field.setAccessible(true);
                    field.set(null, null);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.fine(() -> "the value of " + v.name() + " stays reachable: " + e);
            }
        }
    }

    private CellError compileError(Snippet snippet, Piece piece, String text, String origin) {
        List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).toList();
        List<String> lines = new ArrayList<>();
        String first;
        if (errors.isEmpty()) {
            String missing = snippet instanceof DeclarationSnippet d
                    ? shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) : "";
            first = missing.isEmpty() ? "the snippet was not accepted"
                    : snippetName(snippet) + " cannot be defined until " + missing + " is declared";
            lines.add("CompileError: " + first);
            lines.add(origin + ", line " + lineOf(text, piece.offset()) + ":");
            lines.add("    " + lineText(text, piece.offset()));
        } else if (errors.stream().anyMatch(CellEvaluator::constantTooLong)) {
            resetCompiler();
            first = "a string constant is longer than 65,535 bytes, the most a Java class file holds; "
                    + "build it when the code runs (e.g. String.join or a StringBuilder) or read it from a file";
            lines.add("CompileError: " + first);
            lines.add(origin + ", line " + lineOf(text, piece.offset()) + ":");
            lines.add("    " + abbreviate(lineText(text, piece.offset())));
        } else {
            first = message(errors.get(0)).lines().findFirst().orElse("");
            for (Diag d : errors) {
                int start = piece.offset() + (int) Math.max(0, d.getStartPosition());
                int end = piece.offset() + (int) Math.max(d.getStartPosition() + 1, d.getEndPosition());
                lines.add("CompileError: " + message(d));
                lines.add(origin + ", line " + lineOf(text, start) + ":");
                lines.add("    " + lineText(text, start));
                lines.add("    " + caret(text, start, end));
            }
        }
        return new CellError("CompileError", first, lines);
    }

    /**
     * Gives JShell fresh javac instances. javac folds constant expressions ({@code "a" + "b"}) into
     * one constant; when that is over 65,535 bytes the class writer fails, and JShell's pooled javac
     * context ({@code JavacTaskPool}) keeps the broken constant pool, so every later snippet fails
     * with the same error. {@code JShell.addToClasspath} is the public call that makes JShell's
     * {@code TaskFactory} start a new pool; the path it adds is an empty directory.
     */
    private void resetCompiler() {
        try {
            if (emptyDirectory == null) {
                emptyDirectory = java.nio.file.Files.createTempDirectory("gpupoor-jshell");
                emptyDirectory.toFile().deleteOnExit();
            }
            shell.addToClasspath(emptyDirectory.toString());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warning("cannot reset the Java compiler after a too long string constant: " + e);
        }
    }

    /** javac's "constant string too long" (or the class writer's constant pool message). */
    private static boolean constantTooLong(Diag d) {
        String m = d.getMessage(Locale.ROOT);
        return m.contains("constant string too long") || m.contains("too long for the constant pool");
    }

    /** A source line cut to 200 characters for an error report. */
    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "... (" + line.length() + " characters)";
    }

    /** A diagnostic's text without javac's "location: class" line, which names JShell's hidden wrapper. */
    private static String message(Diag d) {
        return d.getMessage(Locale.ROOT).lines()
                .filter(l -> !l.strip().matches("location: class\\s*"))
                .collect(Collectors.joining("\n"));
    }

    private static String snippetName(Snippet snippet) {
        return snippet instanceof DeclarationSnippet d ? d.name() : snippet.source().strip();
    }

    private CellError runtimeError(JShellException e, Throwable thrown) {
        if (e instanceof EvalException ee && InProcessExecutionControl.INTERRUPTED.equals(ee.getExceptionClassName())) {
            if (control.interruptedButStillRunning()) {
                String why = "the cell was interrupted, but its code ignores interrupts and could not be stopped on Java "
                        + Runtime.version().feature() + "; it goes on in the background with its output hidden."
                        + " Restart the kernel to end it.";
                return new CellError("Interrupted", why, List.of("Interrupted: " + why));
            }
            return new CellError("Interrupted", "the cell was interrupted",
                    List.of("Interrupted: the cell was interrupted"));
        }
        List<String> lines = new ArrayList<>();
        String name;
        String message;
        if (e instanceof UnresolvedReferenceException ure) {
            DeclarationSnippet d = ure.getSnippet();
            name = "UnresolvedReference";
            message = d.name() + " cannot be used until "
                    + shell.unresolvedDependencies(d).collect(Collectors.joining(", ")) + " is declared";
            lines.add(name + ": " + message);
        } else {
            String className = thrown != null ? thrown.getClass().getName()
                    : e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
            name = className.substring(className.lastIndexOf('.') + 1);
            message = thrown != null ? thrown.getMessage() : e.getMessage();
            lines.add(message == null ? className : className + ": " + message);
        }
        StackTraceElement[] frames = e.getStackTrace();
        int i = 0;
        int shownLines = 0;
        while (i < frames.length && shownLines < MAX_FRAMES) {
            String text = frame(frames[i]);
            int repeat = 1;
            while (i + repeat < frames.length && frames[i + repeat].equals(frames[i])) {
                repeat++;
            }
            lines.add("    at " + text + (repeat > 1 ? "  [" + repeat + " times]" : ""));
            shownLines++;
            i += repeat;
        }
        if (i < frames.length) {
            lines.add("    ... " + (frames.length - i) + " more");
        }
        Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable cause = thrown == null ? null : thrown.getCause(); cause != null && seen.add(cause);
             cause = cause.getCause()) {
            lines.add("Caused by: " + cause);
            StackTraceElement[] cf = cause.getStackTrace();
            int shown = 0;
            while (shown < cf.length && shown < MAX_CAUSE_FRAMES && !cf[shown].getClassName().startsWith("REPL.")) {
                lines.add("    at " + cf[shown++]);
            }
            if (shown < cf.length) {
                lines.add("    ... " + (cf.length - shown) + " more");
            }
        }
        return new CellError(name, message == null ? "" : message, lines);
    }

    /** A stack frame; JShell names snippet frames {@code #id}, which become the cell and line they came from. */
    private String frame(StackTraceElement f) {
        String file = f.getFileName();
        if (file == null || !file.startsWith("#")) {
            return f.toString();
        }
        Origin origin = origins.get(file.substring(1));
        String where = origin == null ? "snippet " + file : origin.name() + ", line " + (origin.firstLine() + f.getLineNumber() - 1);
        String method = f.getClassName().isEmpty() ? f.getMethodName()
                : f.getClassName() + (f.getMethodName().isEmpty() ? "" : "." + f.getMethodName());
        return method.isEmpty() ? where : method + " (" + where + ")";
    }

    /**
     * Completions for the snippet under the cursor (a cell holds several snippets).
     *
     * @return the matches and the range of {@code code} they replace
     */
    Completion complete(String code, int cursor) {
        indexing.release();
        int start = snippetStart(code, cursor);
        String snippet = code.substring(start, cursor);
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(snippet, snippet.length(), anchor);
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(Suggestion::matchesType).forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return new Completion(List.copyOf(matches), start + anchor[0], cursor);
    }

    /**
     * Signatures and javadoc of what is at the cursor: a method call (cursor after its '(' or on its
     * name), a class, a variable.
     *
     * @return one entry per overload; empty when nothing is known there
     */
    List<Documentation> documentation(String code, int cursor) {
        indexing.release();
        if (!bundledSources) {
            bundledSources = true;
            addBundledSources();
        }
        int start = snippetStart(code, cursor);
        String snippet = code.substring(start, cursor);
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, snippet.length(), true);
        if (docs.isEmpty()) {
            int end = cursor;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
                end++;
            }
            String call = code.substring(start, end) + "(";
            docs = analysis.documentation(call, call.length(), true);
        }
        return docs.stream().map(d -> new Documentation(d.signature(), d.javadoc())).toList();
    }

    /**
     * Whether the code is ready to run: {@code complete}, {@code invalid}, or (incomplete) the
     * indentation for the next line.
     */
    String isComplete(String code) {
        String rest = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    if (info.remaining().isBlank()) {
                        return "complete";
                    }
                    rest = info.remaining();
                }
                case EMPTY -> {
                    return "complete";
                }
                case UNKNOWN -> {
                    return "invalid";
                }
                default -> {
                    return indentAfter(info.remaining());
                }
            }
        }
    }

    /**
     * Runs a widget callback (user code a front-end change triggers) on a cell thread, so that an
     * interrupt stops it as it stops a cell.
     *
     * @throws CellError when the callback throws or is interrupted
     */
    void runCallback(Runnable action) {
        control.beginCell();
        try {
            control.threads().run(() -> {
                action.run();
                return null;
            });
        } catch (CellThreads.Interrupted e) {
            throw new CellError("Interrupted", "the widget callback was interrupted",
                    List.of("Interrupted: the widget callback was interrupted"));
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause() == null ? e : e.getCause();
            List<String> lines = new ArrayList<>();
            lines.add("A widget callback failed: " + t);
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_CAUSE_FRAMES); i++) {
                lines.add("    at " + frame(frames[i]));
            }
            String name = t.getClass().getSimpleName();
            throw new CellError(name, String.valueOf(t.getMessage()), lines);
        }
    }

    /** Whether the thread runs cell code that an interrupt could not stop (its output is dropped). */
    boolean isAbandoned(Thread thread) {
        return control.threads().isAbandoned(thread);
    }

    /** Interrupts the cell being evaluated: its running snippet is cancelled and no later snippet runs. */
    void interrupt() {
        control.interrupt();
    }

    @Override
    public void close() {
        shell.close();
    }

    /** Where the snippet that contains the cursor starts: after the last complete snippet before it. */
    private int snippetStart(String code, int cursor) {
        String before = code.substring(0, Math.max(0, Math.min(cursor, code.length())));
        int start = 0;
        String rest = before;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                break;
            }
            start += rest.length() - info.remaining().length();
            rest = info.remaining();
        }
        int ws = 0;
        while (ws < rest.length() && Character.isWhitespace(rest.charAt(ws))) {
            ws++;
        }
        return start + ws;
    }

    /** Splits code into complete snippets, each with its offset, plus an incomplete tail if any. */
    private Split split(String code) {
        List<Piece> pieces = new ArrayList<>();
        int offset = 0;
        String rest = code;
        while (true) {
            int ws = 0;
            while (ws < rest.length() && Character.isWhitespace(rest.charAt(ws))) {
                ws++;
            }
            offset += ws;
            rest = rest.substring(ws);
            if (rest.isEmpty()) {
                return new Split(pieces, null, offset);
            }
            CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    pieces.add(new Piece(info.source(), offset));
                    offset += rest.length() - info.remaining().length();
                    rest = info.remaining();
                }
                case EMPTY -> {
                    return new Split(pieces, null, offset);
                }
                case UNKNOWN -> {
                    // Not valid Java: the snippet is the first lines that are (the compiler will say
                    // what is wrong); what follows is split as usual.
                    String bad = unknownPrefix(rest);
                    pieces.add(new Piece(bad, offset));
                    offset += bad.length();
                    rest = rest.substring(bad.length());
                }
                default -> {
                    return new Split(pieces, rest, offset);
                }
            }
        }
    }

    /** The shortest run of whole lines at the start of {@code text} that JShell finds invalid, or all of it. */
    private String unknownPrefix(String text) {
        int end = text.indexOf('\n');
        while (end >= 0) {
            String lines = text.substring(0, end);
            if (analysis.analyzeCompletion(lines).completeness() == SourceCodeAnalysis.Completeness.UNKNOWN) {
                return lines;
            }
            end = text.indexOf('\n', end + 1);
        }
        return text;
    }

    private static String indentAfter(String partial) {
        String[] lines = partial.split("\n", -1);
        String last = lines.length == 0 ? "" : lines[lines.length - 1];
        if (last.isBlank() && lines.length > 1) {
            last = lines[lines.length - 2];
        }
        int ws = 0;
        while (ws < last.length() && (last.charAt(ws) == ' ' || last.charAt(ws) == '\t')) {
            ws++;
        }
        String indent = last.substring(0, ws);
        long opened = last.chars().filter(c -> c == '{' || c == '(').count()
                - last.chars().filter(c -> c == '}' || c == ')').count();
        return opened > 0 ? indent + "    " : indent;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String lineText(String text, int offset) {
        int at = Math.min(offset, text.length());
        int start = text.lastIndexOf('\n', at - 1) + 1;
        int end = text.indexOf('\n', at);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static String caret(String text, int start, int end) {
        int at = Math.min(start, text.length());
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int lineEnd = text.indexOf('\n', at);
        int stop = Math.max(at + 1, Math.min(end, lineEnd < 0 ? text.length() : lineEnd));
        StringBuilder sb = new StringBuilder();
        for (int i = lineStart; i < at; i++) {
            sb.append(text.charAt(i) == '\t' ? '\t' : ' ');
        }
        sb.append('^');
        sb.append("~".repeat(Math.max(0, stop - at - 1)));
        return sb.toString();
    }

    /** A snippet of a cell and where it starts in the cell. */
    private record Piece(String source, int offset) {
    }

    /** A cell split into snippets; {@code incomplete} is the unfinished tail, or null. */
    private record Split(List<Piece> pieces, String incomplete, int incompleteOffset) {
    }

    /** Where a snippet came from: the cell (or script) name and the line it starts on. */
    private record Origin(String name, int firstLine) {
    }

    /**
     * Completion matches and the range of the cell they replace.
     *
     * @param matches the replacement texts, best first
     * @param start   first replaced character
     * @param end     end of the replaced range (the cursor)
     */
    record Completion(List<String> matches, int start, int end) {
    }

    /**
     * What inspection shows for one declaration.
     *
     * @param signature the declaration, e.g. {@code int Math.max(int a, int b)}
     * @param javadoc   its javadoc as text, or null when the source is not available
     */
    record Documentation(String signature, String javadoc) {
    }
}
