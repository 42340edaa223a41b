package io.thinklab.kernel;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %maven}: Maven's own resolver (Maven Resolver 2, wired as Maven 3 wires it) fetching an artifact and its
 * runtime dependencies into {@code ~/.m2/repository} from Maven Central; what is already there is used offline.
 * Set {@code -Dthinklab.maven.repo=URL} to use a mirror instead of Central, and {@code -Dmaven.repo.local=DIR} (Maven's
 * own property) for another local repository.
 */
final class MavenResolve {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static RepositorySystem system;

    private MavenResolve() {
    }

    /** The jars of {@code coords} ({@code group:artifact[:extension[:classifier]]:version}) and its runtime dependencies. */
    static synchronized List<Path> resolve(String coords) {
        if (system == null) system = new RepositorySystemSupplier().get();
        String localDir = System.getProperty("maven.repo.local");
        Path local = localDir != null ? Path.of(localDir) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        RemoteRepository central = new RemoteRepository.Builder("central", "default",
                System.getProperty("thinklab.maven.repo", CENTRAL)).build();
        try (CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(local)
                .build()) {
            CollectRequest collect = new CollectRequest(new Dependency(new DefaultArtifact(coords), JavaScopes.RUNTIME), List.of(central));
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                jars.add(r.getArtifact().getPath());
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw new IllegalStateException("%maven " + coords + ": " + e.getMessage(), e);
        }
    }
}
