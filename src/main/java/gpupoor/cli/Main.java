package gpupoor.cli;

import gpupoor.calc.InvalidScenarioException;
import gpupoor.args.ScenarioArgs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point: {@code java -jar gpupoor.jar <command> [options]}. */
@Command(name = "gpupoor", mixinStandardHelpOptions = true, version = "gpupoor 0.1.0",
        description = "Can my GPU run this LLM, how fast, and what will fine-tuning cost?",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input (unknown names, rejected combinations, malformed values). */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 2 bad input, 1 other failure). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line with every subcommand. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : Subcommands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof InvalidScenarioException e) {
                line.getErr().println("error: " + e.in(ScenarioArgs.STYLE).getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof IllegalArgumentException) {
                line.getErr().println("error: " + ex.getMessage());
                return BAD_INPUT;
            }
            line.getErr().println("error: " + ex);
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
