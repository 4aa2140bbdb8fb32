package eu.ehds.rights.ledger.api.project;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Event type {@code ProjectRegistered}, revision 1: the public sheet of a project. {@code title} is the French title;
 * {@code titleEn}, {@code summaryFr} and {@code summaryEn} (plain-language summaries) were added later and are null in
 * events recorded before, which read as they always did.
 */
public record ProjectRegistered(String projectId, String title, String controller, PurposeCategory purposeCategory,
                                List<String> dataHolders, List<String> datasets, LocalDate plannedStart,
                                LocalDate plannedEnd, String recordedBy, Instant registeredAt, String titleEn,
                                String summaryFr, String summaryEn) {

    /** A sheet in one language only. */
    public ProjectRegistered(String projectId, String title, String controller, PurposeCategory purposeCategory,
                             List<String> dataHolders, List<String> datasets, LocalDate plannedStart,
                             LocalDate plannedEnd, String recordedBy, Instant registeredAt) {
        this(projectId, title, controller, purposeCategory, dataHolders, datasets, plannedStart, plannedEnd, recordedBy,
                registeredAt, null, null, null);
    }
}
