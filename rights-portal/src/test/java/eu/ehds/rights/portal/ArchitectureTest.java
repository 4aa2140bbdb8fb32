package eu.ehds.rights.portal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import eu.ehds.rights.ledger.project.ProjectDirectory;

@AnalyzeClasses(packages = "eu.ehds.rights.portal", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule the_application_reaches_the_ledger_through_messages_and_ports_not_aggregates = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("eu.ehds.rights.ledger.person..",
                    "eu.ehds.rights.ledger.mandate..")
            .orShould().dependOnClassesThat(DescribedPredicate.describe("project aggregate internals",
                    c -> c.getPackageName().equals("eu.ehds.rights.ledger.project")
                            && !c.isEquivalentTo(ProjectDirectory.class)));

    @ArchTest
    static final ArchRule packages_have_no_cycles = slices().matching("eu.ehds.rights.portal.(*)..").should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule the_shared_web_layer_knows_no_feature = noClasses().that().resideInAPackage("..portal.web..")
            .should().dependOnClassesThat().resideInAnyPackage("..portal.admin..", "..portal.audit..",
                    "..portal.citizen..", "..portal.holder..", "..portal.register..", "..portal.transparency..",
                    "..portal.notification..", "..portal.anchoring..", "..portal.idp..", "..portal.site..");

    @ArchTest
    static final ArchRule no_feature_knows_the_site_that_assembles_them = noClasses().that()
            .resideOutsideOfPackage("..portal.site..").should().dependOnClassesThat().resideInAPackage("..portal.site..");

    @ArchTest
    static final ArchRule staff_pages_depend_on_no_other_feature_s_pages = noClasses().that()
            .resideInAPackage("..portal.admin..").should().dependOnClassesThat()
            .resideInAnyPackage("..portal.audit..", "..portal.citizen..");

    @ArchTest
    static final ArchRule audit_pages_do_not_depend_on_the_staff_s = noClasses().that()
            .resideInAPackage("..portal.audit..").should().dependOnClassesThat().resideInAPackage("..portal.admin..");
}
