package io.queuack.job;

import io.queuack.Queuack;

/** A model class that climbs to the runtime: what PackageDependenciesTest must refuse. */
public final class Climber {

    private Climber() {
    }

    static Queuack open() {
        return Queuack.inMemory();
    }
}
