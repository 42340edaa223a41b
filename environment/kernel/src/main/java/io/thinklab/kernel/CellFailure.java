package io.thinklab.kernel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell that failed, as Jupyter's {@code error} output shows it: a name, a message and readable trace lines.
 *
 * <p>Traces keep the user's frames and cut the kernel's: everything from the reflective call that ran the snippet
 * down is dropped, and JShell's generated class names ({@code REPL.$JShell$12}) read as "cell".
 */
final class CellFailure extends RuntimeException {
    static final String RED = "\u001b[0;31m";
    static final String RESET = "\u001b[0m";

    final String ename;
    final String evalue;
    final List<String> traceback;

    CellFailure(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = traceback;
    }

    static CellFailure interrupted(boolean abandoned) {
        String msg = "the cell was stopped by an interrupt";
        if (!abandoned) return new CellFailure("Interrupted", msg, List.of(RED + "Interrupted: " + msg + RESET));
        String more = "its thread ignored the stop (it catches ThreadDeath or Throwable) and still runs;"
                + " restart the kernel to free the CPU";
        return new CellFailure("Interrupted", msg + "; " + more, List.of(RED + "Interrupted: " + msg + RESET, more));
    }

    static CellFailure of(Throwable t) {
        if (t instanceof CellFailure f) return f;
        List<String> lines = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable cur = t;
        boolean first = true;
        while (cur != null && !seen.containsKey(cur)) {
            seen.put(cur, true);
            lines.add((first ? RED : RED + "Caused by: ") + cur + RESET);
            for (StackTraceElement e : cur.getStackTrace()) {
                if (isKernelBoundary(e)) break;
                lines.add("    at " + frame(e));
            }
            first = false;
            cur = cur.getCause();
        }
        String name = t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
        return new CellFailure(name, t.getMessage() == null ? "" : t.getMessage(), lines);
    }

    /** The first frame that belongs to the kernel, not to the user's code: the reflective call of the snippet. */
    private static boolean isKernelBoundary(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.equals("java.lang.reflect.Method")
                || c.startsWith("io.thinklab.kernel.") || c.startsWith("jdk.jshell.");
    }

    static String frame(StackTraceElement e) {
        String c = e.getClassName();
        if (c.startsWith("REPL.$JShell$")) {
            String where = e.getMethodName().equals("do_it$") ? "cell" : "cell " + e.getMethodName();
            String snippet = c.substring("REPL.$JShell$".length());
            int dollar = snippet.indexOf('$');
            if (dollar >= 0) snippet = snippet.substring(0, dollar);
            // line numbers count lines of JShell's generated wrapper, not of the cell: leave them out
            return where + " (snippet " + snippet + ")";
        }
        return e.toString();
    }
}
