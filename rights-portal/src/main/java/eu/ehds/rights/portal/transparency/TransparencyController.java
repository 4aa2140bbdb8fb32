package eu.ehds.rights.portal.transparency;

import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.ledger.identity.Pseudonymiser;
import eu.ehds.rights.portal.holder.Cohorts;
import eu.ehds.rights.projections.extract.PseudonymSet;
import eu.ehds.rights.projections.usage.CohortFile;
import eu.ehds.rights.projections.usage.UsageProjection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Which projects used my data?": the recorded usages whose delivered cohort included the person. Staff answer
 * citizens' requests here; the citizens' own pages (portal issue) will use the same query.
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

    private final UsageProjection register;
    private final Cohorts cohorts;
    private final Pseudonymiser pseudonymiser;

    TransparencyController(UsageProjection register, Cohorts cohorts, Pseudonymiser pseudonymiser) {
        this.register = register;
        this.cohorts = cohorts;
        this.pseudonymiser = pseudonymiser;
    }

    @PostMapping("/usages")
    @Operation(summary = "The usages (project, data holder, dataset, date) whose delivered cohort included a person")
    UsagesResponse usages(@RequestBody PersonRequest request) {
        String person = Pseudonymiser.isPseudonym(request.person()) ? request.person()
                : pseudonymiser.pseudonymise(Nir.parse(request.person()));
        long key = PseudonymSet.key(person);
        List<UsageProjection.Usage> included = new ArrayList<>();
        long unknown = 0;
        for (UsageProjection.Usage usage : register.all()) {
            Path file = cohorts.fileOf(usage.usageId());
            if (!Files.exists(file)) {
                unknown++;
            } else if (CohortFile.contains(file, key)) {
                included.add(usage);
            }
        }
        return new UsagesResponse(included, unknown);
    }
}
