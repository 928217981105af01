package app.tally.local.template;

import app.tally.local.template.SamTemplate.FunctionDef;
import java.nio.file.Path;

/**
 * Where a function's deployable artifact is built. Its CodeUri is its Maven module, whose package phase writes one
 * self-contained jar (the parent pom's shade outputFile, named for the module); the module's Makefile target, which
 * {@code sam build} runs, unpacks exactly that jar into ARTIFACTS_DIR. Whatever runs a function as Lambda would (the
 * cold-start benchmark, the artifact checks) takes this jar.
 */
public final class FunctionArtifact {

    private FunctionArtifact() {
    }

    public static Path jar(Path root, FunctionDef function) {
        Path module = root.resolve(function.codeUri()).normalize();
        return module.resolve("target").resolve(module.getFileName() + "-lambda.jar");
    }
}
