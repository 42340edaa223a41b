package io.thinklab.kernel;

import java.security.Permission;

/**
 * Keeps {@code System.exit} in a cell from killing the kernel.
 *
 * <p>The kernel runs snippets in its own JVM, so a cell (or library code such as a CLI's {@code main}) that calls
 * {@code System.exit} would end the kernel with no word. On JDK 17 a security manager that refuses only
 * {@code exitVM} turns that call into an exception in the cell; every other permission is granted without a check.
 * Where a security manager cannot be installed (JDK 24+), a shutdown hook at least says on stderr why the
 * kernel died. The kernel itself calls {@link #allowExit()} before it shuts down.
 */
@SuppressWarnings({"removal", "deprecation"})
final class ExitGuard extends SecurityManager {
    private static volatile boolean exitAllowed;

    private ExitGuard() {
    }

    /** Installs the guard; returns false where this JDK has no security manager. */
    static boolean install() {
        try {
            // JDK 17 prints a four-line deprecation warning to the kernel's console (not into cells) here
            System.setSecurityManager(new ExitGuard());
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!exitAllowed) {
                    System.err.println("The kernel is stopping because code called System.exit; restart the kernel.");
                    System.err.flush();
                }
            }));
            return false;
        }
    }

    static void allowExit() {
        exitAllowed = true;
    }

    @Override
    public void checkExit(int status) {
        if (!exitAllowed) {
            throw new SecurityException("System.exit(" + status + ") was called in a cell: the kernel keeps running."
                    + " To restart, use Kernel > Restart; to stop a computation, throw an exception or return.");
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        // everything else is allowed, unchecked
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
    }
}
