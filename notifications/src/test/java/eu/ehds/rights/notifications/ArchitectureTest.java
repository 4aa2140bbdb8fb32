package eu.ehds.rights.notifications;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "eu.ehds.rights.notifications", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packages_have_no_cycles = slices().matching("eu.ehds.rights.notifications.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule notifications_use_no_spring_and_send_through_ports = noClasses().should()
            .dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.mail..", "javax.mail..");

    @ArchTest
    static final ArchRule only_the_vault_holds_keys = noClasses().that().resideOutsideOfPackage("..vault..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.crypto.tink..", "javax.crypto..");
}
