package eu.ehds.rights.portal.anchoring;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The anchoring leader's report in the shared database: which node anchors, when it last tried and what it waits for.
 * Only the leader writes it; every node reads it, so that all show the same status.
 */
public class AnchoringReports {

    /**
     * A report as written; {@code problem} and {@code lastAttempt} are null when there is none. {@code forked}: the
     * chain contradicts this log ({@code problem} says how) and anchoring has stopped.
     */
    public record Report(String leader, String problem, boolean forked, Instant lastAttempt, Instant reportedAt) {
    }

    private final JdbcClient jdbc;

    public AnchoringReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void write(String origin, Report report) {
        String problem = report.problem() == null || report.problem().length() <= 2000 ? report.problem()
                : report.problem().substring(0, 2000);
        Object[] values = {report.leader(), problem, report.forked(), timestamp(report.lastAttempt()),
                timestamp(report.reportedAt()), origin};
        int updated = jdbc.sql("UPDATE anchoring_report SET leader = ?, problem = ?, forked = ?, last_attempt = ?, "
                + "reported_at = ? WHERE origin = ?").params(values).update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO anchoring_report (leader, problem, forked, last_attempt, reported_at, origin) "
                        + "VALUES (?, ?, ?, ?, ?, ?)").params(values).update();
            } catch (DuplicateKeyException e) {
                jdbc.sql("UPDATE anchoring_report SET leader = ?, problem = ?, forked = ?, last_attempt = ?, "
                        + "reported_at = ? WHERE origin = ?").params(values).update(); // crossed a former leader's
            }
        }
    }

    public Optional<Report> read(String origin) {
        return jdbc.sql("SELECT leader, problem, forked, last_attempt, reported_at FROM anchoring_report "
                        + "WHERE origin = ?").param(origin).query((rs, i) -> new Report(rs.getString(1),
                        rs.getString(2), rs.getBoolean(3), instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))))
                .optional();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
