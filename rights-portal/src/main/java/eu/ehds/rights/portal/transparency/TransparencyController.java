package eu.ehds.rights.portal.transparency;

import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.projections.usage.UsageProjection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Which projects used my data?": the recorded usages whose delivered cohort included the person. Staff answer
 * citizens' requests here; the citizens' own pages use the same query ({@link PersonUsages}).
 */
@RestController
@RequestMapping("/api/v1/transparency")
@Tag(name = "Transparency")
class TransparencyController {

    record PersonRequest(String person) {
    }

    /**
     * @param usages                 the usages that included the person
     * @param usagesWithoutCohortFile usages whose cohort the ledger does not hold (filtered offline): membership
     *                               unknown
     */
    record UsagesResponse(List<UsageProjection.Usage> usages, long usagesWithoutCohortFile) {
    }

    private final PersonUsages personUsages;
    private final Pseudonymiser pseudonymiser;

    TransparencyController(PersonUsages personUsages, Pseudonymiser pseudonymiser) {
        this.personUsages = personUsages;
        this.pseudonymiser = pseudonymiser;
    }

    @PostMapping("/usages")
    @Operation(summary = "The usages (project, data holder, dataset, date) whose delivered cohort included a person")
    UsagesResponse usages(@RequestBody PersonRequest request) {
        String person = Pseudonymiser.isPseudonym(request.person()) ? request.person()
                : pseudonymiser.pseudonymise(Nir.parse(request.person()));
        PersonUsages.Answer answer = personUsages.of(person);
        return new UsagesResponse(answer.included(), answer.usagesWithoutCohortFile());
    }
}
