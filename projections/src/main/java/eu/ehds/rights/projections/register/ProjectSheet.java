package eu.ehds.rights.projections.register;

import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A project's public sheet (EHDS Art. 58(1)): purpose, controller, permit, derogation if any, datasets, dates,
 * results and how many extracts were delivered to it.
 */
public record ProjectSheet(String projectId, String title, String controller, PurposeCategory purpose,
                           List<String> dataHolders, List<String> datasets, LocalDate plannedStart,
                           LocalDate plannedEnd, Instant registeredAt, Permit permit, Derogation derogation,
                           Instant closedAt, Results results, int deliveries, Instant lastDeliveryAt, Texts texts) {

    /** The title in English and the plain-language summaries; any may be null (sheets registered before). */
    public record Texts(String titleEn, String summaryFr, String summaryEn) {
        static final Texts NONE = new Texts(null, null, null);
    }

    /** The title in a language ("fr" or "en"), the French one when there is no other. */
    public String titleIn(String language) {
        return "en".equals(language) && texts.titleEn() != null ? texts.titleEn() : title;
    }

    /** The plain-language summary in a language, the other language's when there is none; null when none at all. */
    public String summaryIn(String language) {
        return "en".equals(language) ? (texts.summaryEn() != null ? texts.summaryEn() : texts.summaryFr())
                : (texts.summaryFr() != null ? texts.summaryFr() : texts.summaryEn());
    }

    public enum Status { AWAITING_PERMIT, PERMITTED, CLOSED }

    public record Permit(String permitId, Instant approvedAt) {
    }

    /** A public-interest derogation (EHDS Art. 71(4)): opt-outs do not apply to this project. */
    public record Derogation(String legalGround, String justification, Instant recordedAt) {
    }

    public record Results(String summary, String resultsUrl, Instant publishedAt) {
    }

    public Status status() {
        if (closedAt != null) {
            return Status.CLOSED;
        }
        return permit != null ? Status.PERMITTED : Status.AWAITING_PERMIT;
    }

    ProjectSheet withPermit(Permit p) {
        return new ProjectSheet(projectId, title, controller, purpose, dataHolders, datasets, plannedStart, plannedEnd,
                registeredAt, p, derogation, closedAt, results, deliveries, lastDeliveryAt, texts);
    }

    ProjectSheet withDerogation(Derogation d) {
        return new ProjectSheet(projectId, title, controller, purpose, dataHolders, datasets, plannedStart, plannedEnd,
                registeredAt, permit, d, closedAt, results, deliveries, lastDeliveryAt, texts);
    }

    ProjectSheet withClosure(Instant at) {
        return new ProjectSheet(projectId, title, controller, purpose, dataHolders, datasets, plannedStart, plannedEnd,
                registeredAt, permit, derogation, at, results, deliveries, lastDeliveryAt, texts);
    }

    ProjectSheet withResults(Results r) {
        return new ProjectSheet(projectId, title, controller, purpose, dataHolders, datasets, plannedStart, plannedEnd,
                registeredAt, permit, derogation, closedAt, r, deliveries, lastDeliveryAt, texts);
    }

    ProjectSheet withDelivery(Instant at) {
        Instant last = lastDeliveryAt == null || at.isAfter(lastDeliveryAt) ? at : lastDeliveryAt;
        return new ProjectSheet(projectId, title, controller, purpose, dataHolders, datasets, plannedStart, plannedEnd,
                registeredAt, permit, derogation, closedAt, results, deliveries + 1, last, texts);
    }
}
