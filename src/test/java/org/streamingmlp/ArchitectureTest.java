package org.streamingmlp;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of {@code src/main}, as ArchUnit rules over the compiled classes (so a fully qualified name in the
 * code counts as much as an import). Arrows point down only:
 * <pre>
 *   edges      api, kafka, dashboard REST resources, health checks, channel beans, the dashboard: translate
 *              tools                 the feed and export commands (Main: no arguments starts the service)
 *   wiring     wiring, config        the composition root and the typed configuration
 *   flows      ingest, trainer, serving (serving never sees the trainer; the trainer writes into serving's registry)
 *   vocabulary record, codec, checkpoint
 *   core       learner, optim, nn    ND4J only
 * </pre>
 */
class ArchitectureTest {

    private static final String ROOT = "org.streamingmlp";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void layersOnlyDependDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("edges").definedBy(pkg("api"), pkg("kafka"), pkg("tools"), pkg("dashboard"))
                .layer("wiring").definedBy(pkg("wiring"), pkg("config"))
                .layer("ingest").definedBy(pkg("ingest"))
                .layer("trainer").definedBy(pkg("trainer"))
                .layer("serving").definedBy(pkg("serving"))
                .layer("vocabulary").definedBy(pkg("record"), pkg("codec"), pkg("checkpoint"))
                .layer("core").definedBy(pkg("learner"), pkg("optim"), pkg("nn"))
                .whereLayer("edges").mayNotBeAccessedByAnyLayer()
                .whereLayer("wiring").mayOnlyBeAccessedByLayers("edges")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("edges", "wiring")
                .whereLayer("trainer").mayOnlyBeAccessedByLayers("edges", "wiring", "ingest")
                .whereLayer("serving").mayOnlyBeAccessedByLayers("edges", "wiring", "trainer")
                .whereLayer("vocabulary").mayOnlyBeAccessedByLayers("edges", "wiring", "ingest", "trainer", "serving")
                .whereLayer("core").mayOnlyBeAccessedByLayers("edges", "wiring", "ingest", "trainer", "serving",
                        "vocabulary")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCoreAndTheVocabularyKnowNoFrameworks() {
        noClasses().that().resideInAnyPackage(pkg("nn"), pkg("optim"), pkg("learner"), pkg("record"), pkg("codec"),
                        pkg("checkpoint"), pkg("ingest"), pkg("trainer"), pkg("serving"))
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "org.apache.kafka..",
                        "io.smallrye..", "jakarta..", "javax.inject..", "org.eclipse.microprofile.reactive..",
                        "io.micrometer..", "io.vertx..")
                .check(classes);
    }

    @Test
    void theNeuralNetworkCoreKnowsNoJson() {
        noClasses().that().resideInAnyPackage(pkg("nn"), pkg("optim"))
                .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml..")
                .check(classes);
    }

    private static String pkg(String name) {
        return ROOT + "." + name + "..";
    }
}
