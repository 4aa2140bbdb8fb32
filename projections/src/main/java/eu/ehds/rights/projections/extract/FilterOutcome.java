package eu.ehds.rights.projections.extract;

/**
 * What filtering an extract produced. Hashes are SHA-256 in hex: of the input exactly as received (compressed or
 * not), of the output as written, and the cohort commitment: SHA-256 of the delivered persons' 16-byte
 * pseudonyms concatenated in output order.
 */
public record FilterOutcome(long rows, long allowed, long excluded, long errors, String inputSha256,
                            String outputSha256, String cohortCommitment) {
}
