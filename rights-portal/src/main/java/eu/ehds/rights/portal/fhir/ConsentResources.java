package eu.ehds.rights.portal.fhir;

import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.api.project.PurposeCategory;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.UrlType;

/**
 * A recorded opt-out or notification objection as an HL7 FHIR R4 Consent after the IHE PCF basic Consent: the
 * patient as an identifier only, a {@code deny} provision with the purpose (HL7 PurposeOfUse) or the project, the
 * period from registration to withdrawal, and its proof (the log entry as an identifier, its receipt as a link).
 */
final class ConsentResources {

    static final String INS_NIR = "urn:oid:1.2.250.1.213.1.4.8";
    static final String LOINC = "http://loinc.org";
    static final String SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    static final String ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";
    static final String REGULATION = "https://eur-lex.europa.eu/eli/reg/2025/327/oj";

    private final String base;

    /** @param origin the log's origin, under which this ledger's own identifier systems are named */
    ConsentResources(String origin) {
        this.base = "https://" + origin;
    }

    String pseudonymSystem() {
        return base + "/pseudonym";
    }

    String projectSystem() {
        return base + "/project";
    }

    String entrySystem() {
        return base + "/log-entry";
    }

    String categorySystem() {
        return base + "/fhir/CodeSystem/consent-category";
    }

    String receiptExtension() {
        return base + "/fhir/StructureDefinition/ledger-receipt";
    }

    /**
     * @param patient the identifier to show for the person: the one the caller searched with, else the pseudonym
     * @param site    the address of the portal, for the receipt's link
     */
    Consent toResource(ConsentRecords.ConsentRecord record, Identifier patient, String projectTitle, String site) {
        Consent consent = new Consent();
        consent.setId(record.id());
        consent.getMeta().setLastUpdated(Date.from(record.lastUpdated()));
        consent.addIdentifier().setSystem(entrySystem()).setValue(Long.toString(record.leaf()));
        consent.addExtension(receiptExtension(), new UrlType(site + "/my/receipts/" + record.leaf()));
        consent.setStatus(record.active() ? Consent.ConsentState.ACTIVE : Consent.ConsentState.INACTIVE);
        consent.setPatient(new Reference().setIdentifier(patient.copy()));
        consent.setDateTime(Date.from(record.registeredAt()));
        consent.addPerformer(performer(record, patient));
        consent.addCategory(new CodeableConcept(new Coding(LOINC, "59284-0", "Patient Consent")));
        Consent.ProvisionComponent provision = consent.getProvision();
        provision.setType(Consent.ConsentProvisionType.DENY);
        provision.setPeriod(new Period().setStart(Date.from(record.registeredAt()))
                .setEnd(record.withdrawnAt() == null ? null : Date.from(record.withdrawnAt())));
        if (record.kind() == ConsentRecords.Kind.OPT_OUT) {
            consent.setScope(new CodeableConcept(new Coding(SCOPE, "research", "Research")));
            consent.addCategory(new CodeableConcept(new Coding(categorySystem(), "ehds-secondary-use-opt-out",
                    "Opt-out of the secondary use of electronic health data (EHDS Art. 71)")));
            consent.addPolicy().setAuthority("https://eur-lex.europa.eu").setUri(REGULATION + "#art_71");
            OptOutScope scope = record.scope();
            if (scope.type() == OptOutScope.Type.PURPOSE) {
                PurposeCodes.Code code = PurposeCodes.of(PurposeCategory.valueOf(scope.value()));
                provision.addPurpose(new Coding(PurposeCodes.SYSTEM, code.code(), code.display()));
            } else if (scope.type() == OptOutScope.Type.PROJECT) {
                provision.addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION, "IRCP",
                                "information recipient")))
                        .setReference(new Reference().setIdentifier(new Identifier().setSystem(projectSystem())
                                .setValue(scope.value())).setDisplay(projectTitle));
            }
        } else {
            consent.setScope(new CodeableConcept(new Coding(SCOPE, "patient-privacy", "Privacy Consent")));
            consent.addCategory(new CodeableConcept(new Coding(categorySystem(), "ehds-significant-finding-objection",
                    "Objection to being informed of significant findings (EHDS Art. 58(3), 61(5))")));
            consent.addPolicy().setAuthority("https://eur-lex.europa.eu").setUri(REGULATION + "#art_61");
            provision.addAction(new CodeableConcept(new Coding(ACTION, "disclose", "Disclose")));
        }
        return consent;
    }

    /** Who recorded it: the person, a representative under a mandate, or staff through a channel. */
    private Reference performer(ConsentRecords.ConsentRecord record, Identifier patient) {
        String by = record.recordedBy();
        int mandate = by.indexOf(" mandate:");
        if (by.startsWith("representative:") && mandate > 0) {
            String mandateId = by.substring(mandate + " mandate:".length());
            return new Reference().setIdentifier(new Identifier().setSystem(base + "/mandate").setValue(mandateId))
                    .setDisplay("legal representative under mandate " + mandateId);
        }
        if (by.startsWith("staff:") || by.startsWith("system:")) {
            return new Reference().setDisplay("access body staff, channel " + record.channel());
        }
        return new Reference().setIdentifier(patient.copy()).setDisplay("the person, channel " + record.channel());
    }
}
