package eu.ehds.rights.portal.web;

import org.springframework.stereotype.Component;

/**
 * Whether the pages wear the State's brand (the emblem in the header and footer, the Marianne font), read by the
 * layout as {@code @brand.state()} so that every page, error pages included, agrees.
 */
@Component("brand")
public class Brand {

    private final boolean state;

    Brand(PortalProperties properties) {
        this.state = properties.stateBrand();
    }

    public boolean state() {
        return state;
    }
}
