package app.tally.local.template;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's template.yaml for tests: -Dtally.root (set by surefire), else up from the working dir. */
public final class TemplateFiles {

    private TemplateFiles() {
    }

    public static Path projectTemplate() {
        String root = System.getProperty("tally.root");
        if (root != null && Files.isRegularFile(Path.of(root, "template.yaml"))) {
            return Path.of(root, "template.yaml");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found: set -Dtally.root");
    }
}
