package app.tally.local.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * AWS list prices in US dollars, from the one file that holds them with their date and sources
 * ({@code aws-prices.json} beside this class; docs/cost.md shows them).
 */
public record Prices(String region, String date, double lambdaRequestsPerMillion, double lambdaGbSecondX86,
                     double lambdaGbSecondArm, double httpApiRequestsPerMillion, double writeUnitsPerMillion,
                     double readUnitsPerMillion, double dynamoDbStorageGbMonth, double sqsRequestsPerMillion,
                     double s3TierOnePerThousand, double s3TierTwoPerThousand, double s3StorageGbMonth,
                     double s3TransferOutGb, double logsIngestionGb) {
    static final String FILE = "aws-prices.json";

    public static Prices load() {
        try (InputStream in = Prices.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the classpath");
            }
            JsonNode p = new ObjectMapper().readTree(in);
            return new Prices(p.get("region").asText(), p.get("date").asText(),
                    number(p, "lambdaRequestsPerMillion"), p.get("lambdaGbSecond").get("x86_64").asDouble(),
                    p.get("lambdaGbSecond").get("arm64").asDouble(), number(p, "httpApiRequestsPerMillion"),
                    number(p, "dynamoDbWriteRequestUnitsPerMillion"), number(p, "dynamoDbReadRequestUnitsPerMillion"),
                    number(p, "dynamoDbStorageGbMonth"), number(p, "sqsRequestsPerMillion"),
                    number(p, "s3TierOneRequestsPerThousand"), number(p, "s3TierTwoRequestsPerThousand"),
                    number(p, "s3StorageGbMonth"), number(p, "s3TransferOutGb"), number(p, "cloudWatchLogsIngestionGb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double number(JsonNode prices, String name) {
        JsonNode value = prices.get(name);
        if (value == null || !value.isNumber()) {
            throw new IllegalStateException(FILE + " has no number " + name);
        }
        return value.asDouble();
    }

    public double lambdaGbSecond(Architecture architecture) {
        return architecture == Architecture.ARM64 ? lambdaGbSecondArm : lambdaGbSecondX86;
    }

    /** Lambda's two architectures, priced differently per GB-second. */
    public enum Architecture {
        X86_64("x86_64"), ARM64("arm64");

        public final String label;

        Architecture(String label) {
            this.label = label;
        }
    }
}
