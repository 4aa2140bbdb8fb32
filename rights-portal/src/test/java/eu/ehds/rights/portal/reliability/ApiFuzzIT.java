package eu.ehds.rights.portal.reliability;

import static eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR;
import static eu.ehds.rights.portal.support.DemoPeople.JEAN_NIR;
import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.PortalSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated bad input to the public and data holders' side: the log's proof endpoints, decisions, receipt
 * verification, extract files in the wrong encoding, and uploads whose names try to leave the delivery store.
 * Expected: a 4xx naming the problem or a result that says what it could not read, never a 500, nothing written
 * where it should not be. The seeds are fixed, so a failure replays.
 */
@ActiveProfiles("local-idp") // citizens sign in through the demonstration provider
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFuzzIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "api-fuzz-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
        registry.add("portal.uploads-per-hour", () -> "10000");
    }

    @LocalServerPort
    int port;

    @Value("${ledger.data-dir}")
    String ledgerDataDir;

    @Autowired
    HolderAccounts holderAccounts;

    private final HttpClient http = HttpClient.newHttpClient();
    private Api api;
    private String projectId;
    private String holderKey;
    private String receipt;
    private String holderPassword;

    @BeforeAll
    void givenAProjectAHolderKeyAndACitizensReceipt() {
        api = new Api(port);
        projectId = api.postAsAdmin("/api/v1/projects", "{\"title\":\"Fuzz\",\"controller\":\"C\",\"purposeCategory\":"
                + "\"STATISTICS\",\"dataHolders\":[\"CNAM\"],\"datasets\":[\"DCIR\"],\"plannedStart\":\"2026-01-01\","
                + "\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"fuzz-project\"}").json().get("projectId").asString();
        api.postAsAdmin("/api/v1/projects/" + projectId + "/permit", "{\"permitId\":\"P\",\"idempotencyKey\":"
                + "\"fuzz-permit\"}");
        holderKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        holderPassword = holderAccounts.create("cnam-fuzz", "CNAM").password();
        PortalSession camille = new PortalSession(port);
        camille.signInAsCitizen("camille");
        long leaf = camille.optOut(null);
        receipt = camille.get("/my/receipts/" + leaf + ".json").body();
        assertThat(receipt).contains("inclusionProof");
    }

    @Test
    void the_logs_proof_endpoints_answer_any_query_with_a_4xx_never_a_500() {
        Random random = new Random(21);
        String[] names = {"leafIndex", "treeSize", "first", "second", "start", "end", "x"};
        String[] values = {"", "0", "1", "-1", "2", "999999999", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "1e3", "abc", "0x10", " 1", "1;DROP TABLE log_leaf", "%00", "１"};
        List<String> paths = List.of("/api/v1/log/proof/inclusion", "/api/v1/log/proof/consistency",
                "/api/v1/log/entries", "/api/v1/anchors/verify", "/api/v1/log/checkpoint");
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < 400; round++) {
            String path = paths.get(random.nextInt(paths.size()));
            StringBuilder query = new StringBuilder();
            for (int p = random.nextInt(4); p > 0; p--) {
                query.append(query.isEmpty() ? "?" : "&").append(names[random.nextInt(names.length)]).append('=')
                        .append(URLEncoder.encode(values[random.nextInt(values.length)], StandardCharsets.UTF_8));
            }
            Api.Response r = api.get(path + query, "auditor", Api.AUDITOR_PASSWORD);
            seen.merge(path + " " + r.status(), 1, Integer::sum);
            assertThat(r.status()).as(path + query + " -> " + r.body()).isLessThan(500);
            if (r.status() >= 400) {
                assertThat(r.body()).as(path + query).contains("\"detail\"");
            }
        }
        System.out.println("log endpoints under generated queries: " + seen);
    }

    @Test
    void decisions_answer_any_body_with_a_4xx_never_a_500() {
        Random random = new Random(22);
        String single = "{\"person\":\"" + JEAN_NIR + "\",\"projectId\":\"" + projectId + "\",\"asOf\":"
                + "\"2027-01-01T00:00:00Z\",\"treeSize\":3}";
        String batch = "{\"projectId\":\"" + projectId + "\",\"asOf\":\"2027-01-01T00:00:00Z\",\"persons\":[\""
                + JEAN_NIR + "\",\"" + CAMILLE_NIR + "\"]}";
        String[] replacements = {"null", "42", "-1", "true", "[]", "{}", "\"\"", "\"x\"", "\"" + "1".repeat(100_000)
                + "\"", "\"2 84 05 2A 004 018 00\"", "\"9999-99-99T99:99:99Z\"", "[null,1,{}]", "9223372036854775808",
                "\"prj-\\u0000\"", "\"\\ud800\""};
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < 300; round++) {
            boolean isBatch = random.nextBoolean();
            String body = isBatch ? batch : single;
            Matcher fields = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|\\[[^\\]]*\\]|\\d+)").matcher(body);
            List<String> found = new ArrayList<>();
            while (fields.find()) {
                found.add(fields.group());
            }
            String field = found.get(random.nextInt(found.size()));
            String name = field.substring(0, field.indexOf(':'));
            String mutated = switch (random.nextInt(4)) {
                case 0 -> body.replace(field, name + ":" + replacements[random.nextInt(replacements.length)]);
                case 1 -> body.replace("," + field, "").replace(field + ",", "");
                case 2 -> body.substring(0, random.nextInt(body.length()));
                default -> body.replace(field, field + "," + name + ":" + replacements[random.nextInt(replacements.length)]);
            };
            Api.Response r = api.postJsonWithApiKey(isBatch ? "/api/v1/decisions/batch" : "/api/v1/decisions", mutated,
                    holderKey);
            seen.merge((isBatch ? "batch " : "single ") + r.status(), 1, Integer::sum);
            assertThat(r.status()).as(mutated.length() > 300 ? mutated.substring(0, 300) : mutated).isLessThan(500);
            if (r.status() >= 400) {
                assertThat(r.json().get("detail").asString()).isNotBlank().doesNotContain("Exception");
            }
        }
        System.out.println("decisions under generated bodies: " + seen);
    }

    @Test
    void a_json_body_larger_than_the_limit_is_refused_with_413_declared_or_chunked() throws Exception {
        // given a batch of 5 MB, above the 4 MB any JSON request may carry
        StringBuilder persons = new StringBuilder();
        while (persons.length() < 5_000_000) {
            persons.append(persons.isEmpty() ? "" : ",").append('"').append(JEAN_NIR).append('"');
        }
        byte[] body = ("{\"projectId\":\"" + projectId + "\",\"persons\":[" + persons + "]}")
                .getBytes(StandardCharsets.UTF_8);
        for (boolean chunked : new boolean[] {false, true}) {
            HttpRequest.BodyPublisher publisher = chunked
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/decisions/batch")).header("X-Api-Key", holderKey).header("Content-Type",
                    "application/json").POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("chunked %s: %s", chunked, r.body()).isEqualTo(413);
            assertThat(r.body()).contains("larger than");
        }
    }

    @Test
    void a_receipt_with_any_hex_digit_altered_is_not_valid_and_no_alteration_breaks_the_page() {
        PortalSession visitor = new PortalSession(port);
        visitor.get("/verify");
        assertThat(visitor.post("/verify", Map.of("receipt", receipt)).body()).contains("The receipt is valid");

        Random random = new Random(23);
        Matcher hex = Pattern.compile("[0-9a-f]{16,}").matcher(receipt);
        List<int[]> runs = new ArrayList<>();
        while (hex.find()) {
            runs.add(new int[] {hex.start(), hex.end()});
        }
        assertThat(runs).hasSizeGreaterThan(3); // leaf hash, proof hashes, root, signature
        for (int round = 0; round < 60; round++) {
            int[] run = runs.get(random.nextInt(runs.size()));
            int at = run[0] + random.nextInt(run[1] - run[0]);
            char was = receipt.charAt(at);
            char now = "0123456789abcdef".charAt((Character.digit(was, 16) + 1 + random.nextInt(15)) % 16);
            String altered = receipt.substring(0, at) + now + receipt.substring(at + 1);
            PortalSession.Page page = visitor.post("/verify", Map.of("receipt", altered));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).as("digit %d changed from %s to %s", at, was, now)
                    .contains("The receipt is not valid");
        }
        for (int round = 0; round < 60; round++) {
            String altered = switch (round % 4) {
                case 0 -> receipt.substring(0, random.nextInt(receipt.length()));
                case 1 -> receipt.replaceFirst("\"\\w+\":", "\"" + UUID.randomUUID() + "\":");
                case 2 -> receipt.replaceFirst(":\\s*\"[^\"]*\"", ":" + List.of("null", "1", "[]", "{}", "true")
                        .get(random.nextInt(5)));
                default -> "[" + receipt + "]";
            };
            PortalSession.Page page = visitor.post("/verify", Map.of("receipt", altered));
            assertThat(page.status()).as(altered).isEqualTo(200);
            assertThat(page.body()).contains("The receipt is not valid");
        }
    }

    @Test
    void extracts_in_another_encoding_are_counted_row_by_row_never_a_500() throws Exception {
        String rows = JEAN_NIR + "\n" + CAMILLE_NIR + "\n";
        Map<String, byte[]> bodies = new TreeMap<>();
        bodies.put("utf-8 with a byte order mark", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                rows.getBytes(StandardCharsets.UTF_8)));
        bodies.put("utf-16le with a byte order mark", concat(new byte[] {(byte) 0xff, (byte) 0xfe},
                rows.getBytes(StandardCharsets.UTF_16LE)));
        bodies.put("utf-16be", rows.getBytes(StandardCharsets.UTF_16BE));
        bodies.put("latin-1 accents", ("é" + JEAN_NIR + "\n").getBytes(StandardCharsets.ISO_8859_1));
        bodies.put("invalid utf-8", concat(new byte[] {(byte) 0xc3, (byte) 0x28, '\n'}, rows.getBytes()));
        bodies.put("nul bytes", (JEAN_NIR + "\u0000\n\u0000\u0000\n" + CAMILLE_NIR).getBytes(StandardCharsets.UTF_8));
        bodies.put("carriage returns only", rows.replace('\n', '\r').getBytes(StandardCharsets.UTF_8));
        bodies.put("windows line ends", rows.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        // an extract sent as a form (curl --data-binary's default type) is refused saying how to send it
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/extracts/filter?projectId=" + projectId + "&dataset=DCIR"))
                .header("X-Api-Key", holderKey).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(rows)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as(form.body()).isEqualTo(415);
        assertThat(form.body()).contains("text/plain");
        for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/v1/extracts/filter?projectId=" + projectId + "&dataset=DCIR"))
                    .header("X-Api-Key", holderKey).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.getValue())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(body.getKey() + ": " + r.body()).isLessThan(500);
            if (body.getKey().startsWith("utf-16le")) { // every row would be unreadable: refused, saying what to do
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(r.body()).contains("UTF-16").contains("UTF-8");
            }
            if (body.getKey().startsWith("utf-8 with")) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            if (r.statusCode() == 200) {
                String filterId = r.headers().firstValue("Filter-Id").orElseThrow();
                JsonNode certificate = JSON.readTree(api.getWithApiKey("/api/v1/extracts/" + filterId + "/certificate",
                        holderKey).body());
                JsonNode counts = certificate.path("counts");
                long counted = counts.path("rows").asLong(-1);
                assertThat(counted).as(body.getKey() + ": " + certificate).isGreaterThan(0);
                assertThat(counts.path("allowed").asLong() + counts.path("excluded").asLong()
                        + counts.path("errors").asLong()).as(body.getKey()).isEqualTo(counted);
                System.out.println("extract in " + body.getKey() + ": " + counts);
                if (body.getKey().startsWith("utf-8 with")) { // the mark is not part of the first row: both are read
                    assertThat(counts.path("errors").asLong()).as(certificate.toString()).isZero();
                    assertThat(counted).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void an_upload_whose_name_tries_to_leave_the_delivery_store_stays_in_it() throws Exception {
        String marker = "fuzz-escape-" + UUID.randomUUID();
        PortalSession holder = new PortalSession(port);
        holder.signIn("cnam-fuzz", holderPassword);
        holder.get("/holder");
        for (String name : List.of("../../../../../../tmp/" + marker, "..\\..\\..\\" + marker, "/tmp/" + marker,
                marker + "\u0000.txt", "%2e%2e%2f%2e%2e%2f" + marker, marker + "\r\nContent-Type: text/html")) {
            PortalSession.Page uploaded = holder.uploadExtract(projectId, "DCIR", name, JEAN_NIR + "\n");
            assertThat(uploaded.status()).as(name + ": " + uploaded.body()).isIn(302, 400);
            if (uploaded.status() == 302) {
                assertThat(uploaded.location()).matches(".*/holder/deliveries/flt-[0-9a-f-]{36}");
            }
        }
        assertThat(Files.exists(Path.of("/tmp", marker))).isFalse();
        try (var files = Files.walk(Path.of(ledgerDataDir).getParent())) {
            assertThat(files.filter(f -> f.getFileName().toString().contains(marker)).toList()).isEmpty();
        }
        PortalSession.Page broken = holder.request("POST", "/verify", "application/x-www-form-urlencoded",
                "receipt=%zz%", Map.of());
        assertThat(broken.status()).as("a form body with a broken escape").isEqualTo(400);
        for (String id : List.of("..%2F..%2Fledger.mv.db", "flt-..%2F..%2Fx", "%2e%2e", "flt-" + "0".repeat(36))) {
            assertThat(holder.get("/holder/deliveries/" + id + "/output").status()).as(id).isIn(400, 404);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(a);
        out.write(b);
        return out.toByteArray();
    }
}
