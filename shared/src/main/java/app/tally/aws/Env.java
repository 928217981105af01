package app.tally.aws;

import java.util.Map;
import java.util.function.Function;

/**
 * The function's configuration, read from environment variables. Handlers take an {@code Env} in their
 * constructor so that the template check can construct each one with exactly the variables template.yaml sets.
 */
public final class Env {
    private final Function<String, String> lookup;

    private Env(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    public static Env system() {
        return new Env(System::getenv);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables::get);
    }

    public String require(String name) {
        String value = lookup.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set");
        }
        return value;
    }
}
