package app.tally.local.template;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFormation's Fn::Sub: {@code ${Name}} is a Ref, {@code ${Resource.Attribute}} a Fn::GetAtt, a name from the
 * variables map its value, and {@code ${!Literal}} the literal text {@code ${Literal}}.
 */
final class FnSub {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    /** How the names inside the text resolve: a value, a Ref, a Fn::GetAtt. */
    record Resolver(Function<Object, Object> evaluate, Function<String, Object> ref,
                    BiFunction<String, String, String> getAtt) {
    }

    private FnSub() {
    }

    /** {@code argument} is the text, or a list of the text and a map of variables. */
    static String apply(Object argument, Resolver resolver) {
        String text;
        Map<?, ?> variables;
        if (argument instanceof List<?> parts) {
            text = String.valueOf(parts.get(0));
            variables = (Map<?, ?>) parts.get(1);
        } else {
            text = String.valueOf(argument);
            variables = Map.of();
        }
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}";
            } else if (variables.containsKey(variable)) {
                replacement = String.valueOf(resolver.evaluate().apply(variables.get(variable)));
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                int dot = variable.indexOf('.');
                replacement = resolver.getAtt().apply(variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                replacement = String.valueOf(resolver.ref().apply(variable));
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
