package eu.ehds.rights.projections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import eu.ehds.rights.projections.readmodel.ReadModel;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses PROJECTIONS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.ehds.rights.projections");

    @Test
    void packages_have_no_cycles() {
        slices().matching("eu.ehds.rights.projections.(*)..").should().beFreeOfCycles().check(PROJECTIONS);
    }

    @Test
    void projections_use_no_spring_and_reach_the_ledger_only_through_its_events_log_and_crypto() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(PROJECTIONS);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("eu.ehds.rights.ledger.person..",
                "eu.ehds.rights.ledger.project..", "eu.ehds.rights.ledger.mandate..", "eu.ehds.rights.ledger.finding..",
                "eu.ehds.rights.ledger.anchoring..").check(PROJECTIONS);
    }

    @Test
    void only_the_read_model_shape_handles_events() {
        noClasses().that().resideOutsideOfPackage("..readmodel..").should()
                .dependOnClassesThat().haveFullyQualifiedName("org.axonframework.eventhandling.EventHandler")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.axonframework.config.ProcessingGroup")
                .check(PROJECTIONS);
        classes().that().haveSimpleNameEndingWith("Projection").should().beAssignableTo(ReadModel.class)
                .check(PROJECTIONS);
    }
}
