package io.thinklab.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The magics IJava notebooks use, plus {@code %time}. A magic is a line whose first non-blank character is
 * {@code %}; it runs where it stands, between the Java around it.
 *
 * <ul>
 *   <li>{@code %jars a.jar lib/*.jar} adds jars (a {@code *} in the file name is a glob) to the cells' class path;</li>
 *   <li>{@code %classpath dir-or-jar ...} adds class path entries as they are;</li>
 *   <li>{@code %maven group:artifact:version ...} resolves with Maven's own resolver, from {@code ~/.m2} and Maven
 *       Central, with runtime dependencies, and adds the jars;</li>
 *   <li>{@code %load file.jsh} runs a file of Java snippets (and magics) as if it were the cell;</li>
 *   <li>{@code %time <java>} runs the rest of the line and prints its wall time; {@code %%time} as the cell's first
 *       line times the whole cell.</li>
 * </ul>
 */
final class Magics {
    private final JavaKernel kernel;

    Magics(JavaKernel kernel) {
        this.kernel = kernel;
    }

    /** A magic line, or a run of Java lines. */
    record Part(boolean isMagic, String name, String args, String text) {
    }

    /** Cuts a cell into Java parts and magic parts, in order. {@code %%time} takes the rest of the cell as args. */
    static List<Part> split(String cell) {
        List<Part> parts = new ArrayList<>();
        String trimmed = cell.stripLeading();
        if (trimmed.startsWith("%%")) {
            int nl = trimmed.indexOf('\n');
            String head = (nl < 0 ? trimmed : trimmed.substring(0, nl)).substring(2).trim();
            String body = nl < 0 ? "" : trimmed.substring(nl + 1);
            String name = head.split("\\s+", 2)[0];
            parts.add(new Part(true, "%" + name, body, head));
            return parts;
        }
        StringBuilder java = new StringBuilder();
        for (String line : cell.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("%") && !t.startsWith("%%")) {
                if (!java.toString().isBlank()) parts.add(new Part(false, null, null, java.toString()));
                java.setLength(0);
                String[] nameArgs = t.substring(1).split("\\s+", 2);
                parts.add(new Part(true, nameArgs[0], nameArgs.length > 1 ? nameArgs[1].trim() : "", t));
            } else {
                // keep blank lines so compile errors point at the right line of the part
                java.append(line).append('\n');
            }
        }
        if (!java.toString().isBlank()) parts.add(new Part(false, null, null, java.toString()));
        return parts;
    }

    /** Runs a magic; returns the value it produced (only %time and %load have one) or the kernel's no-value. */
    Object run(Part p) {
        switch (p.name()) {
            case "jars":
                for (String arg : words(p.args())) for (Path jar : glob(arg)) kernel.addToClasspath(jar.toString());
                return none();
            case "classpath":
                for (String arg : words(p.args())) kernel.addToClasspath(Path.of(arg).toAbsolutePath().toString());
                return none();
            case "maven":
                for (String coords : words(p.args())) {
                    List<Path> jars = MavenResolve.resolve(coords);
                    for (Path jar : jars) kernel.addToClasspath(jar.toString());
                    System.out.println("%maven " + coords + ": " + jars.size() + " jar(s) on the class path");
                }
                return none();
            case "load":
                try {
                    return kernel.runCell(Files.readString(Path.of(p.args().trim())));
                } catch (IOException e) {
                    throw new UncheckedIOException("%load " + p.args() + ": " + e.getMessage(), e);
                }
            case "time":
            case "%time": {
                long t0 = System.nanoTime();
                Object v = kernel.runCell(p.args());
                System.out.printf("Wall time: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
                return v;
            }
            default:
                throw new CellFailure("UnknownMagic", "%" + p.name() + " is not a magic of this kernel",
                        List.of(CellFailure.RED + "UnknownMagic: %" + p.name()
                                + " (known: %jars %classpath %maven %load %time %%time)" + CellFailure.RESET));
        }
    }

    private static Object none() {
        return JavaKernel.NO_VALUE;
    }

    private static List<String> words(String args) {
        List<String> out = new ArrayList<>();
        for (String w : args.trim().split("\\s+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    /** Files matching {@code arg}; a {@code *} or {@code ?} in the last name element is a glob. */
    static List<Path> glob(String arg) {
        Path p = Path.of(arg).toAbsolutePath();
        String name = p.getFileName().toString();
        if (!name.contains("*") && !name.contains("?")) {
            if (!Files.exists(p)) throw new IllegalArgumentException("%jars: no such file " + p);
            return List.of(p);
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent(), name)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        if (out.isEmpty()) throw new IllegalArgumentException("%jars: nothing matches " + p);
        return out;
    }
}
