package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One person's browser session on the portal, without a browser: cookies kept, redirects followed by hand, the CSRF
 * token read from the pages' forms. Citizens sign in through the real OpenID Connect flow of the local provider.
 */
public final class PortalSession {

    public static final String DEMO_PASSWORD = "demo-password";

    public record Page(int status, String location, String body) {
        /** The value of the named hidden or text input on the page. */
        public String input(String name) {
            Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(body);
            return m.find() ? m.group(1).replace("&amp;", "&") : null;
        }
    }

    private final String base;
    private final CookieManager cookies;
    private final HttpClient client;
    private String csrf;

    public PortalSession(int port) {
        this(port, new CookieManager());
    }

    private PortalSession(int port, CookieManager cookies) {
        this.base = "http://127.0.0.1:" + port;
        this.cookies = cookies;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The same session (its cookie) sent to another port: another node of the same service. */
    public PortalSession at(int port) {
        PortalSession other = new PortalSession(port, cookies);
        other.csrf = csrf;
        return other;
    }

    public String sessionId() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("SESSION"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Signs a demo person in through the local identity provider; returns the page they land on. */
    public Page signInAsCitizen(String username) {
        Page page = get("/oauth2/authorization/citizen");
        String at = absolute("/");
        for (int hops = 0; hops < 10 && page.status() / 100 == 3; hops++) {
            at = page.location();
            page = get(at);
        }
        if (!page.body().contains("action=\"/idp/login\"")) {
            throw new IllegalStateException("the identity provider's sign-in page did not show: " + page.status());
        }
        // the provider may be another server than this one (the provider of several nodes)
        return follow(send("POST", URI.create(at).resolve("/idp/login").toString(), form(Map.of("username", username,
                "password", DEMO_PASSWORD, "_csrf", page.input("_csrf")))));
    }

    /** Signs staff or a data holder in on the portal's form; returns the page they land on. */
    public Page signIn(String username, String password) {
        Page login = get("/login");
        return follow(send("POST", absolute("/login"), form(Map.of("username", username, "password", password,
                "_csrf", login.input("_csrf")))));
    }

    public Page get(String path) {
        Page page = send("GET", absolute(path), null);
        String token = page.input("_csrf");
        if (token != null) {
            csrf = token;
        }
        return page;
    }

    /** Posts a form with the session's CSRF token (taken from the last page that had one). */
    public Page post(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        if (csrf == null) {
            get("/login");
        }
        all.putIfAbsent("_csrf", csrf);
        return send("POST", absolute(path), form(all));
    }

    /** Posts a form without any CSRF token. */
    public Page postWithoutToken(String path, Map<String, String> fields) {
        return send("POST", absolute(path), form(fields));
    }

    /**
     * Uploads an extract on the data holder's page as a browser would (multipart, with the file's name as given);
     * returns the answer, a redirect to the delivery when it was filtered.
     */
    public Page uploadExtract(String projectId, String dataset, String fileName, String content) {
        String boundary = "upload-" + java.util.UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"projectId\"\r\n\r\n" + projectId
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\n" + dataset
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName.replace("\"", "") + "\"\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n--"
                + boundary + "--\r\n";
        return request("POST", "/holder/extracts", "multipart/form-data; boundary=" + boundary, body, Map.of());
    }

    /** Opts out globally through the pages (review, then confirm); returns the leaf of the recorded change. */
    public long optOut(String forMandate) {
        Map<String, String> review = new LinkedHashMap<>();
        review.put("scopeType", "GLOBAL");
        if (forMandate != null) {
            review.put("for", forMandate);
        }
        get("/my/opt-outs/new" + (forMandate == null ? "" : "?for=" + forMandate));
        Page reviewed = post("/my/opt-outs/review", review);
        if (reviewed.status() != 200) {
            throw new IllegalStateException("the review page answered " + reviewed.status());
        }
        Map<String, String> confirm = new LinkedHashMap<>(review);
        confirm.put("idempotencyKey", reviewed.input("idempotencyKey"));
        Page recorded = post("/my/opt-outs", confirm);
        Matcher leaf = Pattern.compile("leaf=(\\d+)").matcher(recorded.location() == null ? "" : recorded.location());
        if (recorded.status() != 302 || !leaf.find()) {
            throw new IllegalStateException("the opt-out was not recorded: " + recorded.status());
        }
        return Long.parseLong(leaf.group(1));
    }

    /** Follows redirects from a page to the first that is not one. */
    public Page follow(Page page) {
        Page current = page;
        for (int hops = 0; hops < 10 && current.status() / 100 == 3; hops++) {
            current = get(current.location());
        }
        return current;
    }

    private String absolute(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private Page send(String method, String url, String formBody) {
        return formBody == null ? send(method, url, null, null, Map.of())
                : send(method, url, "application/x-www-form-urlencoded", formBody, Map.of());
    }

    /**
     * Any request in this session, with its cookies; an unsafe one also carries the session's CSRF token (as a
     * header), so that what refuses it is access control and not the missing token.
     */
    public Page request(String method, String path, String contentType, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (!method.equals("GET")) {
            if (csrf == null) {
                get("/login");
            }
            all.putIfAbsent("X-CSRF-TOKEN", csrf);
        }
        return send(method, absolute(path), contentType, body, all);
    }

    private Page send(String method, String url, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept-Language", "en");
        Map<String, String> all = new LinkedHashMap<>(Map.of("Accept", "text/html"));
        all.putAll(headers);
        all.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String location = response.headers().firstValue("Location").orElse(null);
            return new Page(response.statusCode(), location == null ? null : URI.create(url).resolve(location).toString(),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The response headers of a GET, for header checks. */
    public HttpResponse<String> raw(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(absolute(path))).header("Accept", "text/html").GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
