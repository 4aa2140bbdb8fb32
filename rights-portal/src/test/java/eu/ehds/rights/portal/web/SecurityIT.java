package eu.ehds.rights.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.ehds.rights.ledger.identity.Nir;
import eu.ehds.rights.notifications.vault.ContentVault;
import eu.ehds.rights.notifications.vault.FindingContent;
import eu.ehds.rights.portal.holder.DeliveredFiles;
import eu.ehds.rights.portal.ledger.LedgerProperties;
import eu.ehds.rights.portal.security.HolderAccounts;
import eu.ehds.rights.portal.support.Api;
import eu.ehds.rights.portal.support.EmbeddedLedger;
import eu.ehds.rights.portal.support.Nirs;
import eu.ehds.rights.portal.support.Pause;
import eu.ehds.rights.portal.support.PortalSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Who may ask what, tried as an attacker would against the running application (real HTTP on loopback): each test
 * is one gap a security review found, and failed before it was closed. The server trusts {@code X-Forwarded-For}
 * from loopback here (as it would from its TLS proxy), so that tests can speak from several client addresses.
 */
@ActiveProfiles("local-idp")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class SecurityIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws Exception {
        EmbeddedLedger.properties(registry, "security-it");
        registry.add("portal.sign-ins-per-minute", () -> "10000");
        registry.add("server.forward-headers-strategy", () -> "native");
        registry.add("server.tomcat.remoteip.internal-proxies", () -> "127\\.0\\.0\\.1");
    }

    @LocalServerPort
    int port;

    @Autowired
    HolderAccounts holderAccounts;

    @Autowired
    ContentVault vault;

    @Autowired
    DeliveredFiles deliveredFiles;

    @Autowired
    LedgerProperties ledger;

    @Autowired
    PortalProperties portal;

    /** Where Spring's default would keep every citizen's access token for the life of the process. */
    @Autowired
    OAuth2AuthorizedClientService authorizedClients;

    private final HttpClient http = HttpClient.newHttpClient();
    private Api api;
    private String cnamProject;
    private String otherProject;
    private String cnamKey;
    private final String optedOutBefore = Nirs.anyNir();
    private final String optedOutAfter = Nirs.anyNir();
    private final String neverOptedOut = Nirs.anyNir();

    @BeforeAll
    void givenAProjectNamingCnamAnotherNamingApHpAndThreePeople() {
        api = new Api(port);
        cnamProject = project("sec-cnam", "CNAM");
        otherProject = project("sec-other", "AP-HP");
        optOut(optedOutBefore, "sec-before");
        permit(cnamProject, "sec-cnam-permit");
        permit(otherProject, "sec-other-permit");
        optOut(optedOutAfter, "sec-after");
        cnamKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        api.awaitDecisions();
    }

    // --- data holders see only what they need

    @Test
    void a_holder_asks_decisions_batches_filters_and_snapshots_only_for_projects_naming_it() {
        List<Api.Response> refused = List.of(
                holderPost("/api/v1/decisions", "{\"person\":\"" + neverOptedOut + "\",\"projectId\":\"" + otherProject
                        + "\"}"),
                holderPost("/api/v1/decisions/batch", "{\"projectId\":\"" + otherProject + "\",\"persons\":[\""
                        + neverOptedOut + "\"]}"),
                api.postWithApiKey("/api/v1/extracts/filter?projectId=" + otherProject + "&dataset=DCIR",
                        neverOptedOut + "\n", cnamKey),
                api.getWithApiKey("/api/v1/extracts/snapshot?projectId=" + otherProject + "&dataset=DCIR", cnamKey));
        for (Api.Response r : refused) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains("not named on the sheet");
        }
        assertThat(holderPost("/api/v1/decisions", "{\"person\":\"" + neverOptedOut + "\",\"projectId\":\""
                + cnamProject + "\"}").status()).isEqualTo(200);
        // nothing about another project leaks, not even whether it existed at some tree size
        for (String body : List.of("{\"person\":\"" + neverOptedOut + "\",\"projectId\":\"prj-unknown\"}",
                "{\"person\":\"" + neverOptedOut + "\",\"projectId\":\"" + otherProject + "\",\"treeSize\":1}",
                "{\"projectId\":\"" + otherProject + "\",\"persons\":[]}")) {
            assertThat(holderPost(body.contains("persons") ? "/api/v1/decisions/batch" : "/api/v1/decisions", body)
                    .status()).as(body).isEqualTo(403);
        }
    }

    @Test
    void a_holder_cannot_replay_history_with_as_of_or_tree_size() {
        for (String past : List.of(",\"asOf\":\"2026-01-01T00:00:00Z\"", ",\"treeSize\":1")) {
            Api.Response r = holderPost("/api/v1/decisions", "{\"person\":\"" + neverOptedOut + "\",\"projectId\":\""
                    + cnamProject + "\"" + past + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json().get("detail").asString()).contains("as of now");
        }
        // staff keep history
        assertThat(api.postAsAdmin("/api/v1/decisions", "{\"person\":\"" + neverOptedOut + "\",\"projectId\":\""
                + cnamProject + "\",\"treeSize\":1}").status()).isIn(200, 404);
    }

    @Test
    void a_holder_learns_included_or_excluded_while_staff_keep_the_full_reason() {
        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put(optedOutBefore, new String[] {"EXCLUDED", "OPTED_OUT_GLOBAL"});
        expected.put(optedOutAfter, new String[] {"INCLUDED", "OPT_OUT_AFTER_PERMIT"});
        expected.put(neverOptedOut, new String[] {"INCLUDED", "NO_OPT_OUT"});
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            String body = "{\"person\":\"" + e.getKey() + "\",\"projectId\":\"" + cnamProject + "\"}";
            assertThat(holderPost("/api/v1/decisions", body).json().get("reason").asString()).isEqualTo(e.getValue()[0]);
            assertThat(api.postAsAdmin("/api/v1/decisions", body).json().get("reason").asString())
                    .isEqualTo(e.getValue()[1]);
        }
        JsonNode batch = holderPost("/api/v1/decisions/batch", "{\"projectId\":\"" + cnamProject + "\",\"persons\":[\""
                + optedOutBefore + "\",\"" + optedOutAfter + "\",\"not a nir\"]}").json();
        assertThat(batch.get("decisions").get(0).get("reason").asString()).isEqualTo("EXCLUDED");
        assertThat(batch.get("decisions").get(1).get("reason").asString()).isEqualTo("INCLUDED");
        assertThat(batch.toString()).doesNotContain("OPT_OUT", "OPTED_OUT", "DEROGATION");
    }

    @Test
    void disabling_a_holder_account_ends_its_session_at_once_and_revokes_the_keys_it_created() {
        String password = holderAccounts.create("cnam-disabled", "CNAM").password();
        PortalSession holder = new PortalSession(port);
        holder.signIn("cnam-disabled", password);
        String key = issuedKey(holder.post("/holder/api-keys", Map.of("label", "made by the account")));
        String staffKey = api.postAsAdmin("/api/v1/data-holders/CNAM/api-keys", "{}").json().get("apiKey").asString();
        assertThat(api.getWithApiKey("/api/v1/findings/forwarded", key).status()).isEqualTo(200);

        holderAccounts.disable("cnam-disabled");

        PortalSession.Page next = holder.get("/holder");
        assertThat(next.status()).isEqualTo(302);
        assertThat(next.location()).endsWith("/login?ended");
        assertThat(holder.get("/holder").location()).endsWith("/login"); // the session is gone, not just refused
        assertThat(holder.post("/holder/api-keys", Map.of("label", "after")).status()).isIn(302, 403);
        assertThat(api.getWithApiKey("/api/v1/findings/forwarded", key).status()).isEqualTo(401);
        assertThat(api.getWithApiKey("/api/v1/findings/forwarded", staffKey).status())
                .as("a key staff issued is not the account's").isEqualTo(200);
    }

    @Test
    void resetting_a_holder_password_ends_the_sessions_signed_in_with_the_old_one() {
        String password = holderAccounts.create("cnam-reset", "CNAM").password();
        PortalSession holder = new PortalSession(port);
        holder.signIn("cnam-reset", password);
        String key = issuedKey(holder.post("/holder/api-keys", Map.of("label", "before reset")));
        assertThat(holder.get("/holder").status()).isEqualTo(200);

        String newPassword = holderAccounts.resetPassword("cnam-reset").password();

        assertThat(holder.get("/holder").location()).endsWith("/login?ended");
        assertThat(api.getWithApiKey("/api/v1/findings/forwarded", key).status()).isEqualTo(401);
        PortalSession again = new PortalSession(port);
        again.signIn("cnam-reset", newPassword);
        assertThat(again.get("/holder").status()).isEqualTo(200);
    }

    // --- nobody makes the server do heavy work before proving who they are

    @Test
    void an_anonymous_multipart_body_is_refused_before_it_is_read() throws IOException {
        long body = 64L << 20;
        for (String path : List.of("/login", "/idp/login", "/verify", "/no/such/page", "/holder/extracts")) {
            Sent sent = sendMultipart(path, body);
            assertThat(sent.status()).as(path).isBetween(400, 499);
            assertThat(sent.bytesSent()).as("bytes the server let %s send before answering", path)
                    .isLessThan(16L << 20);
        }
    }

    @Test
    void a_receipt_upload_above_one_megabyte_is_refused_and_one_below_is_read() throws IOException {
        assertThat(sendMultipart("/verify", 2L << 20).status()).isEqualTo(413);
        PortalSession anonymous = new PortalSession(port);
        anonymous.get("/verify");
        String boundary = "b-" + System.nanoTime();
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n{}\r\n--" + boundary + "--\r\n";
        PortalSession.Page page = anonymous.request("POST", "/verify", "multipart/form-data; boundary=" + boundary,
                form, Map.of());
        assertThat(page.status()).as(page.body()).isLessThan(500).isNotIn(413, 415);
    }

    @Test
    void the_api_refuses_cross_site_changes_and_answers_problems_without_a_browser_challenge() throws Exception {
        String finding = reportAndForward("sec-xsite");
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(uri("/api/v1/findings/" + finding
                        + "/content/erasure")).header("Authorization", Api.basic("admin", Api.ADMIN_PASSWORD))
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<String> fetchMetadata = send(HttpRequest.newBuilder(uri("/api/v1/findings/" + finding
                        + "/content/erasure")).header("Authorization", Api.basic("admin", Api.ADMIN_PASSWORD))
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(fetchMetadata.statusCode()).isEqualTo(403);
        assertThat(FindingContent.load(vault, finding)).as("nothing was erased").isPresent();

        HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(uri("/api/v1/findings/" + finding
                        + "/content/erasure")).header("Authorization", Api.basic("admin", Api.ADMIN_PASSWORD))
                .header("Origin", "http://127.0.0.1:" + port).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(sameOrigin.statusCode()).isEqualTo(204);

        HttpResponse<String> browser = send(HttpRequest.newBuilder(uri("/api/v1/findings")).header("Accept",
                "text/html,application/xhtml+xml").header("Sec-Fetch-Mode", "navigate").GET());
        assertThat(browser.statusCode()).isEqualTo(401);
        assertThat(browser.headers().firstValue("WWW-Authenticate")).as("no Basic prompt for a browser").isEmpty();
        HttpResponse<String> program = send(HttpRequest.newBuilder(uri("/api/v1/findings")).GET());
        assertThat(program.statusCode()).isEqualTo(401);
        assertThat(program.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
        assertThat(api.parse(program.body()).get("status").asInt()).isEqualTo(401);
        HttpResponse<String> forbidden = send(HttpRequest.newBuilder(uri("/api/v1/findings"))
                .header("Authorization", Api.basic("auditor", Api.AUDITOR_PASSWORD)).GET());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(api.parse(forbidden.body()).get("status").asInt()).isEqualTo(403);
    }

    @Test
    void failed_basic_sign_ins_are_limited_per_user_name_across_addresses() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(basicFrom("198.51.100." + (10 + i), "mallory", "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = basicFrom("198.51.100.99", "mallory", "guess-11");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(api.parse(locked.body()).get("status").asInt()).isEqualTo(429);
    }

    @Test
    void failed_basic_sign_ins_are_counted_however_the_header_is_spelled() throws Exception {
        String[] spellings = {"BasicX", "Basic\t", "basic ", "BASIC "}; // all read as Basic by Spring Security
        for (int i = 0; i < 10; i++) {
            String header = spellings[i % spellings.length] + java.util.Base64.getEncoder()
                    .encodeToString(("mallory-spelled:guess-" + i).getBytes(StandardCharsets.UTF_8));
            assertThat(send(HttpRequest.newBuilder(uri("/api/v1/findings")).header("X-Forwarded-For", "198.51.100."
                    + (120 + i)).header("Authorization", header).GET()).statusCode()).isEqualTo(401);
        }
        assertThat(basicFrom("198.51.100.200", "mallory-spelled", "guess").statusCode()).isEqualTo(429);
        HttpResponse<String> odd = send(HttpRequest.newBuilder(uri("/api/v1/findings"))
                .header("X-Forwarded-For", "198.51.100.201").header("Authorization", "BasicX" + java.util.Base64
                        .getEncoder().encodeToString("mallory-spelled:guess".getBytes(StandardCharsets.UTF_8))).GET());
        assertThat(odd.statusCode()).isEqualTo(429);
    }

    @Test
    void failed_basic_sign_ins_are_limited_per_address_across_user_names() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertThat(basicFrom("203.0.113.7", "user-" + i, "guess").statusCode()).isEqualTo(401);
        }
        assertThat(basicFrom("203.0.113.7", "admin", Api.ADMIN_PASSWORD).statusCode())
                .as("even the right password, from that address").isEqualTo(429);
        assertThat(basicFrom("203.0.113.8", "admin", Api.ADMIN_PASSWORD).statusCode())
                .as("another address is not affected").isEqualTo(200);
    }

    @Test
    void failed_form_sign_ins_are_limited_per_user_name() throws Exception {
        PortalSession session = new PortalSession(port);
        String csrf = session.get("/login").input("_csrf");
        int last = 0;
        for (int i = 0; i < 11; i++) {
            Map<String, String> form = Map.of("username", "cnam-form", "password", "wrong-" + i, "_csrf", csrf);
            last = session.request("POST", "/login", "application/x-www-form-urlencoded", encode(form),
                    Map.of("X-Forwarded-For", "198.51.100." + (40 + i))).status();
        }
        assertThat(last).isEqualTo(429);
    }

    // --- a clinical notice cannot be sent to the wrong professional

    @Test
    void an_acknowledgement_reaches_the_vault_only_once_accepted_and_its_fingerprint_covers_the_professional() {
        String finding = reportAndForward("sec-ack-finding");
        String path = "/api/v1/findings/" + finding + "/acknowledgement";
        Api.Response first = api.postJsonWithApiKey(path, ack("Dr First", "first@example.org", "sec-ack-1"), cnamKey);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isEqualTo("false");

        Api.Response otherKey = api.postJsonWithApiKey(path, ack("Dr Second", "second@example.org", "sec-ack-2"),
                cnamKey);
        assertThat(otherKey.status()).isEqualTo(409);
        Api.Response sameKeyOtherProfessional = api.postJsonWithApiKey(path, ack("Dr Second", "second@example.org",
                "sec-ack-1"), cnamKey);
        assertThat(sameKeyOtherProfessional.status()).isEqualTo(409);
        assertThat(FindingContent.load(vault, finding).orElseThrow().professionalEmail())
                .isEqualTo("first@example.org");

        Api.Response replay = api.postJsonWithApiKey(path, ack("Dr First", "first@example.org", "sec-ack-1"), cnamKey);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().get("leafIndex").asLong()).isEqualTo(first.json().get("leafIndex").asLong());
        Api.Response forwardReplay = api.postAsAdmin("/api/v1/findings/" + finding + "/forwarding",
                "{\"dataHolder\":\"CNAM\",\"idempotencyKey\":\"sec-ack-finding-fwd\"}");
        assertThat(forwardReplay.status()).as(forwardReplay.body()).isEqualTo(201);
        assertThat(forwardReplay.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void a_data_user_key_for_a_project_that_does_not_exist_is_not_issued() {
        Api.Response missing = api.postAsAdmin("/api/v1/projects/prj-does-not-exist/api-keys", "{}");
        assertThat(missing.status()).isEqualTo(404);
        JsonNode issued = api.postAsAdmin("/api/v1/projects/" + cnamProject + "/api-keys", "{}").json();
        assertThat(issued.get("projectId").asString()).isEqualTo(cnamProject);
        assertThat(issued.has("dataHolder")).isFalse();
    }

    // --- smaller

    @Test
    void the_providers_error_description_never_reaches_the_log(CapturedOutput output) throws Exception {
        PortalSession browser = new PortalSession(port);
        PortalSession.Page authorize = browser.get("/oauth2/authorization/citizen");
        Matcher state = Pattern.compile("[?&]state=([^&]+)").matcher(authorize.location());
        assertThat(state.find()).as(authorize.location()).isTrue();
        String forged = "x\n2026-12-02T09:00:00.000Z ERROR 1 --- [main] FORGED-LOG-LINE : NIR " + neverOptedOut;
        PortalSession.Page failed = browser.get("/login/oauth2/code/citizen?error=access_denied&error_description="
                + URLEncoder.encode(forged, StandardCharsets.UTF_8) + "&state=" + state.group(1));
        assertThat(failed.location()).contains("/login?citizenError");
        PortalSession.Page unknown = browser.get("/login/oauth2/code/citizen?error="
                + URLEncoder.encode("evil\nFORGED-CODE-LINE", StandardCharsets.UTF_8) + "&state=" + state.group(1));
        assertThat(unknown.location()).contains("/login?citizenError");
        assertThat(output.getAll()).doesNotContain("FORGED-LOG-LINE", "FORGED-CODE-LINE", neverOptedOut);
        assertThat(output.getAll().lines().filter(l -> l.contains("citizen sign-in failed"))).isNotEmpty();
    }

    @Test
    void idempotency_keys_of_one_caller_neither_block_nor_replay_another_callers() {
        PortalSession citizen = new PortalSession(port);
        citizen.signInAsCitizen("jean");
        citizen.get("/my/opt-outs/new");
        citizen.post("/my/opt-outs/review", Map.of("scopeType", "GLOBAL"));
        PortalSession.Page recorded = citizen.post("/my/opt-outs", Map.of("scopeType", "GLOBAL",
                "idempotencyKey", "optout-0002"));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(302);

        Api.Response staff = api.postAsAdmin("/api/v1/opt-outs", "{\"person\":\"" + Nirs.anyNir() + "\",\"scope\":"
                + "{\"type\":\"GLOBAL\"},\"channel\":\"POST\",\"idempotencyKey\":\"optout-0002\"}");
        assertThat(staff.status()).as(staff.body()).isEqualTo(201);
        assertThat(staff.header("Idempotent-Replayed")).isEqualTo("false");
    }

    @Test
    void filtered_extracts_are_private_and_refused_once_expired_even_if_nobody_opens_the_holder_page()
            throws Exception {
        String password = holderAccounts.create("cnam-files", "CNAM").password();
        PortalSession holder = new PortalSession(port);
        holder.signIn("cnam-files", password);
        holder.get("/holder");
        PortalSession.Page uploaded = holder.uploadExtract(cnamProject, "DCIR", "extract.txt", neverOptedOut + "\n");
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(302);
        String filterId = uploaded.location().substring(uploaded.location().lastIndexOf('/') + 1);
        Path file = ledger.dataDir().resolve("delivered").resolve(filterId + ".txt");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ledger.dataDir())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ledger.dataDir()
                .resolve("ledger.mv.db")))).isEqualTo("rw-------");
        assertThat(holder.get("/holder/deliveries/" + filterId + "/output").status()).isEqualTo(200);

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(portal.deliveredFilesKeptFor())
                .minusSeconds(60)));
        assertThat(holder.get("/holder/deliveries/" + filterId + "/output").status()).isEqualTo(404);
        assertThat(file).doesNotExist();

        PortalSession.Page second = holder.uploadExtract(cnamProject, "DCIR", "extract.txt", neverOptedOut + "\n");
        Path other = ledger.dataDir().resolve("delivered")
                .resolve(second.location().substring(second.location().lastIndexOf('/') + 1) + ".txt");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        assertThat(deliveredFiles.purge()).isEqualTo(1);
        assertThat(other).doesNotExist();
    }

    /** An offline filter's report of these counts (JSON members) against a fresh snapshot of the CNAM project. */
    private Api.Response offlineReport(String counts, String hash) {
        Api.Response snapshot = api.getWithApiKey("/api/v1/extracts/snapshot?projectId=" + cnamProject
                + "&dataset=DCIR", cnamKey);
        assertThat(snapshot.status()).isEqualTo(200);
        return holderPost("/api/v1/extracts/reports", "{\"snapshotId\":\"" + snapshot.header("Snapshot-Id") + "\","
                + counts + ",\"inputSha256\":\"" + hash + "\",\"outputSha256\":\"" + hash
                + "\",\"cohortCommitment\":\"" + hash + "\"}");
    }

    @Test
    void an_offline_report_whose_counts_overflow_is_refused_not_signed() {
        Api.Response report = offlineReport("\"rows\":0,\"allowed\":" + Long.MAX_VALUE + ",\"excluded\":"
                + Long.MAX_VALUE + ",\"errors\":2", "ab".repeat(32));
        assertThat(report.status()).as(report.body()).isEqualTo(400);
        assertThat(report.body()).doesNotContain("signature");
    }

    @Test
    void an_offline_report_of_an_extract_with_no_readable_row_is_refused_not_certified() {
        for (String counts : List.of("\"rows\":3,\"allowed\":0,\"excluded\":0,\"errors\":3",
                "\"rows\":0,\"allowed\":0,\"excluded\":0,\"errors\":0")) {
            // when a data holder reports an extract of which its tool read no row
            Api.Response report = offlineReport(counts, "cd".repeat(32));

            // then it is refused, as the same upload online would be: no certificate, no usage recorded
            assertThat(report.status()).as(report.body()).isEqualTo(400);
            assertThat(report.body()).doesNotContain("signature").containsAnyOf("could be read", "holds no row");
        }
    }

    @Test
    void a_citizens_access_token_is_not_kept_after_sign_in() {
        PortalSession citizen = new PortalSession(port);
        citizen.signInAsCitizen("camille");
        assertThat(citizen.get("/my").status()).isEqualTo(200);
        String pseudonym = new eu.ehds.rights.ledger.identity.Pseudonymiser(java.util.Base64.getDecoder()
                .decode(readKey())).pseudonymise(Nir.parse(eu.ehds.rights.portal.support.DemoPeople.CAMILLE_NIR));
        assertThat((Object) authorizedClients.loadAuthorizedClient("citizen", pseudonym)).isNull();
    }

    @Test
    void the_demonstration_provider_says_so_on_every_page_and_its_people_cannot_be_real() {
        for (String page : List.of("/", "/register", "/login", "/statistics", "/verify")) {
            assertThat(new PortalSession(port).get(page).body()).as(page).contains("demo-banner");
        }
        for (PortalProperties.DemoPerson person : portal.localIdp().people()) {
            Nir.parse(person.nir());
            assertThat(person.nir().substring(10, 13)).as("order number of %s", person.username()).isEqualTo("000");
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last (unordered tests come first): it locks the auditor out for this context
    void a_user_name_under_attack_is_locked_for_every_address_the_right_password_too() throws Exception {
        for (int i = 0; i < 10; i++) {
            basicFrom("192.0.2." + (1 + i), "auditor", "not-the-password-" + i);
        }
        assertThat(basicFrom("192.0.2.200", "auditor", Api.AUDITOR_PASSWORD).statusCode()).isEqualTo(429);
    }

    // --- helpers

    private record Sent(long bytesSent, int status) {
    }

    /** Sends a multipart body of {@code size} bytes and counts how much the server let through before it answered. */
    private Sent sendMultipart(String path, long size) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: multipart/form-data; "
                    + "boundary=xyz\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            long sent = 0;
            try {
                while (sent < size && in.available() == 0) {
                    int n = (int) Math.min(chunk.length, size - sent);
                    out.write(chunk, 0, n);
                    sent += n;
                }
            } catch (IOException e) {
                // the server closed the connection: it would not read further
            }
            byte[] head = new byte[12];
            int read = 0;
            try {
                while (read < head.length) {
                    int n = in.read(head, read, head.length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
            } catch (IOException e) {
                // reset after the answer: what was read is enough
            }
            String status = new String(head, 0, read, StandardCharsets.US_ASCII);
            return new Sent(sent, status.startsWith("HTTP/1.1 ") ? Integer.parseInt(status.substring(9, 12)) : -1);
        }
    }

    private HttpResponse<String> basicFrom(String address, String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/findings")).header("X-Forwarded-For", address)
                .header("Authorization", Api.basic(user, password)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Api.Response holderPost(String path, String json) {
        return api.postJsonWithApiKey(path, json, cnamKey);
    }

    private String project(String key, String holder) {
        return api.postAsAdmin("/api/v1/projects", "{\"title\":\"Security " + key + "\",\"controller\":\"Inserm\","
                + "\"purposeCategory\":\"PUBLIC_HEALTH\",\"dataHolders\":[\"" + holder + "\"],\"datasets\":[\"DCIR\"],"
                + "\"plannedStart\":\"2026-01-01\",\"plannedEnd\":\"2030-01-01\",\"idempotencyKey\":\"" + key + "\"}")
                .json().get("projectId").asString();
    }

    private void permit(String project, String key) {
        assertThat(api.postAsAdmin("/api/v1/projects/" + project + "/permit", "{\"permitId\":\"P-" + key
                + "\",\"idempotencyKey\":\"" + key + "\"}").status()).isEqualTo(201);
    }

    private void optOut(String nir, String key) {
        assertThat(api.postAsAdmin("/api/v1/opt-outs", "{\"person\":\"" + nir + "\",\"scope\":{\"type\":\"GLOBAL\"},"
                + "\"channel\":\"POST\",\"idempotencyKey\":\"" + key + "\"}").status()).isEqualTo(201);
        Pause.millis(5); // the permit and the opt-outs get distinct instants
    }

    private String reportAndForward(String key) {
        String dataUserKey = api.postAsAdmin("/api/v1/projects/" + cnamProject + "/api-keys", "{}").json()
                .get("apiKey").asString();
        Api.Response reported = api.postJsonWithApiKey("/api/v1/findings", "{\"person\":\"" + neverOptedOut
                + "\",\"severity\":\"IMPORTANT\",\"clinicalSummary\":\"HbA1c 11.2 %\",\"personNotice\":\"See your "
                + "doctor.\",\"idempotencyKey\":\"" + key + "\"}", dataUserKey);
        assertThat(reported.status()).as(reported.body()).isEqualTo(201);
        String id = reported.json().get("findingId").asString();
        assertThat(api.postAsAdmin("/api/v1/findings/" + id + "/forwarding", "{\"dataHolder\":\"CNAM\","
                + "\"idempotencyKey\":\"" + key + "-fwd\"}").status()).isEqualTo(201);
        return id;
    }

    private static String ack(String name, String email, String key) {
        return "{\"recipient\":\"TREATING_PROFESSIONAL\",\"professionalName\":\"" + name + "\",\"professionalEmail\":\""
                + email + "\",\"idempotencyKey\":\"" + key + "\"}";
    }

    private static String issuedKey(PortalSession.Page page) {
        Matcher key = Pattern.compile("(rlk_[A-Za-z0-9_-]+)").matcher(page.body());
        assertThat(key.find()).as(page.body()).isTrue();
        return key.group(1);
    }

    private static String encode(Map<String, String> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private String readKey() {
        try {
            return Files.readString(ledger.dataDir().resolve("pseudonym.key")).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
