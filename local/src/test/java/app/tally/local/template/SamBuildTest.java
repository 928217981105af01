package app.tally.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.tally.local.template.SamTemplate.FunctionDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the template's functions as {@code sam build} does with {@code Metadata: BuildMethod: makefile} (SAM CLI's
 * CustomMakeWorkflow): the Makefile is the one in the function's CodeUri, make runs
 * {@code make --makefile <CodeUri>/Makefile build-<LogicalId>} with {@code ARTIFACTS_DIR} in the environment, from a
 * scratch folder (here an empty one, which shows the targets need nothing from it), and SAM zips ARTIFACTS_DIR.
 * Run after {@code mvn package}, when every artifact is current, so a target only unpacks its jar.
 */
class SamBuildTest {

    private static final Path TEMPLATE_FILE = TemplateFiles.projectTemplate();
    private static final Path ROOT = TEMPLATE_FILE.getParent();
    private static final SamTemplate TEMPLATE = SamTemplate.load(TEMPLATE_FILE);

    @Test
    void everyFunctionIsBuiltByTheMakefileInItsCodeUri() throws IOException {
        assertFalse(TEMPLATE.functions().isEmpty());
        for (FunctionDef function : TEMPLATE.functions()) {
            // sam build skips a function with SkipBuild, and treats any other CodeUri as a folder to build.
            assertEquals("makefile", function.metadata().get("BuildMethod"), function.logicalId());
            assertFalse(function.metadata().containsKey("SkipBuild"), function.logicalId());
            Path makefile = ROOT.resolve(function.codeUri()).resolve("Makefile");
            assertTrue(Files.isRegularFile(makefile), function.logicalId() + ": no Makefile in " + function.codeUri());
        }
    }

    @Test
    void everyTargetUnpacksItsFunctionsCurrentArtifact(@TempDir Path scratch) throws Exception {
        for (FunctionDef function : TEMPLATE.functions()) {
            Run dryRun = make(function, scratch, scratch.resolve(function.logicalId()), true);
            assertEquals(0, dryRun.exitCode(), function.logicalId() + ": " + dryRun.output());
            assertTrue(dryRun.output().contains("jar xf \"" + FunctionArtifact.jar(ROOT, function) + "\""),
                    function.logicalId() + " does not unpack its own artifact: " + dryRun.output());
            assertFalse(dryRun.output().contains("mvn "), function.logicalId()
                    + ": the Makefile finds the artifact older than its sources; run mvn package first. "
                    + dryRun.output());
        }
    }

    @Test
    void aTargetLeavesInArtifactsDirWhatTheFunctionsJarHolds(@TempDir Path scratch) throws Exception {
        FunctionDef function = TEMPLATE.functions().stream()
                .filter(f -> f.logicalId().equals("ImportRequestFunction")).findFirst().orElseThrow();
        Path artifacts = scratch.resolve(".aws-sam/build").resolve(function.logicalId());
        Path workDir = Files.createDirectories(scratch.resolve("scratch"));

        Run run = make(function, workDir, artifacts, false);

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(Files.isRegularFile(artifacts.resolve(function.handlerClass().replace('.', '/') + ".class")),
                "no handler class in " + artifacts);
        Set<String> unpacked = new TreeSet<>();
        try (Stream<Path> files = Files.walk(artifacts)) {
            files.filter(Files::isRegularFile).forEach(f -> unpacked.add(artifacts.relativize(f).toString()));
        }
        Set<String> inJar = new TreeSet<>();
        try (ZipFile jar = new ZipFile(FunctionArtifact.jar(ROOT, function).toFile())) {
            jar.stream().filter(e -> !e.isDirectory()).forEach(e -> inJar.add(e.getName()));
        }
        assertEquals(inJar, unpacked);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run make(FunctionDef function, Path workDir, Path artifactsDir, boolean dryRun) throws Exception {
        // SAM CLI creates ARTIFACTS_DIR before it runs make.
        Files.createDirectories(artifactsDir);
        List<String> command = new ArrayList<>(List.of("make"));
        if (dryRun) {
            command.add("-n");
        }
        command.addAll(List.of("--makefile", ROOT.resolve(function.codeUri()).resolve("Makefile").toString(),
                "build-" + function.logicalId()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("ARTIFACTS_DIR", artifactsDir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }
}
