package app.tally.functions.importchunk;

import app.tally.aws.AwsClients;
import app.tally.aws.Env;
import app.tally.queue.QueueHandler;
import app.tally.services.imports.ChunkWriter;
import app.tally.services.imports.ImportChunk;
import app.tally.services.push.JobAnnouncements;
import app.tally.services.push.PushPublisher;
import app.tally.store.ImportStore;
import app.tally.store.JobStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * SQS ImportChunkQueue → writes each chunk of an import in one DynamoDB transaction and counts it into its job.
 * Chunks of a batch are written at once, those of one month one after another (they share statistics items).
 */
public final class ImportChunkHandler extends QueueHandler<ImportChunk> {
    private final ChunkWriter writer;

    public ImportChunkHandler() {
        this(Env.system());
    }

    public ImportChunkHandler(Env env) {
        this(env, AwsClients.container());
    }

    public ImportChunkHandler(Env env, AwsClients aws) {
        super("import-chunk", Integer.parseInt(env.require("IMPORT_CHUNK_MAX_RECEIVES")));
        String table = env.require("TABLE_NAME");
        JobStore jobs = new JobStore(aws.dynamoDb(), table);
        this.writer = new ChunkWriter(jobs, new ImportStore(aws.dynamoDb(), table), Clock.systemUTC(),
                new JobAnnouncements(jobs, new PushPublisher(aws.sqs(), env.require("PUSH_QUEUE_URL")), null,
                        Clock.systemUTC()));
    }

    @Override
    protected Optional<ImportChunk> parse(String body) {
        return ImportChunk.parse(body);
    }

    @Override
    protected String describe(ImportChunk chunk) {
        return chunk.jobId() + "#" + chunk.chunk();
    }

    @Override
    protected String user(ImportChunk chunk) {
        return chunk.user();
    }

    @Override
    protected String lane(ImportChunk chunk) {
        return chunk.jobId() + "#" + chunk.month();
    }

    @Override
    protected CompletableFuture<Void> process(ImportChunk chunk, int receive) {
        return writer.write(chunk, receive);
    }

    @Override
    protected CompletableFuture<Void> giveUp(ImportChunk chunk, int receives, Throwable failure) {
        return writer.abandon(chunk, receives, failure);
    }
}
