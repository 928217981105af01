package app.tally.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.gateway.LocalJwt;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway checks tokens as API Gateway's JWT authorizer does, and never calls a handler for a bad one. */
class GatewayAuthIT {
    private static final String USER = LocalApi.newUser("auth");

    private static LocalApi.Reply withToken(String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(LocalApi.API.resolve("/me")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LocalApi.send(request.build());
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(USER).issuer(LocalJwt.ISSUER).audience(LocalJwt.AUDIENCE)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    @Test
    void badTokensAreRejectedWithoutCallingTheHandler() throws Exception {
        Instant now = Instant.now();
        String good = LocalApi.JWT.sign(claims().build());
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("other").generate();
        String[] parts = good.split("\\.");
        String noneHeader = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        char last = parts[2].charAt(10) == 'A' ? 'B' : 'A';
        List<String> bad = List.of(
                "",
                "not-a-jwt",
                LocalApi.JWT.sign(claims().expirationTime(Date.from(now.minusSeconds(60))).build()),
                LocalApi.JWT.sign(claims().notBeforeTime(Date.from(now.plusSeconds(600))).build()),
                LocalApi.JWT.sign(claims().issuer("https://evil.example/issuer").build()),
                LocalApi.JWT.sign(claims().audience("someone-else").build()),
                LocalApi.JWT.sign(claims().subject(null).build()),
                noneHeader + "." + parts[1] + ".",
                parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + last + parts[2].substring(11),
                new LocalJwt(otherKey, Clock.system(ZoneOffset.UTC)).sign(claims().build()));
        assertEquals(401, withToken(null).status());
        for (String token : bad) {
            LocalApi.Reply reply = withToken(token);
            assertEquals(401, reply.status(), "token " + token);
        }
        assertTrue(LocalApi.itemsWithPrefix("U#" + USER).isEmpty(), "no handler ran for a bad token");
        assertEquals(200, withToken(good).status());
    }

    @Test
    void unknownRoutesAreNotFound() {
        assertEquals(404, LocalApi.get("/nowhere", USER).status());
        assertEquals(404, LocalApi.call("PUT", "/me", USER, "{}").status());
    }
}
