package io.queuack.storage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Opens stores named by a location string (a JDBC URL such as {@code jdbc:postgresql://db/queues}) for
 * {@code Queuack.open(String)}. Backends in other jars register one through
 * {@code META-INF/services/io.queuack.storage.StorageProvider}.
 */
public interface StorageProvider {

    /** @return whether this provider opens {@code location} */
    boolean accepts(String location);

    /** Opens the store at {@code location}. */
    Storage open(String location);

    /**
     * Opens {@code location} with the first provider on the class path that accepts it (looked up through the
     * thread's context class loader and core's own, so jars a notebook kernel added at run time are found).
     *
     * @throws IllegalArgumentException if no provider accepts it (the message says which jar to add)
     */
    static Storage openLocation(String location) {
        Objects.requireNonNull(location, "location");
        List<StorageProvider> providers = new ArrayList<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, StorageProvider.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, loader)) {
                if (seen.add(provider.getClass())) {
                    providers.add(provider);
                }
            }
        }
        for (StorageProvider provider : providers) {
            if (provider.accepts(location)) {
                return provider.open(location);
            }
        }
        String shown = location.replaceAll("\\?.*$", "").replaceAll("//[^/@]*@", "//");
        if (location.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("No store on the class path opens " + shown + ": add the"
                    + " io.queuack:queuack-postgres jar (in a notebook: %maven io.queuack:queuack-postgres:<version>)");
        }
        throw new IllegalArgumentException("No store opens " + shown + "; a queue opens a DuckDB file path or a"
                + " jdbc:postgresql:// URL (with queuack-postgres on the class path)");
    }
}
