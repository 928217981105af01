package app.tally.store;

import static app.tally.store.Attributes.s;

import app.tally.model.Job;
import app.tally.model.JobStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * An import's chunk counts, read from its month tallies ({@code T#<month>} in the job's partition): a Query that every
 * read of a running import's job makes, here rather than hidden in the job store's reads.
 */
final class JobTallies {
    private final DynamoDbAsyncClient db;
    private final String table;

    JobTallies(DynamoDbAsyncClient db, String table) {
        this.db = db;
        this.table = table;
    }

    /**
     * An import's chunk counts live in its month tallies ({@code T#<month>} in the job's partition), each written in the same
     * transaction as the chunks it counts; they are summed here, until the chunk that completed the count copied them
     * onto the job item ({@code countsFinal}). An import that ended otherwise (failed) keeps showing its tallies, which
     * chunks sent before the failure may still add to. An import not yet started has none.
     */
    CompletableFuture<Job> withTallies(String user, Map<String, AttributeValue> item) {
        Job job = JobItems.toJob(item);
        if (job.imports() == null || item.containsKey(JobItems.COUNTS_FINAL) || job.status() == JobStatus.QUEUED
                || job.status() == JobStatus.AWAITING_UPLOAD) {
            return CompletableFuture.completedFuture(job);
        }
        return withChunkCounts(user, job);
    }

    /** The import with the sums of its month tallies as its chunk counts. */
    CompletableFuture<Job> withChunkCounts(String user, Job job) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :tallies)")
                .expressionAttributeValues(Map.of(":pk", s(Keys.importJob(user, job.id())),
                        ":tallies", s(Keys.IMPORT_TALLIES)))
                .consistentRead(true);
        return tallyPages(query, null, new long[4]).thenApply(sums -> job.withImports(
                job.imports().withCounts(sums[0], sums[1], sums[2], (int) sums[3])));
    }

    private CompletableFuture<long[]> tallyPages(QueryRequest.Builder query, Map<String, AttributeValue> start,
                                                 long[] sums) {
        return db.query(query.exclusiveStartKey(start).build()).thenCompose(page -> {
            page.items().forEach(item -> {
                sums[0] += Attributes.number(item, "imported");
                sums[1] += Attributes.number(item, "duplicates");
                sums[2] += Attributes.number(item, "failed");
                sums[3] += Attributes.number(item, "chunks");
            });
            return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? tallyPages(query, page.lastEvaluatedKey(), sums) : CompletableFuture.completedFuture(sums);
        });
    }
}
