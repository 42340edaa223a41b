package io.thinklab.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

/**
 * The Jupyter connection with our own shell and control loops.
 *
 * <p>Why not JJava's loops: they sleep 50 ms between polls (a trivial cell would take 50 ms), and a message with a
 * missing or wrong HMAC throws a {@code SecurityException} out of the loop, which kills the shell thread for good.
 * Here each loop blocks in {@code poll} (it wakes as soon as a message lands), and a badly signed or unreadable
 * message is logged and dropped, never handled; the loop keeps serving the next one. Heartbeat, stdin and IOPub
 * are JJava's sockets, unchanged.
 */
final class GuardedConnection extends JupyterConnection {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedConnection.class);

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final GuardedChannel shellLoop;
    private final GuardedChannel controlLoop;

    GuardedConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        this.shellLoop = new GuardedChannel(context, hmac, false, this);
        this.controlLoop = new GuardedChannel(context, hmac, true, this);
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        shellLoop.bind(props);
        controlLoop.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    @Override
    public void close() {
        shellLoop.close();
        controlLoop.close();
        super.close(); // JJava's own (never bound) shell/control sockets, heartbeat, stdin, iopub
        context.close();
    }

    @Override
    public void waitUntilClose() {
        shellLoop.waitUntilClose();
        controlLoop.waitUntilClose();
    }

    /** A shell or control socket served by one thread that blocks in poll and survives bad messages. */
    static final class GuardedChannel extends ShellChannel {
        private final boolean control;
        private final JupyterConnection connection;
        private volatile boolean running;
        private Thread thread;

        GuardedChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
            super(context, hmac, control, connection);
            this.control = control;
            this.connection = connection;
        }

        private String channelName() {
            return control ? "control" : "shell";
        }

        @Override
        public void bind(KernelConnectionProperties p) {
            super.bind(formatAddress(p.getTransport(), p.getIp(), control ? p.getControlPort() : p.getShellPort()));
            running = true;
            thread = new Thread(this::serve, "thinklab-" + channelName());
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            ZMQ.Poller poller = ctx.poller(1);
            poller.register(this, ZMQ.Poller.POLLIN);
            while (running) {
                int events;
                try {
                    events = poller.poll(200);
                } catch (RuntimeException e) { // context terminated while closing
                    break;
                }
                if (events <= 0 || !running) continue;
                Message<?> message;
                try {
                    message = readMessage();
                } catch (SecurityException e) {
                    LOG.warn("dropped a {} message with a missing or wrong HMAC signature (not executed)", channelName());
                    continue;
                } catch (RuntimeException e) {
                    LOG.warn("dropped an unreadable {} message: {}", channelName(), e.toString());
                    continue;
                }
                if (message == null) continue;
                dispatch(message);
            }
            running = false;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void dispatch(Message<?> message) {
            ShellHandler handler = connection.getHandler(message.getHeader().getType());
            if (handler == null) {
                LOG.debug("no handler for {}", message.getHeader().getType().getName());
                return;
            }
            ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
            try {
                handler.handle(env, message);
            } catch (Exception e) {
                LOG.warn("error handling {}: {}", message.getHeader().getType().getName(), e.toString());
            } finally {
                try {
                    env.resolveDeferrals();
                } catch (RuntimeException e) {
                    LOG.warn("error finishing {}: {}", message.getHeader().getType().getName(), e.toString());
                }
            }
            if (env.isMarkedForShutdown()) {
                running = false;
                new Thread(connection::close, "thinklab-close").start();
            }
        }

        @Override
        public void close() {
            running = false;
            if (thread != null && Thread.currentThread() != thread) {
                try {
                    thread.join(1000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
            super.close();
        }

        @Override
        public void waitUntilClose() {
            try {
                if (thread != null) thread.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
