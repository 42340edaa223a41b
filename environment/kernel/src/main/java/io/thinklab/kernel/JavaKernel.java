package io.thinklab.kernel;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.JupyterIOAccess;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The Java kernel: cells run in a JShell inside this JVM, so a cell's value is a real object the kernel can render.
 *
 * <p>One cell, top to bottom: magic lines ({@link Magics}) run where they stand; Java is cut into snippets with
 * JShell's own analysis and evaluated one by one; the first compile error or exception ends the cell as one Jupyter
 * {@code error}; the value of the last snippet, when it is an expression, becomes the cell's result
 * (rendered by {@link Displays}). Stdout and stderr stream while the cell runs (flushed every 100 ms).
 */
public final class JavaKernel extends BaseKernel {
    static final String VERSION = "0.1.0";
    /** Imports every cell starts with: JShell's usual set plus the display statics. */
    static final List<String> STARTUP = List.of(
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.function.*;",
            "import java.util.regex.*;", "import java.util.stream.*;",
            "import static io.thinklab.kernel.Notebook.*;");
    /** What a cell that produced no value returns (a statement, a declaration, most magics). */
    static final Object NO_VALUE = new Object();
    private static volatile JavaKernel current;

    private final CellExecutionControl control = new CellExecutionControl();
    private final CompletableFuture<JShell> shell = new CompletableFuture<>();
    private final Magics magics = new Magics(this);
    private final AtomicInteger displayIds = new AtomicInteger();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thinklab-flush");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean cellRunning;
    private volatile PrintStream cellOut;
    private volatile PrintStream cellErr;
    private volatile boolean interruptRequested;
    private volatile String lastDisplayId; // compared by identity with a cell's value

    JavaKernel() {
        super("thinklab-java", VERSION,
                new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                        .fileExtension(".jshell").pygments("java").codemirror("java").build(),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
                null, null, false, new StringStyler.Builder().build());
        flusher.scheduleWithFixedDelay(this::flushIfRunning, 100, 100, TimeUnit.MILLISECONDS);
    }

    static JavaKernel current() {
        JavaKernel k = current;
        if (k == null) throw new IllegalStateException("display() works only inside a running ThinkLab Java kernel");
        return k;
    }

    @Override
    public void onStartup() {
        super.onStartup();
        current = this;
        // JShell's first compile takes a second or two: do it now, while the client is still connecting.
        Thread warm = new Thread(this::startShell, "thinklab-jshell-start");
        warm.setDaemon(true);
        warm.start();
    }

    @Override
    public void onShutdown(boolean restarting) {
        super.onShutdown(restarting);
        current = null;
    }

