package gpupoor.cli;

import gpupoor.kernel.install.KernelSpecInstaller;
import gpupoor.kernel.install.KernelSpecInstaller.Scope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code install}: installs this jar as a Jupyter kernel (a kernelspec), like {@code jupyter kernelspec install}. */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Install the Jupyter kernel \"Java (gpu_poor)\" for this user or a Python environment.",
                "It writes kernels/NAME (kernel.json, logos, a copy of this jar and an AppCDS archive for a faster",
                "start) under a Jupyter data directory.",
                "Honours JUPYTER_DATA_DIR. Run it again after rebuilding the jar or changing the JDK."})
public final class InstallCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true)
    Where where = new Where();

    /** The mutually exclusive install locations. */
    static final class Where {
        @Option(names = "--user", description = "The user's Jupyter data directory (default).")
        boolean user;
        @Option(names = "--sys-prefix", description = "The active Python environment (VIRTUAL_ENV or CONDA_PREFIX).")
        boolean sysPrefix;
        @Option(names = "--prefix", paramLabel = "DIR", description = "DIR/share/jupyter.")
        Path prefix;
    }

    @Option(names = "--name", paramLabel = "NAME", description = "Kernelspec name (default: ${DEFAULT-VALUE}).")
    String name = KernelSpecInstaller.DEFAULT_NAME;

    @Option(names = "--no-cds", description = "Skip the AppCDS archive (saves a few seconds; the kernel then starts slower).")
    boolean noCds;

    @Override
    public Integer call() throws Exception {
        KernelSpecInstaller installer = new KernelSpecInstaller(System.getenv());
        Scope scope = where.prefix != null ? Scope.PREFIX : where.sysPrefix ? Scope.SYS_PREFIX : Scope.USER;
        Path data = installer.dataDirectory(scope, where.prefix);
        String kernelName = KernelSpecInstaller.checkName(name);
        KernelSpecInstaller.Result r = installer.install(data, kernelName, KernelSpecInstaller.runningJar(), !noCds);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Installed kernelspec " + kernelName + " in " + r.directory());
        out.println("  " + String.join(" ", r.argv()));
        out.println("  AppCDS archive: " + (r.cdsArchive() ? "yes, " : "no, ") + r.cdsNote());
        out.println("Start Jupyter and choose the kernel \"Java (gpu_poor)\", or: jupyter console --kernel " + kernelName);
        out.flush();
        return 0;
    }
}
