package eu.ehds.rights.portal.support;

/** The NIRs the local identity provider asserts for its demo people (application.yml, portal.local-idp.people). */
public final class DemoPeople {

    public static final String CAMILLE_NIR = "285037505612306";
    public static final String NADIA_NIR = "280111305504626";
    public static final String LOUIS_NIR = "115067511203403";
    public static final String JEAN_NIR = "162096912345668";

    private DemoPeople() {
    }
}
