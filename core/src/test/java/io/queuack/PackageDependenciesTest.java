package io.queuack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Keeps core's packages one-way (the table in {@code core/README.md}): the runtime at the root sees every
 * package and no package sees the root; {@code storage} (the SPI and its backends) knows only the job model
 * and the errors; {@code draw} and {@code text} know nothing of the rest. Core imports nothing from Arrow,
 * Tablesaw, the streaming module or the kernels.
 */
class PackageDependenciesTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.queuack");

    @Test
    void leavesKnowNothingOfTheRest() {
        onlyOn("io.queuack.text..").check(CORE);
        onlyOn("io.queuack.error..").check(CORE);
        onlyOn("io.queuack.draw..").check(CORE);
    }

    @Test
    void theModelKnowsOnlyErrorsAndText() {
        onlyOn("io.queuack.job..", "io.queuack.error..", "io.queuack.text..").check(CORE);
    }

    @Test
    void eventsKnowOnlyTheModel() {
        onlyOn("io.queuack.event..", "io.queuack.job..", "io.queuack.error..", "io.queuack.text..").check(CORE);
    }

    @Test
    void storageKnowsOnlyTheModelAndErrors() {
        onlyOn("io.queuack.storage..", "io.queuack.job..", "io.queuack.error..", "io.queuack.text..").check(CORE);
    }

    @Test
    void theStorageInterfaceKnowsNoBackend() {
        noClasses().that().resideInAPackage("io.queuack.storage")
                .should().dependOnClassesThat().resideInAnyPackage("io.queuack.storage.*..")
                .because("backends implement the interface; the interface names none of them")
                .check(CORE);
    }

    @Test
    void dagDefinitionsKnowTheModelAndDrawingOnly() {
        onlyOn("io.queuack.dag..", "io.queuack.job..", "io.queuack.error..", "io.queuack.text..",
                "io.queuack.draw..").check(CORE);
    }

    @Test
    void noPackageClimbsToTheRuntime() {
        noClasses().that().resideOutsideOfPackage("io.queuack")
                .should().dependOnClassesThat().resideInAPackage("io.queuack")
                .because("the runtime at the root uses every package; a call back up would close a circle")
                .check(CORE);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.queuack.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void coreKnowsNothingOfArrowTablesawOrKernels() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.arrow..", "tech.tablesaw..",
                "io.queuack.arrow..", "io.queuack.kernel..", "org.dflib.jjava..", "io.github.spencerpark..")
                .check(CORE);
    }

    @Test
    void theRulesCatchAClimb() {
        JavaClasses climbing = new ClassFileImporter().importClasses(io.queuack.job.Climber.class, Queuack.class);
        assertThrows(AssertionError.class, () -> onlyOn("io.queuack.job..").check(climbing));
    }

    /** Classes in {@code packages[0]} may use only classes in {@code packages}, besides the JDK and libraries. */
    private static ArchRule onlyOn(String... packages) {
        return noClasses().that().resideInAPackage(packages[0])
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are in io.queuack outside " + Arrays.toString(packages),
                        type -> (type.getPackageName() + ".").startsWith("io.queuack.") && Arrays.stream(packages)
                                .noneMatch(p -> PackageMatcher.of(p).matches(type.getPackageName()))));
    }
}
