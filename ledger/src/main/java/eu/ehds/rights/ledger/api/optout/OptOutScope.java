package eu.ehds.rights.ledger.api.optout;

import eu.ehds.rights.ledger.api.common.InvalidRequestException;
import eu.ehds.rights.ledger.api.project.PurposeCategory;

/**
 * What an opt-out covers: every secondary use ({@code GLOBAL}), one purpose category ({@code PURPOSE}, value =
 * category name) or one project ({@code PROJECT}, value = project id).
 */
public record OptOutScope(Type type, String value) {

    public enum Type { GLOBAL, PURPOSE, PROJECT }

    public static OptOutScope global() {
        return new OptOutScope(Type.GLOBAL, null);
    }

    public static OptOutScope purpose(PurposeCategory category) {
        return new OptOutScope(Type.PURPOSE, category.name());
    }

    public static OptOutScope project(String projectId) {
        return new OptOutScope(Type.PROJECT, projectId);
    }

    /** Checks the value fits the type; returns this scope for chaining in constructors. */
    public OptOutScope validated() {
        if (type == null) {
            throw new InvalidRequestException("scope.type is required: GLOBAL, PURPOSE or PROJECT");
        }
        switch (type) {
            case GLOBAL -> {
                if (value != null && !value.isEmpty()) {
                    throw new InvalidRequestException("scope.value must be empty for a GLOBAL scope");
                }
            }
            case PURPOSE -> PurposeCategory.parse(value);
            case PROJECT -> {
                if (value == null || value.isBlank()) {
                    throw new InvalidRequestException("scope.value must name the project for a PROJECT scope");
                }
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return type == Type.GLOBAL ? "GLOBAL" : type + ":" + value;
    }
}
