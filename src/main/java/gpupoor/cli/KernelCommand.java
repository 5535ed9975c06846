package gpupoor.cli;

import gpupoor.kernel.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kernel CONNECTION_FILE}: runs the Jupyter kernel (Jupyter starts it from the installed kernelspec). */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = {"Run the Jupyter kernel on the sockets named in CONNECTION_FILE.",
                "Jupyter starts it from the kernelspec that 'install' writes; arguments after the file are ignored."})
public final class KernelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONNECTION_FILE", description = "The connection file Jupyter writes for the kernel.")
    Path connectionFile;

    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() {
        Kernel.run(connectionFile);
        return 0;
    }
}
