package eu.ehds.rights.ledger.api.project;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Event type {@code ProjectRegistered}, revision 1: the public sheet of a project. */
public record ProjectRegistered(String projectId, String title, String controller, PurposeCategory purposeCategory,
                                List<String> dataHolders, List<String> datasets, LocalDate plannedStart,
                                LocalDate plannedEnd, String recordedBy, Instant registeredAt) {
}