    private void startShell() {
        try {
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            JShell js = JShell.builder()
                    .in(new ByteArrayInputStream(new byte[0])).out(quiet).err(quiet)
                    .executionEngine(new ExecutionControlProvider() {
                        @Override
                        public String name() {
                            return "thinklab-in-process";
                        }

                        @Override
                        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                            return control;
                        }
                    }, Map.of())
                    .build();
            // the kernel's class path (the ThinkLab library and its dependencies) is the cells' class path
            js.addToClasspath(System.getProperty("java.class.path")); // one call: each call re-reads the path
            for (String s : STARTUP) js.eval(s);
            js.eval("int $warm = 1 + 1;");
            shell.complete(js);
        } catch (Throwable t) {
            shell.completeExceptionally(t);
        }
    }

    JShell shell() {
        return shell.join();
    }

    // ---------------------------------------------------------------- protocol handlers

    /** JJava's reply lacks {@code status: ok}, which the protocol (and the standard kernel test) requires. */
    static final class KernelInfoOk extends KernelInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        KernelInfoOk(String protocol, String name, String version, LanguageInfo info, String banner) {
            super(protocol, name, version, info, banner, List.of());
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> request) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOk(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(),
                "ThinkLab Java kernel " + VERSION + " (JShell, Java " + Runtime.version() + ")"));
    }

    /** An empty history, with the {@code status: ok} JJava's reply lacks. */
    static final class HistoryOk extends HistoryReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        HistoryOk() {
            super(List.of());
        }
    }

    /**
     * The kernel keeps no input history, yet answers every {@code history_request} (JJava's kernel stays silent
     * without a history manager). JupyterLab asks for history as soon as it connects and ignores the status messages
     * around {@code kernel_info}, so without this answer, and the busy/idle status around it, it shows the kernel as
     * "Unknown" until the first cell runs.
     */
    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> request) {
        env.setBusyDeferIdle();
        env.reply(new HistoryOk());
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent(); // a front end's own housekeeping: no input echo, no result, no count
        int count = silent ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        if (!silent) env.publish(new PublishExecuteInput(request.getCode(), count));
        attachStreams(env);
        JupyterIOAccess.attach(io, env, request.isStdinEnabled());
        env.defer(() -> JupyterIOAccess.detach(io, env));

        interruptRequested = false;
        lastDisplayId = null;
        Object value = NO_VALUE;
        CellFailure failure = null;
        cellRunning = true;
        try {
            value = runCell(request.getCode());
        } catch (CellFailure f) {
            failure = f;
        } catch (RuntimeException | Error e) {
            failure = CellFailure.of(e);
        } finally {
            cellRunning = false;
            flushStreams();
        }
        if (failure == null) {
            try {
                if (!silent && value != NO_VALUE && !(lastDisplayId != null && value == lastDisplayId)) {
                    DisplayData data = value instanceof DisplayData ? (DisplayData) value : Displays.render(value);
                    env.publish(new PublishExecuteResult(count, data));
                }
            } catch (RuntimeException e) {
                failure = CellFailure.of(e);
            }
        }
        if (failure == null) {
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } else {
            env.publish(new PublishError(failure.ename, failure.evalue, failure.traceback));
            ErrorReply error = new ErrorReply(failure.ename, failure.evalue, failure.traceback);
            error.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), error);
        }
    }

    /**
     * The cell's System.out/err: buffered, so a tight print loop becomes a few stream messages rather than one per
     * print; flushed every 100 ms while the cell runs (output streams live), before each display and at the end.
     */
    private void attachStreams(ShellReplyEnvironment env) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        java.io.InputStream oldIn = System.in;
        cellOut = new PrintStream(new java.io.BufferedOutputStream(io.out, 1 << 16), false, StandardCharsets.UTF_8);
        cellErr = new PrintStream(new java.io.BufferedOutputStream(io.err, 1 << 16), false, StandardCharsets.UTF_8);
        System.setOut(cellOut);
        System.setErr(cellErr);
        System.setIn(io.in);
        env.defer(() -> {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        });
    }

    private void flushIfRunning() {
        if (cellRunning) flushStreams();
    }

    private void flushStreams() {
        PrintStream o = cellOut;
        PrintStream e = cellErr;
        if (o != null) o.flush();
        if (e != null) e.flush();
    }

    @Override
    public void interrupt() {
        interruptRequested = true;
        control.stop();
    }

    // ---------------------------------------------------------------- evaluation

    /** Runs one cell; returns the value to show, or NO_VALUE. */
    Object runCell(String code) {
        JShell js = shellOrFail();
        Object last = NO_VALUE;
        for (Magics.Part part : Magics.split(code)) {
            checkInterrupt();
            last = part.isMagic() ? magics.run(part) : evalJava(js, part.text());
        }
        checkInterrupt();
        return last;
    }

    private JShell shellOrFail() {
        try {
            return shell.join();
        } catch (RuntimeException e) {
            throw new CellFailure("KernelStartError", "JShell could not start: " + e.getCause(), List.of(String.valueOf(e.getCause())));
        }
    }

    private void checkInterrupt() {
        if (interruptRequested || control.consumeStopped()) {
            interruptRequested = false;
            throw CellFailure.interrupted(control.consumeAbandoned());
        }
    }

    @Override
    public Object evalRaw(String code) {
        Object v = runCell(code);
        return v == NO_VALUE ? null : v;
    }

    /** Evaluates Java source that may hold several snippets; returns the last snippet's value or NO_VALUE. */
    Object evalJava(JShell js, String src) {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String remaining = src;
        Object last = NO_VALUE;
        while (!remaining.isBlank()) {
            CompletionInfo info = sca.analyzeCompletion(remaining);
            if (info.completeness() == Completeness.EMPTY) break;
            String source;
            if (info.completeness().isComplete()) {
                source = info.source();
                remaining = info.remaining();
            } else {
                source = remaining; // let JShell say what is missing
                remaining = "";
            }
            last = evalSnippet(js, source);
            checkInterrupt();
        }
        return last;
    }

    private Object evalSnippet(JShell js, String source) {
        List<SnippetEvent> events = js.eval(source);
        if (control.consumeStopped()) {
            interruptRequested = false;
            throw CellFailure.interrupted(control.consumeAbandoned());
        }
        Object value = NO_VALUE;
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() != null) continue; // knock-on updates of earlier snippets
            Snippet s = ev.snippet();
            if (ev.status() == Snippet.Status.REJECTED) throw compileError(js, s);
            if (ev.exception() != null) throw runtimeError(ev.exception());
            if (ev.status() == Snippet.Status.RECOVERABLE_DEFINED || ev.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (s instanceof jdk.jshell.DeclarationSnippet d) {
                    String missing = js.unresolvedDependencies(d).collect(Collectors.joining(", "));
                    System.err.println("note: " + d.name() + " is declared but cannot be used until " + missing + " is declared");
                }
            }
            if (isValue(s)) value = control.lastValue();
        }
        return value;
    }

    private static boolean isValue(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION
                || (s.kind() == Snippet.Kind.VAR && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    }

    private CellFailure compileError(JShell js, Snippet s) {
        List<Diag> diags = js.diagnostics(s).filter(Diag::isError).collect(Collectors.toList());
        if (diags.isEmpty()) diags = js.diagnostics(s).collect(Collectors.toList());
        List<String> lines = new ArrayList<>();
        String src = s.source();
        String first = diags.isEmpty() ? "the snippet was rejected" : diags.get(0).getMessage(Locale.ENGLISH);
        for (Diag d : diags) {
            List<String> msg = d.getMessage(Locale.ENGLISH).lines()
                    .filter(l -> !l.strip().startsWith("location: class")) // JShell's wrapper class has no name
                    .collect(Collectors.toList());
            lines.add(CellFailure.RED + "error: " + (msg.isEmpty() ? "" : msg.get(0)) + CellFailure.RESET);
            for (String more : msg.subList(Math.min(1, msg.size()), msg.size())) lines.add(more);
            int pos = (int) Math.max(0, Math.min(d.getPosition() < 0 ? d.getStartPosition() : d.getPosition(), src.length()));
            int lineStart = src.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = src.indexOf('\n', pos);
            if (lineEnd < 0) lineEnd = src.length();
            lines.add("    " + src.substring(lineStart, lineEnd));
            lines.add("    " + " ".repeat(Math.max(0, pos - lineStart)) + "^");
        }
        if (diags.isEmpty()) lines.add(src);
        return new CellFailure("CompilationError", first.lines().findFirst().orElse(first), lines);
    }

    private CellFailure runtimeError(JShellException ex) {
        if (ex instanceof UnresolvedReferenceException u) {
            String name = u.getSnippet().name();
            String missing = shell().unresolvedDependencies(u.getSnippet()).collect(Collectors.joining(", "));
            String msg = name + " cannot run until " + missing + " is declared";
            return new CellFailure("UnresolvedReference", msg, List.of(CellFailure.RED + "UnresolvedReference: " + msg + CellFailure.RESET));
        }
        Throwable real = control.lastThrown();
        if (real != null) return CellFailure.of(real);
        String cls = ex instanceof EvalException e ? e.getExceptionClassName() : ex.getClass().getName();
        return new CellFailure(cls.substring(cls.lastIndexOf('.') + 1), String.valueOf(ex.getMessage()),
                List.of(CellFailure.RED + cls + ": " + ex.getMessage() + CellFailure.RESET));
    }

    // ---------------------------------------------------------------- display API (see Notebook)

    String display(Object value, String... mimes) {
        DisplayData data = Displays.render(value, mimes);
        String id = new String("thinklab-display-" + displayIds.incrementAndGet()); // a fresh instance: see lastDisplayId
        data.setDisplayId(id);
        flushStreams();
        super.display(data);
        lastDisplayId = id;
        return id;
    }

    void updateDisplay(String id, Object value, String... mimes) {
        DisplayData data = Displays.render(value, mimes);
        flushStreams();
        io.display.updateDisplay(id, data);
    }

    void addToClasspath(String path) {
        shell().addToClasspath(path);
    }

    // ---------------------------------------------------------------- completion, inspection, is_complete

    @Override
    public ReplacementOptions complete(String code, int at) {
        JShell js = shell();
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        if (code.substring(lineStart, at).trim().startsWith("%")) return null;
        int start = snippetStart(js, code, at);
        String text = code.substring(start, at);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = js.sourceCodeAnalysis().completionSuggestions(text, text.length(), anchor);
        Set<String> matches = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : suggestions) matches.add(s.continuation());
        return new ReplacementOptions(new ArrayList<>(matches), start + anchor[0], at);
    }

    /** Where the snippet that holds offset {@code at} starts. */
    private static int snippetStart(JShell js, String code, int at) {
        int start = 0;
        String rest = code;
        while (!rest.isBlank()) {
            CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
            if (!info.completeness().isComplete()) break;
            int consumed = rest.length() - info.remaining().length();
            if (consumed <= 0 || start + consumed >= at) break;
            start += consumed;
            rest = info.remaining();
        }
        return start;
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        JShell js = shell();
        int start = snippetStart(js, code, at);
        // extend to the end of the identifier under the cursor
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        String text = code.substring(start, end);
        List<SourceCodeAnalysis.Documentation> docs = js.sourceCodeAnalysis().documentation(text, text.length(), extraDetail);
        if (docs.isEmpty()) { // JShell documents a method from inside its call: "Math.abs" -> "Math.abs("
            docs = js.sourceCodeAnalysis().documentation(text + "(", text.length() + 1, extraDetail);
        }
        if (docs.isEmpty()) return null;
        String shown = docs.stream()
                .map(d -> d.signature() + (d.javadoc() == null || d.javadoc().isBlank() ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n"));
        return new DisplayData(shown);
    }

    @Override
    public String isComplete(String code) {
        JShell js = shell();
        String java = Magics.split(code).stream().filter(p -> !p.isMagic()).map(Magics.Part::text).collect(Collectors.joining("\n"));
        String rest = java;
        while (!rest.isBlank()) {
            CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "    ";
                case UNKNOWN:
                    return IS_COMPLETE_BAD;
                case EMPTY:
                    return IS_COMPLETE_YES;
                default:
                    rest = info.remaining();
            }
        }
        return IS_COMPLETE_YES;
    }

    @Override
    public List<String> formatError(Throwable e) {
        return CellFailure.of(e).traceback;
    }
}
