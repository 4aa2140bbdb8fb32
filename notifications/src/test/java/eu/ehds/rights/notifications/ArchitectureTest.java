package eu.ehds.rights.notifications;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses NOTIFICATIONS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.ehds.rights.notifications");

    @Test
    void packages_have_no_cycles() {
        slices().matching("eu.ehds.rights.notifications.(*)..").should().beFreeOfCycles().check(NOTIFICATIONS);
    }

    @Test
    void notifications_use_no_spring_and_send_through_ports() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(NOTIFICATIONS);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta.mail..", "javax.mail..")
                .check(NOTIFICATIONS);
    }

    @Test
    void only_the_vault_holds_keys() {
        noClasses().that().resideOutsideOfPackage("..vault..").should().dependOnClassesThat()
                .resideInAnyPackage("com.google.crypto.tink..", "javax.crypto..").check(NOTIFICATIONS);
    }
}
