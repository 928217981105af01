package app.tally.local.cost;

import app.tally.local.cost.Prices.Architecture;
import java.util.LinkedHashMap;
import java.util.Map;

/** A consumption priced: US dollars per billed service, for one Lambda architecture. */
public final class CostModel {
    private CostModel() {
    }

    /** Dollars by service, in a fixed order: Lambda, API Gateway, DynamoDB, SQS, S3, CloudWatch Logs. */
    public static Map<String, Double> dollars(Consumption c, Prices p, Architecture architecture) {
        Map<String, Double> cost = new LinkedHashMap<>();
        cost.put("Lambda", c.invocations() / 1e6 * p.lambdaRequestsPerMillion()
                + c.gbSeconds() * p.lambdaGbSecond(architecture));
        cost.put("HTTP API", c.httpRequests() / 1e6 * p.httpApiRequestsPerMillion());
        cost.put("DynamoDB", c.readUnits() / 1e6 * p.readUnitsPerMillion() + c.writeUnits() / 1e6
                * p.writeUnitsPerMillion() + c.dynamoDbStoredGbMonths() * p.dynamoDbStorageGbMonth());
        cost.put("SQS", c.sqsRequests() / 1e6 * p.sqsRequestsPerMillion());
        cost.put("S3", c.s3TierOne() / 1e3 * p.s3TierOnePerThousand() + c.s3TierTwo() / 1e3 * p.s3TierTwoPerThousand()
                + c.s3StoredGbMonths() * p.s3StorageGbMonth() + c.transferOutBytes() / Consumption.GB * p.s3TransferOutGb());
        cost.put("Logs", c.logBytes() / Consumption.GB * p.logsIngestionGb());
        return cost;
    }

    public static double total(Consumption c, Prices p, Architecture architecture) {
        return dollars(c, p, architecture).values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
