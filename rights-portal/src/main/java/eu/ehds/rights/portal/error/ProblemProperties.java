package eu.ehds.rights.portal.error;

import java.util.Map;

/** An exception that adds members of its own to the problem answered for it (RFC 9457 extension members). */
public interface ProblemProperties {

    Map<String, Object> problemProperties();
}
