package app.tally.local.runtime;

import static app.tally.local.template.LocalNames.ACCOUNT_ID;
import static app.tally.local.template.LocalNames.STACK_NAME;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A function's execution role as IAM evaluates an identity-based policy: an explicit Deny wins, else an Allow that
 * matches action and resource, else the call is denied. Actions match without regard to case, resources with it;
 * {@code *} and {@code ?} are wildcards in both. Conditions are not evaluated, so a statement with one is refused
 * when the role is loaded rather than read as unconditional.
 */
public record IamRole(String function, List<Statement> statements) {

    /** One statement, its intrinsic functions resolved; {@code policy} names the policy it came from. */
    public record Statement(boolean allow, List<String> actions, List<String> resources, String policy) {
        boolean matches(String action, String resource) {
            return actions.stream().anyMatch(pattern -> actionMatches(pattern, action))
                    && resources.stream().anyMatch(pattern -> wildcard(pattern, false).matcher(resource).matches());
        }
    }

    public enum Decision { ALLOWED, EXPLICITLY_DENIED, NOT_ALLOWED }

    public IamRole {
        statements = List.copyOf(statements);
    }

    /** A statement as the expansion script prints it, with its Resource already resolved to strings. */
    public static Statement statement(String function, Map<?, ?> raw) {
        for (String unsupported : List.of("NotAction", "NotResource", "Condition", "Principal")) {
            if (raw.containsKey(unsupported)) {
                throw new IllegalArgumentException(function + ": a statement with " + unsupported
                        + " cannot be checked locally: " + raw);
            }
        }
        String effect = String.valueOf(raw.get("Effect"));
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException(function + ": Effect must be Allow or Deny: " + raw);
        }
        return new Statement(effect.equals("Allow"), strings(raw.get("Action")), strings(raw.get("Resource")),
                String.valueOf(raw.get("Policy")));
    }

    public Decision decide(String action, String resource) {
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.matches(action, resource)) {
                if (!statement.allow()) {
                    return Decision.EXPLICITLY_DENIED;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOWED : Decision.NOT_ALLOWED;
    }

    /** The actions the role's Allow statements name (with their wildcards), those of {@code policies} only. */
    public List<String> allowedActions(Predicate<String> policies) {
        return statements.stream().filter(s -> s.allow() && policies.test(s.policy()))
                .flatMap(s -> s.actions().stream()).distinct().sorted().toList();
    }

    /** Whom AWS names in an AccessDenied message: the function's assumed role session. */
    public String principal() {
        return "arn:aws:sts::" + ACCOUNT_ID + ":assumed-role/" + STACK_NAME + "-" + function + "Role/" + STACK_NAME
                + "-" + function;
    }

    /** Whether an action pattern of a statement (with its wildcards) covers {@code action}. */
    public static boolean actionMatches(String pattern, String action) {
        return wildcard(pattern, true).matcher(action).matches();
    }

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private static Pattern wildcard(String pattern, boolean ignoreCase) {
        return PATTERNS.computeIfAbsent((ignoreCase ? "i:" : "c:") + pattern, key -> compile(pattern, ignoreCase));
    }

    private static Pattern compile(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> strings.add(String.valueOf(item)));
        } else if (value != null) {
            strings.add(String.valueOf(value));
        }
        if (strings.isEmpty()) {
            throw new IllegalArgumentException("a statement needs an Action and a Resource");
        }
        return strings;
    }
}
