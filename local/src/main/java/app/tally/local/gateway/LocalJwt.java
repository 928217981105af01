package app.tally.local.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local identity provider: issues RS256 tokens with a key kept in .tally/, and verifies them as API Gateway's
 * JWT authorizer does (signature, algorithm, issuer, audience, expiry, not-before).
 */
public final class LocalJwt {
    public static final String ISSUER = "https://tally.local/issuer";
    public static final String AUDIENCE = "tally-local";
    private static final Duration SKEW = Duration.ofSeconds(5);

    private final RSAKey key;
    private final Clock clock;

    public LocalJwt(RSAKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** The key stored at {@code file}, created on first use so every local tool signs and checks with the same key. */
    public static LocalJwt fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                RSAKey generated = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
                Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "jwk", ".tmp");
                Files.writeString(temporary, generated.toJSONString());
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    Files.deleteIfExists(temporary);
                }
            }
            return new LocalJwt(RSAKey.parse(Files.readString(file)), Clock.systemUTC());
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("Cannot read or create the local signing key " + file, e);
        }
    }

    /** The verification key, as a JWKS endpoint would publish it. */
    public RSAKey publicKey() {
        return key.toPublicJWK();
    }

    public String issue(String subject, Duration validity) {
        return issue(subject, validity, Map.of());
    }

    public String issue(String subject, Duration validity, Map<String, Object> extraClaims) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validity)))
                .jwtID(UUID.randomUUID().toString());
        extraClaims.forEach(claims::claim);
        return sign(claims.build());
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    /** The token's claims as API Gateway hands them to Lambda (strings), or empty when the token is not valid. */
    public Optional<Map<String, String>> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!ISSUER.equals(claims.getIssuer())
                    || !audienceMatches(claims)
                    || claims.getSubject() == null
                    || claims.getExpirationTime() == null
                    || !now.minus(SKEW).isBefore(claims.getExpirationTime().toInstant())
                    || (claims.getNotBeforeTime() != null && now.plus(SKEW).isBefore(claims.getNotBeforeTime().toInstant()))) {
                return Optional.empty();
            }
            Map<String, String> asStrings = new LinkedHashMap<>();
            claims.getClaims().forEach((name, value) -> asStrings.put(name, claimString(value)));
            return Optional.of(asStrings);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * As API Gateway's JWT authorizer reads the audience: aud must contain it; only a token without aud (such as a
     * Cognito access token) is judged by its client_id.
     */
    private static boolean audienceMatches(JWTClaimsSet claims) throws ParseException {
        List<String> audience = claims.getAudience();
        if (audience != null && !audience.isEmpty()) {
            return audience.contains(AUDIENCE);
        }
        return AUDIENCE.equals(claims.getStringClaim("client_id"));
    }

    /** API Gateway passes every claim as a string: numbers as digits, dates as epoch seconds, lists as "[a b]". */
    private static String claimString(Object value) {
        if (value instanceof Date date) {
            return Long.toString(date.toInstant().getEpochSecond());
        }
        if (value instanceof List<?> list) {
            return list.size() == 1 ? String.valueOf(list.get(0)) : "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]";
        }
        return String.valueOf(value);
    }
}
