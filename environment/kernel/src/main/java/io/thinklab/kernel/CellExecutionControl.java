package io.thinklab.kernel;

import jdk.jshell.execution.LocalExecutionControl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each JShell snippet in this JVM, on a fresh daemon thread that an interrupt can stop.
 *
 * <p>Why our own: JShell's {@code LocalExecutionControl} waits for every thread its snippets ever started (a cell
 * that starts an executor never returns) and swaps the JVM-wide uncaught-exception handler. Here the kernel waits
 * for the snippet's own thread only, keeps the real result object (so a cell can show a table, not its
 * {@code toString()}) and the real exception (so the trace names the user's frames).
 *
 * <p>Interrupt: {@link #stop()} interrupts the snippet thread and then {@code Thread.stop()}s it, which also ends a
 * tight {@code while (true) {}} (the JVM delivers the stop at the loop's safepoint poll). Stop is repeated every
 * 200 ms for code that catches it; after {@link #GIVE_UP_MS} the kernel abandons the thread and answers again.
 * On JDKs without {@code Thread.stop} (20+), only code that checks its interrupt flag can be stopped.
 */
final class CellExecutionControl extends LocalExecutionControl {
    static final long GIVE_UP_MS = 1500;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private volatile Thread running;
    private volatile long stopRequestedAt; // 0 = no stop requested for the running snippet
    private volatile Object lastValue;
    private volatile Throwable lastThrown;
    private volatile boolean stopped;
    private volatile boolean abandoned;

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        lastThrown = null;
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = doit.invoke(null);
            } catch (InvocationTargetException e) {
                thrown[0] = e.getCause();
            } catch (Throwable e) { // includes a ThreadDeath that landed outside the snippet's own frames
                thrown[0] = e;
            }
        }, "thinklab-cell-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        running = t;
        t.start();
        long lastStop = 0;
        while (t.isAlive()) {
            t.join(20);
            long asked = stopRequestedAt;
            if (asked != 0 && t.isAlive()) {
                long now = System.currentTimeMillis();
                if (now - asked > GIVE_UP_MS) { // abandon a thread that refuses to die
                    abandoned = true;
                    break;
                }
                if (now - lastStop > 200) {
                    lastStop = now;
                    hardStop(t);
                }
            }
        }
        running = null;
        if (stopRequestedAt != 0) {
            stopRequestedAt = 0;
            stopped = true;
            throw new StoppedException();
        }
        if (thrown[0] instanceof ThreadDeath) {
            stopped = true;
            throw new StoppedException();
        }
        if (thrown[0] != null) {
            lastThrown = thrown[0];
            throw new InvocationTargetException(thrown[0]);
        }
        lastValue = result[0];
        return valueString(result[0]);
    }

    /** Asks the running snippet to stop; returns at once. */
    @Override
    public void stop() {
        Thread t = running;
        if (t == null) return;
        stopRequestedAt = System.currentTimeMillis();
        hardStop(t);
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void hardStop(Thread t) {
        t.interrupt();
        try {
            t.stop();
        } catch (UnsupportedOperationException ignored) {
            // JDK 20+: Thread.stop is gone; the interrupt above is all we can do
        }
    }

    /** The value the last snippet produced (a real object, not its string form). */
    Object lastValue() {
        return lastValue;
    }

    /** The exception the last snippet threw, or null. */
    Throwable lastThrown() {
        return lastThrown;
    }

    /** True once if a snippet was stopped since the last call. */
    boolean consumeStopped() {
        boolean s = stopped;
        stopped = false;
        return s;
    }

    /** True once if the last stopped snippet ignored the stop and was left running. */
    boolean consumeAbandoned() {
        boolean a = abandoned;
        abandoned = false;
        return a;
    }

    boolean isRunning() {
        return running != null;
    }
}
