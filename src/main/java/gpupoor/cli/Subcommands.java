package gpupoor.cli;

import java.util.List;

/** The subcommands of {@link Main}, one line each. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                new EstimateCommand(),
                new SweepCommand(),
                new FitCommand(),
                new ValidateCommand(),
                new ListCommand(),
                new InstallCommand(),
                new KernelCommand(),
                new InspectCommand());
    }
}
