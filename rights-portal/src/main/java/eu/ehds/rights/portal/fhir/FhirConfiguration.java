package eu.ehds.rights.portal.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Consent Registry at {@code /fhir}: HAPI FHIR's plain RESTful server (FHIR R4) mounted as a servlet of the
 * application, behind the same security as the API. HAPI answers {@code /fhir/metadata} with the CapabilityStatement
 * of what is served, in JSON or XML, and turns every refusal into an OperationOutcome.
 */
@Configuration(proxyBeanMethods = false)
class FhirConfiguration {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(FhirContext context, ConsentProvider consents) {
        RestfulServer server = new RestfulServer(context);
        server.setServerName("rights-ledger Consent Registry");
        server.setImplementationDescription("EHDS opt-outs and significant-finding objections as IHE PCF Consents");
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.registerProvider(consents);
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
