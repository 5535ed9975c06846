package gpupoor.cli;

import gpupoor.calc.Names;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.args.ScenarioArgs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The command-line entry point: {@code java -jar gpupoor.jar <command> [options]}. Exit codes: 0
 * done, 2 bad input (one line on stderr saying which input, what was wrong and what is accepted;
 * for a file of rows, after every row was answered), 1 a failure of the calculator itself. Errors
 * never show a Java stack trace unless {@code --debug} is given.
 */
@Command(name = "gpupoor", mixinStandardHelpOptions = true, version = "gpupoor 0.1.0",
        description = "Can my GPU run this LLM, how fast, and what will fine-tuning cost?",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input (unknown names, rejected combinations, malformed values). */
    public static final int BAD_INPUT = 2;

    /** Exit code for a failure of the calculator itself (a bug, or the machine running out of memory). */
    public static final int FAILURE = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, also print the Java stack trace (for a bug report).")
    boolean debug;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 2 bad input, 1 other failure). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs the command line writing to {@code out} and {@code err} (null: stdout and stderr) and
     * returns its exit code.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Main main = new Main();
        CommandLine cl = commandLine(main);
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        try {
            return cl.execute(args);
        } catch (Throwable t) {
            // an Error (out of memory, stack overflow) passes picocli's handlers
            return failure(t, cl.getErr(), main.debug || java.util.Arrays.asList(args).contains("--debug"));
        }
    }

    /** The configured command line with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine(new Main());
    }

    private static CommandLine commandLine(Main main) {
        CommandLine cl = new CommandLine(main);
        for (Object sub : Subcommands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (ex instanceof InvalidScenarioException e) {
                err.println("error: " + Names.printable(e.in(ScenarioArgs.STYLE).getMessage()));
                debug(main, ex, err);
                return BAD_INPUT;
            }
            if (ex instanceof IllegalArgumentException && ex.getMessage() != null) {
                // a library's refusal of a value (a chart's, a table's): its words
                err.println("error: " + Names.printable(ex.getMessage()));
                debug(main, ex, err);
                return BAD_INPUT;
            }
            return failure(ex, err, main.debug);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String suggestions = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                suggestions = "; did you mean: " + String.join(", ", u.getSuggestions().subList(0,
                        Math.min(5, u.getSuggestions().size()))) + "?";
            }
            err.println("error: " + Names.printable(ex.getMessage()) + suggestions + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            debug(main, ex, err);
            return BAD_INPUT;
        });
        return cl;
    }

    /** Reports a failure that is not the user's input: one line, the stack trace only with --debug. */
    private static int failure(Throwable t, PrintWriter err, boolean debug) {
        if (t instanceof OutOfMemoryError) {
            err.println("error: out of memory (the Java heap holds at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); give java more with -Xmx, or ask for less");
        } else if (t instanceof IllegalStateException && t.getMessage() != null) {
            // the engine's own assertions ("an estimate is never negative ..."): a bug, in our words
            err.println("error: " + Names.printable(t.getMessage()) + "; please report it (rerun with --debug "
                    + "for the details)");
        } else {
            err.println("error: the calculator failed unexpectedly (a bug); please report it with the command and "
                    + "the output of a rerun with --debug");
        }
        if (debug) {
            t.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /**
     * The path an option names.
     *
     * @throws InvalidScenarioException when the text cannot be a path (a NUL character, say)
     */
    static java.nio.file.Path path(String option, String text) {
        try {
            return java.nio.file.Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidScenarioException(option + " " + text + ": not a usable file path (" + e.getReason() + ")");
        }
    }

    private static void debug(Main main, Throwable t, PrintWriter err) {
        if (main.debug) {
            t.printStackTrace(err);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
