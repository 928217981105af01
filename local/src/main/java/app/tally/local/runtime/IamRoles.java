package app.tally.local.runtime;

import app.tally.local.template.LocalNames;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Each function's execution role as CloudFormation would create it: scripts/iam-policies.py expands the template with
 * aws-sam-translator (SAM's policy templates become statements), and the statements' intrinsic functions are resolved
 * here to the ARNs of the local stack's table, queues and bucket.
 */
public final class IamRoles {
    /** The Python that has samtranslator: TALLY_PYTHON, else python3 on the PATH. */
    private static final String PYTHON = System.getenv().getOrDefault("TALLY_PYTHON", "python3");
    private static final long EXPANSION_TIMEOUT_SECONDS = 60;

    private IamRoles() {
    }

    /** The roles of {@code template}'s functions, by function logical id. */
    public static Map<String, IamRole> expand(Path root, Path template, LocalNames names) {
        Map<String, IamRole> roles = new LinkedHashMap<>();
        expandedStatements(root, template).forEach((function, statements) -> {
            List<IamRole.Statement> resolved = new ArrayList<>();
            for (Object statement : statements) {
                resolved.add(IamRole.statement(function, (Map<?, ?>) names.resolve(statement)));
            }
            roles.put(function, new IamRole(function, resolved));
        });
        return roles;
    }

    private static Map<String, List<?>> expandedStatements(Path root, Path template) {
        List<String> command = List.of(PYTHON, root.resolve("scripts/iam-policies.py").toString(),
                template.toString(), LocalNames.REGION);
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return e.toString().getBytes(StandardCharsets.UTF_8);
                }
            });
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(EXPANSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("expanding the template's IAM roles failed (" + String.join(" ", command)
                        + "): " + new String(errors.join(), StandardCharsets.UTF_8).strip());
            }
            Map<String, List<?>> statements = new LinkedHashMap<>();
            new ObjectMapper().readTree(output).properties().forEach(entry ->
                    statements.put(entry.getKey(), new ObjectMapper().convertValue(entry.getValue(), List.class)));
            return statements;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + PYTHON + " to expand the template's IAM roles (set "
                    + "TALLY_PYTHON to a Python 3 that has the samtranslator package): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while expanding the template's IAM roles", e);
        }
    }
}
