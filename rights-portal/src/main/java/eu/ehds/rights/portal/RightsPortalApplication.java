package eu.ehds.rights.portal;

import eu.ehds.rights.portal.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The rights portal and ledger. {@code java -jar rights-portal.jar} serves; {@code verify} and {@code bench}
 * are commands (see {@link Cli}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RightsPortalApplication {

    public static void main(String[] args) {
        quietAxon();
        if (args.length > 0 && Cli.isCommand(args[0])) {
            System.exit(Cli.run(args));
        }
        SpringApplication.run(RightsPortalApplication.class, args);
    }

    /** The ledger makes no outbound calls: no update check, no console advertisement. */
    public static void quietAxon() {
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
