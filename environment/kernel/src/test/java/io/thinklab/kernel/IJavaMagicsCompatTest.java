package io.thinklab.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static io.thinklab.kernel.KernelSession.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IJava magics this kernel has (IJava's docs/magics.md, plus {@code %load} as d2l-java uses it):
 * {@code %jars}, {@code %classpath}, {@code %maven} and {@code %load}, run as notebook cells in a real kernel against
 * small jars built here. Each test uses the classes the magic brought in and checks the value the cell shows.
 * Not here because this kernel does not have them: {@code %mavenRepo}, {@code %loadFromPOM} and the
 * {@code %addMavenDependencies} alias.
 */
class IJavaMagicsCompatTest {
    private static KernelSession kernel;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kernel = new KernelSession();
    }

    @AfterAll
    static void stop() {
        kernel.close();
    }

    @Test
    void jarsTakesGlobs() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        jar(jars.resolve("hello.jar"), "compat.jars.Hello", "hello from a jar");
        jar(jars.resolve("other.jar"), "compat.jars.Other", "other jar");
        String cell = "%jars " + jars + "/*.jar\ncompat.jars.Hello.greet() + \", \" + compat.jars.Other.greet()";
        assertEquals(Map.of("text/plain", "hello from a jar, other jar"), bundle(kernel.execute(cell).ok().result()));
    }

    @Test
    void classpathTakesDirectoriesOfClasses() throws IOException {
        Path classes = compile(dir.resolve("cp"), "compat.cp.Hello", "hello from a class directory");
        String cell = "%classpath " + classes + "\ncompat.cp.Hello.greet()";
        assertEquals(Map.of("text/plain", "hello from a class directory"), bundle(kernel.execute(cell).ok().result()));
    }

    @Test
    void mavenAddsTheArtifactAndItsDependencies() throws IOException {
        // a repository on disk, like Central: hello depends on word
        Path remote = dir.resolve("remote");
        publish(remote, "hello", "compat.maven.Hello", "hello from Maven",
                "<dependencies><dependency><groupId>io.thinklab.compat</groupId><artifactId>word</artifactId>"
                        + "<version>1.0</version></dependency></dependencies>");
        publish(remote, "word", "compat.maven.Word", "and its dependency", "");
        String oldRepo = System.getProperty("thinklab.maven.repo");
        String oldLocal = System.getProperty("maven.repo.local");
        System.setProperty("thinklab.maven.repo", remote.toUri().toString());
        System.setProperty("maven.repo.local", dir.resolve("m2").toString());
        try {
            KernelSession.Cell cell = kernel.execute("%maven io.thinklab.compat:hello:1.0\n"
                    + "compat.maven.Hello.greet() + \" \" + compat.maven.Word.greet()").ok();
            assertEquals(Map.of("text/plain", "hello from Maven and its dependency"), bundle(cell.result()));
            assertTrue(cell.stdout().contains("%maven io.thinklab.compat:hello:1.0: 2 jar(s) on the class path"), cell.stdout());
        } finally {
            restore("thinklab.maven.repo", oldRepo);
            restore("maven.repo.local", oldLocal);
        }
    }

    @Test
    void loadRunsAFileOfSnippetsAsTheCell() throws IOException {
        Path classes = compile(dir.resolve("load"), "compat.load.Hello", "loaded");
        Path file = dir.resolve("setup.jsh");
        Files.writeString(file, String.join("\n",
                "%classpath " + classes,
                "int twice(int x) { return 2 * x; }",
                "String loadedWord = compat.load.Hello.greet();",
                "twice(21)"));
        assertEquals(Map.of("text/plain", "42"), bundle(kernel.execute("%load " + file).ok().result()));
        assertEquals(Map.of("text/plain", "loaded 8"), bundle(kernel.execute("loadedWord + \" \" + twice(4)").ok().result()));
    }

    // ---------------------------------------------------------------- tiny artefacts

    /** Compiles a class {@code name} whose static {@code greet()} returns {@code greeting}; returns the classes dir. */
    private static Path compile(Path out, String name, String greeting) throws IOException {
        Path src = Files.createDirectories(out.resolve("src"));
        Path classes = Files.createDirectories(out.resolve("classes"));
        int dot = name.lastIndexOf('.');
        Path java = src.resolve(name.substring(dot + 1) + ".java");
        Files.writeString(java, "package " + name.substring(0, dot) + ";\npublic class " + name.substring(dot + 1)
                + " { public static String greet() { return \"" + greeting + "\"; } }\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), java.toString()), "javac " + java);
        return classes;
    }

    private static void jar(Path jar, String name, String greeting) throws IOException {
        Path classes = compile(Files.createTempDirectory(dir, "build"), name, greeting);
        String entry = name.replace('.', '/') + ".class";
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        }
    }

    /** io.thinklab.compat:{@code artifact}:1.0 (jar and pom) in the Maven repository at {@code repo}. */
    private static void publish(Path repo, String artifact, String className, String greeting, String dependencies) throws IOException {
        Path at = Files.createDirectories(repo.resolve("io/thinklab/compat/" + artifact + "/1.0"));
        jar(at.resolve(artifact + "-1.0.jar"), className, greeting);
        Files.writeString(at.resolve(artifact + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>io.thinklab.compat</groupId><artifactId>" + artifact + "</artifactId><version>1.0</version>"
                + dependencies + "</project>\n");
        for (String ext : new String[]{".jar", ".pom"}) sha1(at.resolve(artifact + "-1.0" + ext)); // as Central has
    }

    private static void sha1(Path file) throws IOException {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file));
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
