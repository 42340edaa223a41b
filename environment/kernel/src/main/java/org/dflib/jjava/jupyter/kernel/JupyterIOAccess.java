package org.dflib.jjava.jupyter.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

/**
 * ThinkLab's kernel replaces JJava's execute handler (to name errors well and stream output); attaching the cell's
 * stdout, stderr, stdin and display stream to a request is package-private in JJava 1.0-a6, so this one bridge
 * lives in JJava's package. It adds no behaviour.
 */
public final class JupyterIOAccess {
    private JupyterIOAccess() {
    }

    public static void attach(JupyterIO io, ShellReplyEnvironment env, boolean stdinEnabled) {
        io.setEnv(env);
        io.setJupyterInEnabled(stdinEnabled);
    }

    public static void detach(JupyterIO io, ShellReplyEnvironment env) {
        io.retractEnv(env);
    }
}
