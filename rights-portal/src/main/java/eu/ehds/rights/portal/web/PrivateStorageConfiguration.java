package eu.ehds.rights.portal.web;

import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.ledger.PrivateFiles;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * What the server keeps in its data directory is private to the server's user (0700, created so when new): uploads in flight
 * (an extract holds NIRs in clear) are spooled to {@code LEDGER_DATA_DIR/uploads}, not to the shared temporary
 * directory. Scheduling runs the purge of filtered extracts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableScheduling
class PrivateStorageConfiguration {

    @Bean
    MultipartConfigElement multipartConfigElement(MultipartProperties multipart, LedgerProperties ledger) {
        PrivateFiles.dataDirectory(ledger.dataDir());
        multipart.setLocation(PrivateFiles.directory(ledger.dataDir().resolve("uploads")).toAbsolutePath().toString());
        return multipart.createMultipartConfig();
    }
}
