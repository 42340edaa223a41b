package io.thinklab.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real {@link JavaKernel} (JShell, magics, display API) without sockets: {@link #execute} hands it an
 * {@code execute_request} and returns every message content it published or replied, in order, as a client would
 * receive them.
 */
final class KernelSession implements AutoCloseable {
    private final JavaKernel kernel = new JavaKernel();

    KernelSession() {
        kernel.onStartup();
        kernel.shell(); // wait for JShell
    }

    /** Runs one cell as a notebook would. */
    Cell execute(String code) {
        Recorder env = new Recorder();
        ExecuteRequest request = new ExecuteRequest(code, false, true, Map.of(), false, true);
        kernel.handleExecuteRequest(env, new Message<>(null, ExecuteRequest.MESSAGE_TYPE, request));
        env.resolveDeferrals();
        return new Cell(env.contents);
    }

    @Override
    public void close() {
        kernel.onShutdown(false);
    }

    /** What one cell sent back. */
    record Cell(List<Object> contents) {
        List<PublishDisplayData> displays() {
            return of(PublishDisplayData.class);
        }

        List<PublishUpdateDisplayData> updates() {
            return of(PublishUpdateDisplayData.class);
        }

        /** The execute_result, or null when the cell showed no value. */
        PublishExecuteResult result() {
            List<PublishExecuteResult> r = of(PublishExecuteResult.class);
            return r.isEmpty() ? null : r.get(0);
        }

        String stdout() {
            return of(PublishStream.class).stream().filter(s -> s.getStreamType() == PublishStream.StreamType.OUT)
                    .map(PublishStream::getText).collect(Collectors.joining());
        }

        /** Fails with the cell's error when it had one. */
        Cell ok() {
            List<PublishError> errors = of(PublishError.class);
            if (!errors.isEmpty()) {
                PublishError e = errors.get(0);
                throw new AssertionError(e.getErrorName() + ": " + e.getErrorMessage() + "\n" + String.join("\n", e.getStacktrace()));
            }
            return this;
        }

        private <T> List<T> of(Class<T> type) {
            return contents.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        }
    }

    /** A bundle's {@code data}: mime type to content, exactly as the message carries it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> bundle(DisplayData d) {
        try {
            java.lang.reflect.Field data = DisplayData.class.getDeclaredField("data"); // JJava has no getter for all
            data.setAccessible(true);
            return new java.util.TreeMap<>((Map<String, Object>) data.get(d));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JJava's DisplayData changed: " + e, e);
        }
    }

    /**
     * A reply environment that keeps what the kernel sends instead of writing it to sockets. JJava's deferral (a
     * message or action saved for the end of the request, last deferred first) is kept here too, since its own
     * lives next to the sockets.
     */
    private static final class Recorder extends ShellReplyEnvironment {
        final List<Object> contents = new ArrayList<>();
        private final java.util.Deque<Runnable> deferred = new java.util.ArrayDeque<>();
        private boolean deferNext;

        Recorder() {
            super(null, null, null, null);
        }

        @Override
        public ShellReplyEnvironment defer() {
            deferNext = true;
            return this;
        }

        @Override
        public void defer(Runnable action) {
            deferred.push(action);
        }

        @Override
        public void resolveDeferrals() {
            while (!deferred.isEmpty()) deferred.pop().run();
        }

        @Override
        public synchronized void publish(Message<?> message) {
            keep(message);
        }

        @Override
        public synchronized void reply(Message<?> message) {
            keep(message);
        }

        private void keep(Message<?> message) {
            if (deferNext) {
                deferNext = false;
                deferred.push(() -> contents.add(message.getContent()));
            } else {
                contents.add(message.getContent());
            }
        }
    }
}
