package eu.ehds.rights.ledger.project;

/**
 * Tells command handlers whether a project is in the register, so that an opt-out cannot name a project that
 * does not exist.
 *
 * <pre>{@code
 * ProjectDirectory directory = eventStore.lastSequenceNumberFor(id)::isPresent; // or any other lookup
 * }</pre>
 */
@FunctionalInterface
public interface ProjectDirectory {

    boolean exists(String projectId);
}
