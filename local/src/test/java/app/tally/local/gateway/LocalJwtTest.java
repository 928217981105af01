package app.tally.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalJwtTest {

    private static LocalJwt jwt() throws Exception {
        return new LocalJwt(new RSAKeyGenerator(2048).keyID("test").generate(), Clock.systemUTC());
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(LocalJwt.ISSUER).subject("user-1")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    @Test
    void theAudienceIsReadFromAudOrWithoutAudFromClientIdAsApiGatewayReadsIt() throws Exception {
        LocalJwt jwt = jwt();

        assertEquals("user-1", jwt.verify(jwt.sign(claims().audience(LocalJwt.AUDIENCE).build())).orElseThrow()
                .get("sub"));
        assertEquals("user-1", jwt.verify(jwt.sign(claims().audience(List.of("other", LocalJwt.AUDIENCE)).build()))
                .orElseThrow().get("sub"));
        // A Cognito access token names its app client in client_id and has no aud.
        assertEquals("user-1", jwt.verify(jwt.sign(claims().claim("client_id", LocalJwt.AUDIENCE).build()))
                .orElseThrow().get("sub"));

        // aud, when present, decides: a matching client_id does not rescue a wrong aud.
        assertTrue(jwt.verify(jwt.sign(claims().audience("other").claim("client_id", LocalJwt.AUDIENCE).build()))
                .isEmpty());
        assertTrue(jwt.verify(jwt.sign(claims().claim("client_id", "other").build())).isEmpty());
        assertTrue(jwt.verify(jwt.sign(claims().build())).isEmpty());
    }
}
