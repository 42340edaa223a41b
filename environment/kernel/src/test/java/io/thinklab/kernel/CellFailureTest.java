package io.thinklab.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellFailureTest {
    @Test
    void jshellFramesReadAsCells() {
        assertEquals("cell (snippet 12)", CellFailure.frame(new StackTraceElement("REPL.$JShell$12", "do_it$", "#12", 5)));
        assertEquals("cell fib (snippet 7)", CellFailure.frame(new StackTraceElement("REPL.$JShell$7", "fib", "#7", 3)));
    }

    @Test
    void traceStopsAtTheKernel() {
        RuntimeException e = new RuntimeException("boom");
        e.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("REPL.$JShell$3", "do_it$", "#3", 1),
                new StackTraceElement("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", null, -2),
                new StackTraceElement("io.thinklab.kernel.CellExecutionControl", "lambda$invoke$0", null, 40)});
        CellFailure f = CellFailure.of(e);
        assertEquals("RuntimeException", f.ename);
        assertEquals(2, f.traceback.size());
        assertEquals("    at cell (snippet 3)", f.traceback.get(1));
    }
}
