package eu.ehds.rights.ledger.person;

import static eu.ehds.rights.ledger.TestData.STAFF;
import static eu.ehds.rights.ledger.TestData.T0;
import static eu.ehds.rights.ledger.TestData.anyChannel;
import static eu.ehds.rights.ledger.TestData.anyKey;
import static eu.ehds.rights.ledger.TestData.anyPerson;

import eu.ehds.rights.ledger.api.common.ConflictException;
import eu.ehds.rights.ledger.api.common.NotFoundException;
import eu.ehds.rights.ledger.api.consent.ConsentGiven;
import eu.ehds.rights.ledger.api.consent.ConsentWithdrawn;
import eu.ehds.rights.ledger.api.consent.GiveConsentCommand;
import eu.ehds.rights.ledger.api.consent.WithdrawConsentCommand;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionRegistered;
import eu.ehds.rights.ledger.api.objection.NotificationObjectionWithdrawn;
import eu.ehds.rights.ledger.api.objection.RegisterNotificationObjectionCommand;
import eu.ehds.rights.ledger.api.objection.WithdrawNotificationObjectionCommand;
import eu.ehds.rights.ledger.api.optout.OptOutRegistered;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.optout.OptOutWithdrawn;
import eu.ehds.rights.ledger.api.optout.RegisterOptOutCommand;
import eu.ehds.rights.ledger.api.optout.WithdrawOptOutCommand;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import eu.ehds.rights.ledger.project.ProjectDirectory;
import java.time.Instant;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PersonRightsTest {

    private static final String KNOWN_PROJECT = "prj-known";
    private static final Instant T1 = T0.plusSeconds(3600);

    private AggregateTestFixture<PersonRights> fixture;
    private String person;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PersonRights.class);
        fixture.registerInjectableResource((ProjectDirectory) Set.of(KNOWN_PROJECT)::contains);
        person = anyPerson();
    }

    private RegisterOptOutCommand register(OptOutScope scope) {
        return new RegisterOptOutCommand(person, scope, anyChannel(), STAFF, T1, anyKey());
    }

    private OptOutRegistered registered(OptOutScope scope, Instant at) {
        return new OptOutRegistered(person, scope, anyChannel(), STAFF, at);
    }

    @Nested
    class RegisterOptOut {

        @Test
        void records_a_global_opt_out_for_a_new_person() {
            fixture.givenNoPriorActivity()
                    .when(register(OptOutScope.global()))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(registered(OptOutScope.global(), T1));
        }

        @Test
        void records_a_purpose_opt_out_beside_an_active_global_one() {
            fixture.given(registered(OptOutScope.global(), T0))
                    .when(register(OptOutScope.purpose(PurposeCategory.STATISTICS)))
                    .expectEvents(registered(OptOutScope.purpose(PurposeCategory.STATISTICS), T1));
        }

        @Test
        void records_a_project_opt_out_for_a_registered_project() {
            fixture.givenNoPriorActivity()
                    .when(register(OptOutScope.project(KNOWN_PROJECT)))
                    .expectEvents(registered(OptOutScope.project(KNOWN_PROJECT), T1));
        }

        @Test
        void rejects_opt_out_for_unknown_project_scope() {
            fixture.givenNoPriorActivity()
                    .when(register(OptOutScope.project("prj-unknown")))
                    .expectException(NotFoundException.class)
                    .expectExceptionMessage("no project 'prj-unknown' in the register")
                    .expectNoEvents();
        }

        @Test
        void rejects_a_second_opt_out_in_the_same_scope() {
            fixture.given(registered(OptOutScope.global(), T0))
                    .when(register(OptOutScope.global()))
                    .expectException(ConflictException.class)
                    .expectNoEvents();
        }

        @Test
        void accepts_a_new_opt_out_after_the_previous_one_was_withdrawn() {
            fixture.given(registered(OptOutScope.global(), T0),
                            new OptOutWithdrawn(person, OptOutScope.global(), anyChannel(), STAFF, T0.plusSeconds(60)))
                    .when(register(OptOutScope.global()))
                    .expectEvents(registered(OptOutScope.global(), T1));
        }
    }

    @Nested
    class WithdrawOptOut {

        @Test
        void withdraws_an_active_opt_out() {
            fixture.given(registered(OptOutScope.global(), T0))
                    .when(new WithdrawOptOutCommand(person, OptOutScope.global(), anyChannel(), STAFF, T1, anyKey()))
                    .expectEvents(new OptOutWithdrawn(person, OptOutScope.global(), anyChannel(), STAFF, T1));
        }

        @Test
        void rejects_withdrawing_a_scope_that_is_not_opted_out() {
            fixture.given(registered(OptOutScope.global(), T0))
                    .when(new WithdrawOptOutCommand(person, OptOutScope.purpose(PurposeCategory.EDUCATION),
                            anyChannel(), STAFF, T1, anyKey()))
                    .expectException(ConflictException.class)
                    .expectNoEvents();
        }

        @Test
        void rejects_withdrawing_for_a_person_never_seen() {
            fixture.givenNoPriorActivity()
                    .when(new WithdrawOptOutCommand(person, OptOutScope.global(), anyChannel(), STAFF, T1, anyKey()))
                    .expectException(ConflictException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class NotificationObjection {

        @Test
        void records_an_objection() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterNotificationObjectionCommand(person, anyChannel(), STAFF, T1, anyKey()))
                    .expectEvents(new NotificationObjectionRegistered(person, anyChannel(), STAFF, T1));
        }

        @Test
        void rejects_a_second_objection() {
            fixture.given(new NotificationObjectionRegistered(person, anyChannel(), STAFF, T0))
                    .when(new RegisterNotificationObjectionCommand(person, anyChannel(), STAFF, T1, anyKey()))
                    .expectException(ConflictException.class);
        }

        @Test
        void withdraws_an_objection() {
            fixture.given(new NotificationObjectionRegistered(person, anyChannel(), STAFF, T0))
                    .when(new WithdrawNotificationObjectionCommand(person, anyChannel(), STAFF, T1, anyKey()))
                    .expectEvents(new NotificationObjectionWithdrawn(person, anyChannel(), STAFF, T1));
        }

        @Test
        void rejects_withdrawing_an_objection_that_was_never_made() {
            fixture.given(registered(OptOutScope.global(), T0))
                    .when(new WithdrawNotificationObjectionCommand(person, anyChannel(), STAFF, T1, anyKey()))
                    .expectException(ConflictException.class);
        }
    }

    @Nested
    class Consent {

        private static final String NOTICE = "ab".repeat(32);
        private final OptOutScope project = OptOutScope.project(KNOWN_PROJECT);

        private GiveConsentCommand give(OptOutScope scope, Instant at, Instant until) {
            return new GiveConsentCommand(person, scope, anyChannel(), STAFF, at, until, NOTICE, anyKey());
        }

        private ConsentGiven given(OptOutScope scope, Instant at, Instant until) {
            return new ConsentGiven(person, scope, anyChannel(), STAFF, at, until, NOTICE);
        }

        @Test
        void records_a_consent_to_a_project_with_the_hash_of_the_notice_shown() {
            fixture.givenNoPriorActivity()
                    .when(give(project, T1, null))
                    .expectEvents(given(project, T1, null));
        }

        @Test
        void refuses_a_second_consent_in_force_for_the_same_scope_but_takes_one_after_the_first_expired() {
            Instant end = T1.plusSeconds(86_400);
            fixture.given(given(OptOutScope.global(), T0, end))
                    .when(give(OptOutScope.global(), T1, null))
                    .expectException(ConflictException.class);
            fixture.given(given(OptOutScope.global(), T0, end))
                    .when(give(OptOutScope.global(), end, null))
                    .expectEvents(given(OptOutScope.global(), end, null));
        }

        @Test
        void takes_a_consent_to_a_new_notice_while_one_to_the_old_notice_is_in_force() {
            ConsentGiven toNewNotice = new ConsentGiven(person, project, anyChannel(), STAFF, T1, null, "ef".repeat(32));
            fixture.given(given(project, T0, null))
                    .when(new GiveConsentCommand(person, project, anyChannel(), STAFF, T1, null, "ef".repeat(32),
                            anyKey()))
                    .expectEvents(toNewNotice);
        }

        @Test
        void refuses_a_consent_to_a_project_not_in_the_register() {
            fixture.givenNoPriorActivity()
                    .when(give(OptOutScope.project("prj-unknown"), T1, null))
                    .expectException(NotFoundException.class);
        }

        @Test
        void withdraws_a_consent_in_force_and_refuses_to_withdraw_one_that_is_not() {
            fixture.given(given(project, T0, null))
                    .when(new WithdrawConsentCommand(person, project, anyChannel(), STAFF, T1, anyKey()))
                    .expectEvents(new ConsentWithdrawn(person, project, anyChannel(), STAFF, T1));
            fixture.given(given(project, T0, null), new ConsentWithdrawn(person, project, anyChannel(), STAFF, T1))
                    .when(new WithdrawConsentCommand(person, project, anyChannel(), STAFF, T1.plusSeconds(1), anyKey()))
                    .expectException(ConflictException.class);
            fixture.given(given(project, T0, T1))
                    .when(new WithdrawConsentCommand(person, project, anyChannel(), STAFF, T1, anyKey()))
                    .expectException(ConflictException.class);
        }

        @Test
        void a_consent_needs_the_hash_of_its_notice_and_an_end_after_it_is_given() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GiveConsentCommand(person, project,
                    anyChannel(), STAFF, T1, null, "not-a-hash", anyKey())).hasMessageContaining("noticeSha256");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GiveConsentCommand(person, project,
                    anyChannel(), STAFF, T1, T1, NOTICE, anyKey())).hasMessageContaining("validUntil");
        }
    }
}
