package eu.ehds.rights.portal.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import eu.ehds.rights.ledger.api.common.Channel;
import eu.ehds.rights.ledger.api.optout.OptOutScope;
import eu.ehds.rights.ledger.crypto.Sha256;
import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.choice.OptOuts;
import eu.ehds.rights.portal.holder.HolderScope;
import eu.ehds.rights.portal.ledger.CommandReceipt;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.receipt.Receipts;
import eu.ehds.rights.projections.register.ProjectSheet;
import eu.ehds.rights.projections.register.PublicRegisterProjection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The Consent Registry's Consent resources (IHE PCF, ITI-108 Access Consent, and writes): a person's opt-outs and
 * notification objections as recorded, searched by the person's identifier; an opt-out created or withdrawn through
 * the same command path as the staff API, so that every write is an event and a log leaf. Data holders see what the
 * decision API would tell them: for a project whose sheet names them, the opt-outs in force that apply to it.
 */
@Component
class ConsentProvider implements IResourceProvider {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private final ConsentRecords records;
    private final ConsentResources resources;
    private final Pseudonymiser pseudonymiser;
    private final OptOuts optOuts;
    private final Receipts receipts;
    private final PublicRegisterProjection register;
    private final HolderScope holders;

    ConsentProvider(ConsentRecords records, LedgerProperties properties, Pseudonymiser pseudonymiser, OptOuts optOuts,
                    Receipts receipts, PublicRegisterProjection register, HolderScope holders) {
        this.records = records;
        this.resources = new ConsentResources(properties.origin());
        this.pseudonymiser = pseudonymiser;
        this.optOuts = optOuts;
        this.receipts = receipts;
        this.register = register;
        this.holders = holders;
    }

    @Override
    public Class<Consent> getResourceType() {
        return Consent.class;
    }

    ConsentResources resources() {
        return resources;
    }

    @Read
    public Consent read(@IdParam IdType id, RequestDetails request) {
        if (HolderScope.isHolder(caller())) {
            throw new ForbiddenOperationException("data holders search by patient:identifier and project: a Consent "
                    + "is not read by its id");
        }
        ConsentRecords.ConsentRecord record = find(id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException(id));
        return toResource(record, pseudonymIdentifier(record.person()), request);
    }

    @Search
    public IBundleProvider search(
            @RequiredParam(name = "patient:identifier") TokenParam patient,
            @OptionalParam(name = Consent.SP_STATUS) TokenParam status,
            @OptionalParam(name = "project") TokenParam project,
            @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
            @Count Integer count, @Offset Integer offset, RequestDetails request) {
        Person person = person(patient);
        Stream<ConsentRecords.ConsentRecord> found = records.of(person.pseudonym()).stream();
        if (HolderScope.isHolder(caller())) {
            found = forHolder(found, project);
        } else if (project != null) {
            found = found.filter(r -> appliesTo(r, sheet(project.getValue())));
        }
        if (status != null) {
            String wanted = status.getValue();
            if (!"active".equals(wanted) && !"inactive".equals(wanted)) {
                throw new InvalidRequestException("status is active or inactive, not '" + wanted + "'");
            }
            found = found.filter(r -> r.active() == "active".equals(wanted));
        }
        if (lastUpdated != null) {
            java.util.Date from = lastUpdated.getLowerBoundAsInstant();
            java.util.Date to = lastUpdated.getUpperBoundAsInstant();
            found = found.filter(r -> (from == null || !java.util.Date.from(r.lastUpdated()).before(from))
                    && (to == null || !java.util.Date.from(r.lastUpdated()).after(to)));
        }
        List<ConsentRecords.ConsentRecord> all = found
                .sorted(Comparator.comparing(ConsentRecords.ConsentRecord::lastUpdated).reversed()).toList();
        int size = count == null ? DEFAULT_PAGE : Math.max(1, Math.min(count, MAX_PAGE));
        int from = offset == null ? 0 : Math.max(0, offset);
        List<Consent> page = all.stream().skip(from).limit(size)
                .map(r -> toResource(r, person.identifier(), request)).toList();
        SimpleBundleProvider bundle = new SimpleBundleProvider(page);
        bundle.setCurrentPageOffset(from);
        bundle.setCurrentPageSize(size);
        bundle.setSize(all.size());
        return bundle;
    }

