package eu.ehds.rights.portal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses PORTAL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.ehds.rights.portal");

    @Test
    void the_application_reaches_the_ledger_through_messages_and_ports_not_aggregates() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("eu.ehds.rights.ledger.person..",
                        "eu.ehds.rights.ledger.mandate..")
                .orShould().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "project aggregate internals", c -> c.getPackageName().equals("eu.ehds.rights.ledger.project")
                                && !c.isEquivalentTo(ProjectDirectory.class)))
                .check(PORTAL);
    }

    @Test
    void packages_have_no_cycles() {
        slices().matching("eu.ehds.rights.portal.(*)..").should().beFreeOfCycles().check(PORTAL);
    }

    @Test
    void the_shared_web_layer_knows_no_feature_and_no_feature_knows_the_site_that_assembles_them() {
        noClasses().that().resideInAPackage("..portal.web..").should().dependOnClassesThat().resideInAnyPackage(
                "..portal.admin..", "..portal.audit..", "..portal.citizen..", "..portal.holder..",
                "..portal.register..", "..portal.transparency..", "..portal.notification..", "..portal.anchoring..",
                "..portal.idp..", "..portal.site..").check(PORTAL);
        noClasses().that().resideOutsideOfPackage("..portal.site..").should().dependOnClassesThat()
                .resideInAPackage("..portal.site..").check(PORTAL);
    }

    @Test
    void web_features_do_not_depend_on_each_other() {
        noClasses().that().resideInAPackage("..portal.admin..")
                .should().dependOnClassesThat().resideInAPackage("..portal.audit..").check(PORTAL);
        noClasses().that().resideInAPackage("..portal.audit..")
                .should().dependOnClassesThat().resideInAPackage("..portal.admin..").check(PORTAL);
    }
}
