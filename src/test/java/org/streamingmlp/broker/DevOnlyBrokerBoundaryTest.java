package org.streamingmlp.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The broker package is dev-only code (src/dev/java): it is compiled into target/classes together with src/main, but
 * the packaged application leaves it out, so no production class may depend on it.
 */
class DevOnlyBrokerBoundaryTest {

    @Test
    void noProductionClassUsesTheDevOnlyBroker() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.streamingmlp");
        noClasses().that().resideOutsideOfPackage("org.streamingmlp.broker..")
                .should().dependOnClassesThat().resideInAPackage("org.streamingmlp.broker..")
                .check(classes);
    }
}