    /** An opt-out registered by an authorised system (staff credentials), at the access body's desk. */
    @Create
    public MethodOutcome create(@ResourceParam Consent consent, @ConditionalUrlParam String ifNoneExist,
                                RequestDetails request) {
        if (consent.getStatus() != Consent.ConsentState.ACTIVE) {
            throw new UnprocessableEntityException("a new Consent records an opt-out in force: status must be active, "
                    + "not " + (consent.getStatus() == null ? "missing" : consent.getStatus().toCode()));
        }
        if (consent.hasScope() && consent.getScope().getCoding().stream().noneMatch(c ->
                ConsentResources.SCOPE.equals(c.getSystem()) && "research".equals(c.getCode()))) {
            throw new UnprocessableEntityException("this registry records opt-outs of the secondary use of health data "
                    + "(scope " + ConsentResources.SCOPE + "|research); an objection to being informed of findings is "
                    + "recorded on the portal or by the staff API");
        }
        Person person = patientIdentifier(consent);
        OptOutScope scope = scope(consent);
        String basis = ifNoneExist != null ? "if-none-exist " + ifNoneExist : requestIdentifier(consent);
        String key = "fhir-" + Sha256.hex(basis).substring(0, 40);
        CommandReceipt receipt = LedgerErrors.translate(() -> optOuts.register(person.pseudonym(), scope, Channel.DESK,
                "staff:" + caller().getName(), key));
        ConsentRecords.ConsentRecord record = records.of(person.pseudonym()).stream()
                .filter(r -> r.leaf() == receipt.leafIndex()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the opt-out just recorded is not in the person's stream"));
        Consent recorded = toResource(record, person.identifier(), request);
        MethodOutcome outcome = new MethodOutcome(recorded.getIdElement(), !receipt.replayed());
        outcome.setResource(recorded);
        return outcome;
    }

    /** Status inactive withdraws the opt-out; nothing else of a recorded Consent changes. */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Consent consent, RequestDetails request) {
        ConsentRecords.ConsentRecord record = find(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
        if (record.kind() != ConsentRecords.Kind.OPT_OUT) {
            throw new UnprocessableEntityException("objections to being informed of findings are changed on the "
                    + "portal or by the staff API, not here");
        }
        if (consent.getStatus() == Consent.ConsentState.ACTIVE) {
            if (!record.active()) {
                throw new UnprocessableEntityException("this opt-out was withdrawn; to oppose again, create a new "
                        + "Consent");
            }
        } else if (consent.getStatus() == Consent.ConsentState.INACTIVE) {
            if (record.active()) {
                LedgerErrors.translate(() -> optOuts.withdraw(record.person(), record.scope(), Channel.DESK,
                        "staff:" + caller().getName(), "fhir-withdraw-" + record.leaf()));
            }
        } else {
            throw new UnprocessableEntityException("an update sets status to inactive (withdraws the opt-out); "
                    + "status " + (consent.getStatus() == null ? "missing" : consent.getStatus().toCode())
                    + " is not accepted");
        }
        ConsentRecords.ConsentRecord now = find(id.getIdPart()).orElseThrow();
        Consent updated = toResource(now, pseudonymIdentifier(now.person()), request);
        MethodOutcome outcome = new MethodOutcome(updated.getIdElement(), false);
        outcome.setResource(updated);
        return outcome;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private record Person(String pseudonym, Identifier identifier) {
    }

    /** The person of an identifier: a NIR (INS-NIR system), pseudonymised here, or this ledger's pseudonym. */
    private Person person(TokenParam token) {
        return person(token.getSystem(), token.getValue());
    }

    private Person person(String system, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("the patient's identifier has no value");
        }
        if (ConsentResources.INS_NIR.equals(system)) {
            Nir nir = LedgerErrors.translate(() -> Nir.parse(value));
            return new Person(pseudonymiser.pseudonymise(nir),
                    new Identifier().setSystem(ConsentResources.INS_NIR).setValue(value));
        }
        if (resources.pseudonymSystem().equals(system) && Pseudonymiser.isPseudonym(value)) {
            return new Person(value, new Identifier().setSystem(system).setValue(value));
        }
        throw new InvalidRequestException("the patient is identified by a NIR (system " + ConsentResources.INS_NIR
                + ") or by this ledger's pseudonym (system " + resources.pseudonymSystem() + "), as system|value");
    }

    private Person patientIdentifier(Consent consent) {
        Identifier id = consent.getPatient().getIdentifier();
        if (id == null || id.getValue() == null) {
            throw new UnprocessableEntityException("Consent.patient must carry the person's identifier (NIR, system "
                    + ConsentResources.INS_NIR + ")");
        }
        try {
            return person(id.getSystem(), id.getValue());
        } catch (InvalidRequestException e) {
            throw new UnprocessableEntityException(e.getMessage());
        }
    }

    /** Global, one purpose (HL7 PurposeOfUse) or one project (an actor identified as a project of this register). */
    private OptOutScope scope(Consent consent) {
        Consent.ProvisionComponent provision = consent.getProvision();
        if (provision.getType() != Consent.ConsentProvisionType.DENY) {
            throw new UnprocessableEntityException("an opt-out is a provision of type deny");
        }
        List<Coding> purposes = provision.getPurpose();
        List<Consent.provisionActorComponent> actors = provision.getActor();
        if (purposes.size() + actors.size() > 1 || !provision.getProvision().isEmpty()) {
            throw new UnprocessableEntityException("an opt-out denies everything, one purpose or one project: give "
                    + "at most one provision.purpose or one provision.actor, and no nested provision");
        }
        if (purposes.size() == 1) {
            Coding purpose = purposes.get(0);
            return PurposeCodes.purpose(purpose.getSystem(), purpose.getCode()).map(OptOutScope::purpose)
                    .orElseThrow(() -> new UnprocessableEntityException("unknown purpose code " + purpose.getSystem()
                            + "|" + purpose.getCode() + "; expected one of " + PurposeCodes.known() + " in "
                            + PurposeCodes.SYSTEM));
        }
        if (actors.size() == 1) {
            Identifier project = actors.get(0).getReference().getIdentifier();
            if (project == null || !resources.projectSystem().equals(project.getSystem())
                    || register.sheet(project.getValue()).isEmpty()) {
                throw new UnprocessableEntityException("provision.actor.reference must identify a project of the "
                        + "public register (system " + resources.projectSystem() + ")");
            }
            return OptOutScope.project(project.getValue());
        }
        return OptOutScope.global();
    }

    /** What makes a create without If-None-Exist idempotent: the request's own identifier. */
    private static String requestIdentifier(Consent consent) {
        return consent.getIdentifier().stream().filter(i -> i.getSystem() != null && i.getValue() != null)
                .findFirst().map(i -> "identifier " + i.getSystem() + "|" + i.getValue())
                .orElseThrow(() -> new InvalidRequestException("a create is made idempotent by an If-None-Exist header "
                        + "or a Consent.identifier naming the request (system and value): give one, so that a retry "
                        + "records nothing twice"));
    }

    private Stream<ConsentRecords.ConsentRecord> forHolder(Stream<ConsentRecords.ConsentRecord> found,
                                                           TokenParam project) {
        if (project == null) {
            throw new ForbiddenOperationException("data holders search with the project they deliver to "
                    + "(project=<projectId>), as they ask decisions");
        }
        try {
            holders.requireNamed(caller().getName(), project.getValue());
        } catch (org.springframework.security.access.AccessDeniedException e) {
            // not the holder's message: it quotes the caller's project value, which HAPI logs
            throw new ForbiddenOperationException("data holder '" + caller().getName() + "' is not named on the "
                    + "sheet of this project: search only for projects you deliver to");
        } catch (eu.ehds.rights.ledger.api.common.InvalidRequestException e) {
            throw new InvalidRequestException("project is required: the project you deliver to");
        }
        ProjectSheet sheet = sheet(project.getValue());
        return found.filter(r -> r.active() && appliesTo(r, sheet));
    }

    private ProjectSheet sheet(String projectId) {
        return register.sheet(projectId).orElseThrow(() -> new ResourceNotFoundException("no such project in the "
                + "public register" + (projectId.matches("prj-[0-9a-f-]{1,40}") ? ": " + projectId : "")));
    }

    private static boolean appliesTo(ConsentRecords.ConsentRecord record, ProjectSheet sheet) {
        if (record.kind() != ConsentRecords.Kind.OPT_OUT) {
            return false;
        }
        OptOutScope scope = record.scope();
        return switch (scope.type()) {
            case GLOBAL -> true;
            case PURPOSE -> scope.value().equals(sheet.purpose().name());
            case PROJECT -> scope.value().equals(sheet.projectId());
        };
    }

    private Optional<ConsentRecords.ConsentRecord> find(String id) {
        if (id == null || !id.matches("(optout|objection)-\\d{1,18}")) {
            return Optional.empty();
        }
        long leaf = Long.parseLong(id.substring(id.indexOf('-') + 1));
        return receipts.entry(leaf).map(e -> e.event().path("aggregateId").asText())
                .flatMap(person -> records.find(person, id));
    }

    private Identifier pseudonymIdentifier(String pseudonym) {
        return new Identifier().setSystem(resources.pseudonymSystem()).setValue(pseudonym);
    }

    private Consent toResource(ConsentRecords.ConsentRecord record, Identifier patient, RequestDetails request) {
        String title = record.scope() != null && record.scope().type() == OptOutScope.Type.PROJECT
                ? register.sheet(record.scope().value()).map(ProjectSheet::title).orElse(null) : null;
        return resources.toResource(record, patient, title, site(request));
    }

    /** The portal's address: the FHIR base without {@code /fhir}. */
    private static String site(RequestDetails request) {
        String base = request.getFhirServerBase();
        return base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
    }

    private static Authentication caller() {
        return SecurityContextHolder.getContext().getAuthentication();
    }
}
