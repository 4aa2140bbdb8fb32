package eu.ehds.rights.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import eu.ehds.rights.ledger.store.EventTypes;
import java.util.List;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses LEDGER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.ehds.rights.ledger");

    @Test
    void the_ledger_uses_no_spring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(LEDGER);
    }

    @Test
    void messages_depend_only_on_the_jdk_other_messages_and_axon_routing_annotations() {
        classes().that().resideInAPackage("eu.ehds.rights.ledger.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "eu.ehds.rights.ledger.api..",
                        "org.axonframework.modelling.command")
                .check(LEDGER);
    }

    @Test
    void messages_are_immutable_records_or_enums() {
        List<JavaClass> messages = LEDGER.stream()
                .filter(c -> c.getPackageName().startsWith("eu.ehds.rights.ledger.api."))
                .filter(c -> !c.getPackageName().endsWith(".common"))
                .filter(c -> !c.isAnonymousClass())
                .toList();
        assertThat(messages).isNotEmpty().allMatch(c -> c.isRecord() || c.isEnum());
    }

    @Test
    void every_event_has_a_stable_type_name() {
        List<Class<?>> events = LEDGER.stream()
                .filter(c -> c.getPackageName().startsWith("eu.ehds.rights.ledger.api."))
                .filter(JavaClass::isRecord)
                .filter(c -> !c.getSimpleName().endsWith("Command") && !c.getSimpleName().equals("OptOutScope"))
                .<Class<?>>map(JavaClass::reflect)
                .toList();
        assertThat(events).hasSize(22).allMatch(e -> EventTypes.of(e).isPresent());
    }

    @Test
    void packages_have_no_cycles() {
        slices().matching("eu.ehds.rights.ledger.(*)..").should().beFreeOfCycles().check(LEDGER);
    }

    private static final DescribedPredicate<JavaClass> AGGREGATES = DescribedPredicate.describe("aggregates",
            c -> c.getAllFields().stream().anyMatch(f -> f.isAnnotatedWith(AggregateIdentifier.class)));

    @Test
    void every_aggregate_is_package_private_and_takes_time_from_its_commands_not_a_clock() {
        assertThat(LEDGER.stream().filter(AGGREGATES::test)).hasSize(6);
        classes().that(AGGREGATES).should().notBePublic().check(LEDGER);
        noClasses().that(AGGREGATES).should().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.io..", "java.net..",
                        "javax.sql..")
                .check(LEDGER);
    }

    @Test
    void aggregates_stay_package_private() {
        classes().that().haveSimpleNameEndingWith("Rights").or().haveSimpleName("Project").or().haveSimpleName("Mandate")
                .or().haveSimpleName("CheckpointAnchor").or().haveSimpleName("Finding")
                .should().notBePublic().check(LEDGER);
    }
}
