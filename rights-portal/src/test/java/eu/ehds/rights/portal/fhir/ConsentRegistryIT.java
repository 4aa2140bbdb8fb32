package eu.ehds.rights.portal.fhir;

import static eu.ehds.rights.portal.support.Nirs.anyNir;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.choice.OptOuts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Consent Registry at {@code /fhir} as hospital and research systems use it, through HAPI FHIR's own generic
 * client, on the embedded ledger; every resource the server emits is validated against the FHIR R4 base definitions.
 */
@org.springframework.test.context.ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentRegistryIT {

    private static final String INS_NIR = "urn:oid:1.2.250.1.213.1.4.8";
    private static final String PURPOSE = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "fhir-it");
    }

    @LocalServerPort
    int port;

    @Autowired
    OptOuts optOuts;

    @Autowired
    Pseudonymiser pseudonymiser;

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();
    private FhirValidator validator;
    private IGenericClient admin;
    private Api api;
    private String projectSystem;

    @BeforeAll
    void clientsAndValidator() {
        api = new Api(port);
        admin = client(new BasicAuthInterceptor("admin", Api.ADMIN_PASSWORD));
        validator = fhir.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir), new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir))));
        projectSystem = "https://rights-ledger.localhost/log/project";
    }

    private IGenericClient client(Object interceptor) {
        fhir.getRestfulClientFactory().setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
        IGenericClient client = fhir.newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");
        if (interceptor != null) {
            client.registerInterceptor(interceptor);
        }
        return client;
    }

    private IGenericClient withApiKey(String key) {
        AdditionalRequestHeadersInterceptor headers = new AdditionalRequestHeadersInterceptor();
        headers.addHeaderValue("X-Api-Key", key);
        return client(headers);
    }

    /** Zero errors against the FHIR R4 base definitions (warnings and information are printed by the assertion). */
    private <T extends IBaseResource> T valid(T resource) {
        List<SingleValidationMessage> errors = validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();
        assertThat(errors).as(fhir.newJsonParser().encodeResourceToString(resource)).isEmpty();
        return resource;
    }

    private static Consent optOut(String nir) {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "research", null)));
        consent.addCategory(new org.hl7.fhir.r4.model.CodeableConcept(new Coding("http://loinc.org", "59284-0", null)));
        consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(INS_NIR).setValue(nir)));
        consent.getProvision().setType(Consent.ConsentProvisionType.DENY);
        return consent;
    }

    private MethodOutcome create(Consent consent, String ifNoneExist) {
        return admin.create().resource(consent).conditionalByUrl("Consent?" + ifNoneExist).execute();
    }

    private Bundle search(IGenericClient client, String query) {
        return valid(client.search().byUrl("Consent?" + query).returnBundle(Bundle.class).execute());
    }

    private long treeSize() {
        return Long.parseLong(api.get("/api/v1/log/checkpoint").body().split("\n")[1]);
    }

    private String project(String dataHolder) {
        Api.Response r = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Registre FHIR\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"SCIENTIFIC_RESEARCH\",\"dataHolders\":[\"" + dataHolder + "\"],"
                + "\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2027-12-31\","
                + "\"idempotencyKey\":\"fhir-it-" + UUID.randomUUID() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("projectId").asString();
    }

    /** A failed call's answer: its status and the OperationOutcome it carried, validated. */
    private OperationOutcome refused(Runnable call, int status) {
        BaseServerResponseException e = (BaseServerResponseException) org.assertj.core.api.Assertions
                .catchThrowable(call::run);
        assertThat(e).as("refused with " + status).isNotNull();
        assertThat(e.getStatusCode()).as(e.getMessage()).isEqualTo(status);
        return valid((OperationOutcome) e.getOperationOutcome());
    }

    // ------------------------------------------------------------------------------------------------ read

    @Test
    void the_validator_used_here_finds_errors_in_a_consent_that_breaks_the_base_definitions() {
        assertThat(validator.validateWithResult(new Consent()).getMessages())
                .anyMatch(m -> m.getSeverity() == ResultSeverityEnum.ERROR && m.getMessage().contains("status"));
    }

    @Test
    void the_capability_statement_names_the_consent_registry_in_json_and_xml() throws Exception {
        CapabilityStatement capabilities = valid(client(null).capabilities().ofType(CapabilityStatement.class)
                .execute());

        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        CapabilityStatement.CapabilityStatementRestResourceComponent consent = capabilities.getRestFirstRep()
                .getResource().stream().filter(r -> r.getType().equals("Consent")).findFirst().orElseThrow();
        assertThat(consent.getInteraction()).extracting(i -> i.getCode().toCode())
                .contains("read", "search-type", "create", "update");
        assertThat(consent.getSearchParam()).extracting(p -> p.getName())
                .contains("patient:identifier", "status", "_lastUpdated", "project");
        HttpResponse<String> xml = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/fhir/metadata")).header("Accept", "application/fhir+xml").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.body()).contains("<CapabilityStatement xmlns=\"http://hl7.org/fhir\">");
        valid(fhir.newXmlParser().parseResource(CapabilityStatement.class, xml.body()));
    }

    @Test
    void a_system_creates_an_opt_out_twice_with_if_none_exist_and_one_is_recorded_then_withdraws_it() {
        String nir = anyNir();
        String request = "identifier=urn:ietf:rfc:3986|urn:uuid:" + UUID.randomUUID();
        long before = treeSize();

        MethodOutcome first = create(optOut(nir), request);
        MethodOutcome again = create(optOut(nir), request);

        assertThat(first.getCreated()).isTrue();
        assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(treeSize()).as("one entry for two requests").isEqualTo(before + 1);
        Consent recorded = valid((Consent) first.getResource());
        assertThat(valid((Consent) again.getResource()).getIdPart()).isEqualTo(recorded.getIdPart());
        assertThat(recorded.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
        assertThat(recorded.getPatient().getIdentifier().getValue()).as("the NIR the caller sent").isEqualTo(nir);
        assertThat(recorded.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
        assertThat(recorded.getProvision().getPurpose()).isEmpty();
        assertThat(recorded.getPolicyFirstRep().getUri()).endsWith("#art_71");
        long leaf = Long.parseLong(recorded.getIdentifierFirstRep().getValue());
        assertThat(recorded.getExtension().get(0).getValue().primitiveValue()).endsWith("/my/receipts/" + leaf);
        assertThat(api.get("/api/v1/log/entries?start=" + leaf + "&end=" + (leaf + 1), "auditor",
                Api.AUDITOR_PASSWORD).json().get(0).get("event").get("type").asString()).isEqualTo("OptOutRegistered");

        // read by id: the person as this ledger's pseudonym, never the NIR
        Consent read = valid(admin.read().resource(Consent.class).withId(first.getId().getIdPart()).execute());
        assertThat(read.getPatient().getIdentifier().getValue())
                .isEqualTo(pseudonymiser.pseudonymise(Nir.parse(nir)));
        assertThat(fhir.newJsonParser().encodeResourceToString(read)).doesNotContain(nir);

        // withdrawn by setting its status to inactive; a second update changes nothing
        read.setStatus(Consent.ConsentState.INACTIVE);
        Consent withdrawn = valid((Consent) admin.update().resource(read).execute().getResource());
        valid((Consent) admin.update().resource(read).execute().getResource());
        assertThat(withdrawn.getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
        assertThat(withdrawn.getProvision().getPeriod().getEnd()).isNotNull();
        assertThat(treeSize()).isEqualTo(before + 2);
        Bundle inactive = search(admin, "patient:identifier=" + INS_NIR + "|" + nir + "&status=inactive");
        assertThat(inactive.getTotal()).isEqualTo(1);
        assertThat(search(admin, "patient:identifier=" + INS_NIR + "|" + nir + "&status=active").getTotal()).isZero();
    }

    @Test
    void opt_outs_for_a_purpose_and_for_a_project_map_to_purpose_of_use_and_to_the_project() {
        String nir = anyNir();
        String project = project("CNAM");
        Consent research = optOut(nir);
        research.getProvision().addPurpose(new Coding(PURPOSE, "HRESCH", null));
        Consent forProject = optOut(nir);
        forProject.getProvision().addActor()
                .setRole(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference().setIdentifier(new Identifier().setSystem(projectSystem)
                        .setValue(project)));

        create(research, "identifier=urn:x|" + UUID.randomUUID());
        create(forProject, "identifier=urn:x|" + UUID.randomUUID());

        Bundle found = search(admin, "patient:identifier=" + INS_NIR + "|" + nir);
        assertThat(found.getTotal()).isEqualTo(2);
        List<Consent> consents = found.getEntry().stream().map(e -> (Consent) e.getResource()).toList();
        assertThat(consents).anySatisfy(c -> assertThat(c.getProvision().getPurposeFirstRep().getCode())
                .isEqualTo("HRESCH"));
        assertThat(consents).anySatisfy(c -> {
            assertThat(c.getProvision().getActorFirstRep().getReference().getIdentifier().getValue())
                    .isEqualTo(project);
            assertThat(c.getProvision().getActorFirstRep().getReference().getDisplay()).isEqualTo("Registre FHIR");
        });
    }

    @Test
    void an_objection_to_being_informed_of_findings_is_a_consent_of_its_own_category() {
        String nir = anyNir();
        assertThat(api.postAsAdmin("/api/v1/notification-objections", "{\"person\":\"" + nir
                + "\",\"channel\":\"POST\",\"idempotencyKey\":\"fhir-it-" + UUID.randomUUID() + "\"}").status())
                .isEqualTo(201);

        Consent objection = (Consent) search(admin, "patient:identifier=" + INS_NIR + "|" + nir).getEntryFirstRep()
                .getResource();

        assertThat(objection.getIdPart()).startsWith("objection-");
        assertThat(objection.getCategory()).anySatisfy(c -> assertThat(c.getCodingFirstRep().getCode())
                .isEqualTo("ehds-significant-finding-objection"));
        assertThat(objection.getScope().getCodingFirstRep().getCode()).isEqualTo("patient-privacy");
        assertThat(objection.getPolicyFirstRep().getUri()).endsWith("#art_61");
        assertThat(objection.getPerformerFirstRep().getDisplay()).contains("staff", "POST");
    }

    @Test
    void a_representatives_opt_out_shows_the_mandate_as_performer() {
        String nir = anyNir();
        String person = pseudonymiser.pseudonymise(Nir.parse(nir));
        optOuts.register(person, OptOutScope.global(), Channel.REPRESENTATIVE,
                "representative:" + pseudonymiser.pseudonymise(Nir.parse(anyNir())) + " mandate:mdt-42",
                "fhir-it-" + UUID.randomUUID());

        Consent consent = (Consent) search(admin, "patient:identifier=" + INS_NIR + "|" + nir).getEntryFirstRep()
                .getResource();

        assertThat(consent.getPerformerFirstRep().getIdentifier().getSystem()).endsWith("/mandate");
        assertThat(consent.getPerformerFirstRep().getIdentifier().getValue()).isEqualTo("mdt-42");
        assertThat(consent.getPerformerFirstRep().getDisplay()).contains("legal representative");
    }

    @Test
    void a_person_with_250_consents_is_paged_through_with_the_next_links() {
        String nir = anyNir();
        String person = pseudonymiser.pseudonymise(Nir.parse(nir));
        for (int i = 0; i < 250; i++) {
            optOuts.register(person, OptOutScope.global(), Channel.POST, "staff:admin", "fhir-page-" + UUID.randomUUID());
            if (i < 249) {
                optOuts.withdraw(person, OptOutScope.global(), Channel.POST, "staff:admin",
                        "fhir-page-" + UUID.randomUUID());
            }
        }

        Bundle page = search(admin, "patient:identifier=" + INS_NIR + "|" + nir + "&_count=60");
        Set<String> ids = new HashSet<>();
        int pages = 0;
        while (true) {
            pages++;
            page.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = valid(admin.loadPage().next(page).execute());
        }
        assertThat(page.getTotal()).isEqualTo(250);
        assertThat(ids).hasSize(250);
        assertThat(pages).isEqualTo(5);
    }

    @Test
    void a_citizen_downloads_their_own_choices_as_a_fhir_bundle() {
        String camille = pseudonymiser.pseudonymise(Nir.parse(eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR));
        create(optOut(eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR), "identifier=urn:x|" + UUID.randomUUID());
        eu.ehds.rights.portal.support.PortalSession citizen = new eu.ehds.rights.portal.support.PortalSession(port);
        citizen.signInAsCitizen("camille");

        eu.ehds.rights.portal.support.PortalSession.Page download = citizen.get("/my/choices.fhir.json");

        assertThat(download.status()).isEqualTo(200);
        Bundle bundle = valid(fhir.newJsonParser().parseResource(Bundle.class, download.body()));
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).isNotEmpty().allSatisfy(e -> assertThat(((Consent) e.getResource()).getPatient()
                .getIdentifier().getValue()).isEqualTo(camille));
        assertThat(download.body()).doesNotContain(eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR);
        assertThat(citizen.get("/my?lang=en").body()).contains("/my/choices.fhir.json");
    }

    // ------------------------------------------------------------------------------------------------ who may

    @Test
    void a_data_holder_sees_only_the_opt_outs_in_force_for_a_project_that_names_it() {
        String nir = anyNir();
        String ours = project("CNAM");
        String theirs = project("AP-HP");
        Consent global = optOut(nir);
        create(global, "identifier=urn:x|" + UUID.randomUUID());
        Consent other = optOut(nir);
        other.getProvision().addActor().setRole(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference().setIdentifier(new Identifier().setSystem(projectSystem).setValue(theirs)));
        create(other, "identifier=urn:x|" + UUID.randomUUID());
        String holderKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        IGenericClient holder = withApiKey(holderKey);

        Bundle seen = search(holder, "patient:identifier=" + INS_NIR + "|" + nir + "&project=" + ours);

        assertThat(seen.getTotal()).as("the global opt-out applies, the other project's does not").isEqualTo(1);
        refused(() -> holder.search().byUrl("Consent?patient:identifier=" + INS_NIR + "|" + nir + "&project=" + theirs)
                .returnBundle(Bundle.class).execute(), 403);
        refused(() -> holder.search().byUrl("Consent?patient:identifier=" + INS_NIR + "|" + nir)
                .returnBundle(Bundle.class).execute(), 403);
        String id = seen.getEntryFirstRep().getResource().getIdElement().getIdPart();
        refused(() -> holder.read().resource(Consent.class).withId(id).execute(), 403);
        refused(() -> holder.create().resource(optOut(anyNir())).execute(), 403);
        String projectKey = api.postAsAdmin("/api/v1/projects/" + ours + "/api-keys", "{}").json().get("apiKey")
                .asString();
        refused(() -> withApiKey(projectKey).search().byUrl("Consent?patient:identifier=" + INS_NIR + "|" + nir
                + "&project=" + ours).returnBundle(Bundle.class).execute(), 403);
        refused(() -> client(null).search().byUrl("Consent?patient:identifier=" + INS_NIR + "|" + nir)
                .returnBundle(Bundle.class).execute(), 401);
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @Test
    void bad_input_is_an_operation_outcome_and_nothing_is_recorded() throws Exception {
        long before = treeSize();
        Consent unknownPurpose = optOut(anyNir());
        unknownPurpose.getProvision().addPurpose(new Coding(PURPOSE, "NOPE", null));
        OperationOutcome purpose = refused(() -> create(unknownPurpose, "identifier=urn:x|" + UUID.randomUUID()), 422);
        assertThat(purpose.getIssueFirstRep().getDiagnostics()).contains("unknown purpose code", "HRESCH");

        OperationOutcome nir = refused(() -> create(optOut("123"), "identifier=urn:x|" + UUID.randomUUID()), 422);
        assertThat(nir.getIssueFirstRep().getDiagnostics()).contains("NIR");

        Consent objection = optOut(anyNir());
        objection.setScope(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        assertThat(refused(() -> create(objection, "identifier=urn:x|" + UUID.randomUUID()), 422).getIssueFirstRep()
                .getDiagnostics()).contains("opt-outs of the secondary use");

        Consent permit = optOut(anyNir());
        permit.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        refused(() -> create(permit, "identifier=urn:x|" + UUID.randomUUID()), 422);
        refused(() -> admin.create().resource(optOut(anyNir())).execute(), 400); // neither If-None-Exist nor identifier

        for (String[] body : new String[][] {{"application/fhir+json", "this is not FHIR", "400"},
                {"application/fhir+json", fhir.newJsonParser().encodeResourceToString(new Patient()), "400"},
                {"text/plain", "{}", "400"}}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/fhir/Consent")).header("Authorization", Api.basic("admin", Api.ADMIN_PASSWORD))
                    .header("Content-Type", body[0]).POST(HttpRequest.BodyPublishers.ofString(body[1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(body[1] + ": " + answer.body()).isEqualTo(Integer.parseInt(body[2]));
            valid(fhir.newJsonParser().parseResource(OperationOutcome.class, answer.body()));
        }
        assertThat(treeSize()).as("nothing recorded").isEqualTo(before);
    }
}
