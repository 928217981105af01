package app.tally.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package structure of docs/architecture.md, kept true: model ← store ← services ← edge, the shared utilities
 * as leaves, no cycles between packages, and DynamoDB known to the store alone (and to the client factory).
 */
@AnalyzeClasses(packages = "app.tally", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] UTILITIES = {"app.tally.json..", "app.tally.csv..", "app.tally.retry..",
            "app.tally.telemetry..", "app.tally.aws.."};

    @ArchTest
    static final ArchRule layersOnlyPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Edge").definedBy("app.tally.http..", "app.tally.queue..", "app.tally.functions..")
            .layer("Services").definedBy("app.tally.services..")
            .layer("Store").definedBy("app.tally.store..")
            .layer("Model").definedBy("app.tally.model..")
            .layer("Utilities").definedBy(UTILITIES)
            .whereLayer("Edge").mayNotBeAccessedByAnyLayer()
            .whereLayer("Services").mayOnlyBeAccessedByLayers("Edge")
            .whereLayer("Store").mayOnlyBeAccessedByLayers("Services", "Edge")
            .whereLayer("Model").mayOnlyBeAccessedByLayers("Store", "Services", "Edge");

    @ArchTest
    static final ArchRule utilitiesAreLeaves = noClasses().that().resideInAnyPackage(UTILITIES)
            .should().dependOnClassesThat().resideInAnyPackage("app.tally.model..", "app.tally.store..",
                    "app.tally.services..", "app.tally.http..", "app.tally.queue..", "app.tally.functions..");

    @ArchTest
    static final ArchRule modelImportsNothingOfTally = noClasses().that().resideInAPackage("app.tally.model..")
            .should().dependOnClassesThat(resideInAPackage("app.tally..").and(not(resideInAPackage("app.tally.model.."))));

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().matching("app.tally.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule servicesHaveNoCycles = slices().matching("app.tally.services.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheStoreKnowsDynamoDb = noClasses().that()
            .resideOutsideOfPackages("app.tally.store..", "app.tally.aws..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.dynamodb..");
}
