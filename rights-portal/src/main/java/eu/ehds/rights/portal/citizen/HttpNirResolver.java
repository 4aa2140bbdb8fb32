package eu.ehds.rights.portal.citizen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a resolver service for the NIR of the pivot identity the provider asserted (the contract, in the README):
 * {@code POST <url>} with {@code Content-Type: application/json} and the pivot claims present among
 * {@code given_name, family_name, birthdate, gender, birthplace, birthcountry}; with {@code Authorization: Bearer <token>} when a token is configured. The answer is
 * {@code 200 {"nir": "..."}}, or {@code 404} when no NIR matches this identity; anything else means unavailable.
 */
public final class HttpNirResolver implements NirResolver {

    private static final List<String> PIVOT = List.of("given_name", "family_name", "birthdate", "gender",
            "birthplace", "birthcountry");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI url;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    public HttpNirResolver(URI url, String token, Duration timeout) {
        this.url = url;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String resolve(Map<String, Object> claims) {
        Map<String, Object> pivot = new LinkedHashMap<>();
        PIVOT.forEach(name -> {
            if (claims.get(name) != null) {
                pivot.put(name, claims.get(name).toString());
            }
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(pivot)));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ResolverUnavailable("the NIR resolver cannot be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolverUnavailable("interrupted while asking the NIR resolver");
        }
        if (answer.statusCode() == 404) {
            throw new NirNotResolved("the NIR resolver knows no NIR for this identity");
        }
        if (answer.statusCode() != 200) {
            throw new ResolverUnavailable("the NIR resolver answered " + answer.statusCode());
        }
        try {
            JsonNode nir = JSON.readTree(answer.body()).get("nir");
            if (nir == null || !nir.isString()) {
                throw new ResolverUnavailable("the NIR resolver's answer has no nir field");
            }
            return nir.asString();
        } catch (JacksonException e) {
            throw new ResolverUnavailable("the NIR resolver's answer is not JSON");
        }
    }
}
