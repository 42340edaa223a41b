package io.thinklab.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Jupyter starts: {@code java -cp <kernel and library jars> io.thinklab.kernel.KernelMain <connection-file>}
 * (the kernelspec that {@code environment/lab} installs writes exactly that).
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain <jupyter connection file>");
            System.exit(2);
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        ExitGuard.install();
        GuardedConnection connection = new GuardedConnection(props);
        JavaKernel kernel = new JavaKernel();
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        connection.connect();
        connection.waitUntilClose();
        ExitGuard.allowExit();
        System.exit(0);
    }
}
