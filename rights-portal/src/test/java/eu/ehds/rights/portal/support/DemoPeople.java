package eu.ehds.rights.portal.support;

/** The NIRs the local identity provider asserts for its demo people (application.yml, portal.local-idp.people). */
public final class DemoPeople {

    public static final String CAMILLE_NIR = "285037505600032";
    public static final String NADIA_NIR = "280111305500072";
    public static final String LOUIS_NIR = "115067511200037";
    public static final String JEAN_NIR = "162096912300039";

    private DemoPeople() {
    }
}
