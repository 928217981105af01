package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.LocalStack;
import app.tally.local.gateway.LocalJwt;
import app.tally.local.template.SamTemplate;
import app.tally.model.Ids;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway checks tokens as API Gateway's JWT authorizer does, on every route of template.yaml, and never calls a
 * handler for a bad one.
 */
class GatewayAuthIT {
    private static final String USER = LocalApi.newUser("auth");
    /** Bodies that would write if a handler ran; other routes get none. */
    private static final Map<String, String> WRITING_BODIES = Map.of(
            "POST /transactions", TransactionsIT.body("1.00", "CNY", "expense", "x", "2026-01-01"),
            "PATCH /transactions/{id}", "{\"amount\":\"2.00\"}",
            "PATCH /me", "{\"name\":\"intruder\"}",
            "POST /exports", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}",
            "POST /imports", "{\"filename\":\"x.csv\"}");

    /** The route with a well-formed id in place of each path parameter. */
    static String concretePath(SamTemplate.HttpRoute route) {
        return route.path().replaceAll("\\{[^}]+}", Ids.newId(Instant.now()));
    }

    private static LocalApi.Reply call(SamTemplate.HttpRoute route, String authorization) {
        String routeKey = route.method() + " " + route.path();
        String body = WRITING_BODIES.get(routeKey);
        HttpRequest.Builder request = HttpRequest.newBuilder(LocalApi.API.resolve(concretePath(route)))
                .method(route.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return LocalApi.send(request.build());
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(USER).issuer(LocalJwt.ISSUER).audience(LocalJwt.AUDIENCE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    /** Authorization header values the authorizer must refuse, by what is wrong with them (null: no header). */
    private static Map<String, String> badAuthorizations() throws Exception {
        Instant now = Instant.now();
        String good = LocalApi.JWT.sign(claims().build());
        String[] parts = good.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String noneHeader = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        char flipped = parts[2].charAt(10) == 'A' ? 'B' : 'A';
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("other").generate();
        // The public key as an HMAC secret: the classic RS256 → HS256 confusion.
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hs256.sign(new MACSigner(LocalApi.JWT.publicKey().toRSAPublicKey().getEncoded()));
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("missing", null);
        bad.put("empty bearer", "Bearer ");
        bad.put("other scheme", "Basic " + b64.encodeToString("a:b".getBytes(StandardCharsets.UTF_8)));
        bad.put("token without scheme", good);
        bad.put("malformed", "Bearer not-a-jwt");
        bad.put("three garbage parts", "Bearer a.b.c");
        bad.put("expired", "Bearer " + LocalApi.JWT.sign(claims().expirationTime(Date.from(now.minusSeconds(60))).build()));
        bad.put("not yet valid", "Bearer " + LocalApi.JWT.sign(claims().notBeforeTime(Date.from(now.plusSeconds(600)))
                .build()));
        bad.put("wrong issuer", "Bearer " + LocalApi.JWT.sign(claims().issuer("https://evil.example/issuer").build()));
        bad.put("wrong audience", "Bearer " + LocalApi.JWT.sign(claims().audience("someone-else").build()));
        bad.put("no subject", "Bearer " + LocalApi.JWT.sign(claims().subject(null).build()));
        bad.put("alg none", "Bearer " + noneHeader + "." + parts[1] + ".");
        bad.put("alg none keeping the signature", "Bearer " + noneHeader + "." + parts[1] + "." + parts[2]);
        bad.put("tampered signature", "Bearer " + parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + flipped
                + parts[2].substring(11));
        bad.put("tampered claims", "Bearer " + parts[0] + "." + b64.encodeToString(claims().subject("someone-else")
                .build().toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        bad.put("signed by another key", "Bearer " + new LocalJwt(otherKey, Clock.system(ZoneOffset.UTC))
                .sign(claims().build()));
        bad.put("HS256 with the public key", "Bearer " + hs256.serialize());
        return bad;
    }

    @Test
    void badTokensAreRejectedOnEveryRouteWithoutCallingTheHandler() throws Exception {
        Map<String, String> bad = badAuthorizations();
        int refused = 0;
        for (SamTemplate.HttpRoute route : LocalStack.template().httpRoutes()) {
            for (Map.Entry<String, String> token : bad.entrySet()) {
                LocalApi.Reply reply = call(route, token.getValue());
                assertEquals(401, reply.status(), route.method() + " " + route.path() + " with a token "
                        + token.getKey() + ": " + reply);
                assertEquals("Bearer", reply.header("WWW-Authenticate"));
                refused++;
            }
        }
        System.out.printf("token matrix: %d routes x %d bad tokens = %d requests, all 401%n",
                LocalStack.template().httpRoutes().size(), bad.size(), refused);
        assertTrue(LocalApi.itemsWithPrefix("U#" + USER).isEmpty(), "no handler ran for a bad token");
        LocalApi.Reply me = call(new SamTemplate.HttpRoute("GET", "/me", "ProfileFunction", "GetMe"),
                "Bearer " + LocalApi.JWT.sign(claims().build()));
        assertEquals(200, me.status(), "the same claims, properly signed, pass: " + me);
    }

    @Test
    void unknownRoutesAreNotFound() {
        assertEquals(404, LocalApi.get("/nowhere", USER).status());
        assertEquals(404, LocalApi.call("PUT", "/me", USER, "{}").status());
    }
}
