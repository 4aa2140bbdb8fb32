package eu.ehds.rights.portal.fhir;

import ca.uhn.fhir.context.FhirContext;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.springframework.stereotype.Component;

/**
 * A person's own choices as a FHIR Bundle of Consents, for them to take elsewhere (GDPR Art. 20): the same resources
 * the Consent Registry serves, the person named by this ledger's pseudonym.
 */
@Component
public class ChoicesExport {

    private final ConsentRecords records;
    private final ConsentResources resources;
    private final PublicRegisterProjection register;
    private final FhirContext fhir;

    ChoicesExport(ConsentRecords records, LedgerProperties properties, PublicRegisterProjection register,
                  FhirContext fhir) {
        this.records = records;
        this.resources = new ConsentResources(properties.origin());
        this.register = register;
        this.fhir = fhir;
    }

    /** The Bundle (type collection) as FHIR JSON; {@code site} is the portal's address, for the receipts' links. */
    public String bundle(String pseudonym, String site) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(new Date());
        Identifier person = new Identifier().setSystem(resources.pseudonymSystem()).setValue(pseudonym);
        for (ConsentRecords.ConsentRecord record : records.of(pseudonym)) {
            String title = record.scope() != null && record.scope().type() == OptOutScope.Type.PROJECT
                    ? register.sheet(record.scope().value()).map(ProjectSheet::title).orElse(null) : null;
            Consent consent = resources.toResource(record, person, title, site);
            bundle.addEntry().setFullUrl(site + "/fhir/Consent/" + consent.getIdPart()).setResource(consent);
        }
        return fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
    }
}
