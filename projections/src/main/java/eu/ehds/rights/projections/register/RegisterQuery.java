package eu.ehds.rights.projections.register;

import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.util.Locale;

/**
 * A search of the public register; every criterion is optional ({@code null} matches all).
 *
 * @param text       words that must all appear in the title, controller, project id or a dataset (any case)
 * @param dataHolder a data holder named on the sheet (exact)
 */
public record RegisterQuery(String text, PurposeCategory purpose, ProjectSheet.Status status, String dataHolder) {

    public static RegisterQuery all() {
        return new RegisterQuery(null, null, null, null);
    }

    boolean matches(ProjectSheet sheet) {
        if (purpose != null && sheet.purpose() != purpose) {
            return false;
        }
        if (status != null && sheet.status() != status) {
            return false;
        }
        if (dataHolder != null && !dataHolder.isBlank() && !sheet.dataHolders().contains(dataHolder)) {
            return false;
        }
        if (text == null || text.isBlank()) {
            return true;
        }
        // both languages: "diabète" and "diabetes" find the same project
        String haystack = folded(String.join(" ", sheet.title(), sheet.controller(), sheet.projectId(),
                String.join(" ", sheet.datasets()), sheet.results() == null ? "" : sheet.results().summary(),
                String.valueOf(sheet.texts().titleEn()), String.valueOf(sheet.texts().summaryFr()),
                String.valueOf(sheet.texts().summaryEn())));
        for (String word : folded(text).trim().split("\\s+")) {
            if (!haystack.contains(word)) {
                return false;
            }
        }
        return true;
    }

    /** Lower case without accents: "etude" finds "Étude", "donnees" finds "données". */
    static String folded(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
    }
}
