package eu.ehds.rights.projections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import eu.ehds.rights.projections.readmodel.ReadModel;

@AnalyzeClasses(packages = "eu.ehds.rights.projections", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packages_have_no_cycles = slices().matching("eu.ehds.rights.projections.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule projections_use_no_spring = noClasses().should().dependOnClassesThat()
            .resideInAPackage("org.springframework..");

    @ArchTest
    static final ArchRule projections_reach_the_ledger_only_through_its_events_log_and_crypto = noClasses().should()
            .dependOnClassesThat().resideInAnyPackage("eu.ehds.rights.ledger.person..", "eu.ehds.rights.ledger.project..",
                    "eu.ehds.rights.ledger.mandate..", "eu.ehds.rights.ledger.finding..",
                    "eu.ehds.rights.ledger.anchoring..");

    @ArchTest
    static final ArchRule only_the_read_model_shape_handles_events = noClasses().that()
            .resideOutsideOfPackage("..readmodel..").should().dependOnClassesThat()
            .haveFullyQualifiedName("org.axonframework.eventhandling.EventHandler")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.axonframework.config.ProcessingGroup");

    @ArchTest
    static final ArchRule every_projection_is_a_read_model = classes().that().haveSimpleNameEndingWith("Projection")
            .should().beAssignableTo(ReadModel.class);
}
