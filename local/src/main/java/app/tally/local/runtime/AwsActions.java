package app.tally.local.runtime;

import static app.tally.local.template.LocalNames.ACCOUNT_ID;
import static app.tally.local.template.LocalNames.REGION;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.S3Request;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * Which IAM actions, on which resources, an SDK call needs: AWS's own mapping (HeadObject is s3:GetObject, a
 * multipart upload's parts s3:PutObject, SendMessageBatch sqs:SendMessage, each action of TransactWriteItems the
 * permission of its PutItem, UpdateItem, DeleteItem or ConditionCheckItem). An operation not listed here is an error:
 * guessing its action would let a gap through.
 */
public final class AwsActions {

    /** One permission a call needs. */
    public record Access(String action, String resource) {
    }

    private static final Map<String, String> S3_OBJECT_ACTIONS = Map.ofEntries(
            Map.entry("GetObject", "s3:GetObject"),
            Map.entry("HeadObject", "s3:GetObject"),
            Map.entry("PutObject", "s3:PutObject"),
            Map.entry("CreateMultipartUpload", "s3:PutObject"),
            Map.entry("UploadPart", "s3:PutObject"),
            Map.entry("CompleteMultipartUpload", "s3:PutObject"),
            Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"),
            Map.entry("ListParts", "s3:ListMultipartUploadParts"),
            Map.entry("DeleteObject", "s3:DeleteObject"),
            Map.entry("GetObjectTagging", "s3:GetObjectTagging"),
            Map.entry("PutObjectTagging", "s3:PutObjectTagging"),
            Map.entry("PutObjectAcl", "s3:PutObjectAcl"));

    private static final Map<String, String> S3_BUCKET_ACTIONS = Map.of(
            "ListObjectsV2", "s3:ListBucket",
            "ListObjects", "s3:ListBucket",
            "HeadBucket", "s3:ListBucket",
            "ListMultipartUploads", "s3:ListBucketMultipartUploads",
            "GetBucketLocation", "s3:GetBucketLocation",
            "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration",
            "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration");

    private static final Map<String, String> SQS_ACTIONS = Map.of(
            "SendMessage", "sqs:SendMessage",
            "SendMessageBatch", "sqs:SendMessage",
            "ReceiveMessage", "sqs:ReceiveMessage",
            "DeleteMessage", "sqs:DeleteMessage",
            "DeleteMessageBatch", "sqs:DeleteMessage",
            "ChangeMessageVisibility", "sqs:ChangeMessageVisibility",
            "ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility",
            "GetQueueAttributes", "sqs:GetQueueAttributes");

    /** execute-api:ManageConnections is granted per method of the @connections API. */
    private static final Map<String, String> CONNECTION_METHODS = Map.of(
            "PostToConnection", "POST", "GetConnection", "GET", "DeleteConnection", "DELETE");

    // Item and table operations whose action is their own name, on the table (or the index they name).
    private static final List<String> DYNAMODB_OWN_ACTIONS = List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem",
            "Query", "Scan", "DescribeTable", "ConditionCheckItem");

    private AwsActions() {
    }

    /** The permissions {@code operation} (the SDK's operation name) with this request needs. */
    public static List<Access> of(String operation, SdkRequest request) {
        return of(operation, request, null);
    }

    /**
     * The same, for a request on its way to {@code encodedPath}: the @connections API's resource is the path itself
     * ({@code /<api>/<stage>/@connections/<id>} locally, the endpoint naming the API and stage).
     */
    public static List<Access> of(String operation, SdkRequest request, String encodedPath) {
        return switch (request) {
            case ApiGatewayManagementApiRequest connections -> connections(operation, encodedPath);
            case DynamoDbRequest dynamo -> dynamoDb(operation, dynamo);
            case SqsRequest sqs -> sqs(operation, sqs);
            case S3Request s3 -> s3(operation, s3);
            default -> throw unknown(request.getClass().getSimpleName(), operation);
        };
    }

    private static List<Access> dynamoDb(String operation, DynamoDbRequest request) {
        List<Access> accesses = new ArrayList<>();
        switch (request) {
            case TransactWriteItemsRequest transact -> {
                for (TransactWriteItem item : transact.transactItems()) {
                    if (item.put() != null) {
                        accesses.add(new Access("dynamodb:PutItem", tableArn(item.put().tableName())));
                    } else if (item.update() != null) {
                        accesses.add(new Access("dynamodb:UpdateItem", tableArn(item.update().tableName())));
                    } else if (item.delete() != null) {
                        accesses.add(new Access("dynamodb:DeleteItem", tableArn(item.delete().tableName())));
                    } else {
                        accesses.add(new Access("dynamodb:ConditionCheckItem",
                                tableArn(item.conditionCheck().tableName())));
                    }
                }
            }
            case TransactGetItemsRequest transact -> transact.transactItems().forEach(item ->
                    accesses.add(new Access("dynamodb:GetItem", tableArn(item.get().tableName()))));
            case BatchWriteItemRequest batch -> batch.requestItems().keySet().forEach(table ->
                    accesses.add(new Access("dynamodb:BatchWriteItem", tableArn(table))));
            case BatchGetItemRequest batch -> batch.requestItems().keySet().forEach(table ->
                    accesses.add(new Access("dynamodb:BatchGetItem", tableArn(table))));
            case QueryRequest query -> accesses.add(new Access("dynamodb:Query",
                    indexArn(query.tableName(), query.indexName())));
            case ScanRequest scan -> accesses.add(new Access("dynamodb:Scan",
                    indexArn(scan.tableName(), scan.indexName())));
            default -> {
                if (!DYNAMODB_OWN_ACTIONS.contains(operation)) {
                    throw unknown("DynamoDB", operation);
                }
                String table = request.getValueForField("TableName", String.class)
                        .orElseThrow(() -> unknown("DynamoDB", operation));
                accesses.add(new Access("dynamodb:" + operation, tableArn(table)));
            }
        }
        return accesses;
    }

    private static List<Access> connections(String operation, String encodedPath) {
        String method = CONNECTION_METHODS.get(operation);
        String[] path = encodedPath == null ? new String[0] : encodedPath.split("/");
        if (method == null || path.length != 5 || !path[3].equals("@connections")) {
            throw unknown("ApiGatewayManagementApi", operation);
        }
        return List.of(new Access("execute-api:ManageConnections", "arn:aws:execute-api:" + REGION + ":" + ACCOUNT_ID
                + ":" + path[1] + "/" + path[2] + "/" + method + "/@connections/"
                + URLDecoder.decode(path[4].replace("+", "%2B"), StandardCharsets.UTF_8)));
    }

    private static List<Access> sqs(String operation, SqsRequest request) {
        String action = SQS_ACTIONS.get(operation);
        if (action == null) {
            throw unknown("SQS", operation);
        }
        String queueUrl = request.getValueForField("QueueUrl", String.class)
                .orElseThrow(() -> unknown("SQS", operation));
        return List.of(new Access(action, queueArn(queueUrl)));
    }

    private static List<Access> s3(String operation, S3Request request) {
        String bucket = request.getValueForField("Bucket", String.class).orElseThrow(() -> unknown("S3", operation));
        if (request instanceof DeleteObjectsRequest delete) {
            return delete.delete().objects().stream()
                    .map(object -> new Access("s3:DeleteObject", objectArn(bucket, object.key()))).toList();
        }
        String objectAction = S3_OBJECT_ACTIONS.get(operation);
        if (objectAction != null) {
            String key = request.getValueForField("Key", String.class).orElseThrow(() -> unknown("S3", operation));
            return List.of(new Access(objectAction, objectArn(bucket, key)));
        }
        String bucketAction = S3_BUCKET_ACTIONS.get(operation);
        if (bucketAction == null) {
            throw unknown("S3", operation);
        }
        return List.of(new Access(bucketAction, bucketArn(bucket)));
    }

    public static String tableArn(String table) {
        return "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT_ID + ":table/" + table;
    }

    private static String indexArn(String table, String index) {
        return index == null ? tableArn(table) : tableArn(table) + "/index/" + index;
    }

    /** A queue URL's last two path segments are its account and name, on AWS and on ElasticMQ alike. */
    static String queueArn(String queueUrl) {
        String[] path = URI.create(queueUrl).getPath().split("/");
        if (path.length < 3) {
            throw new IllegalArgumentException("not a queue URL: " + queueUrl);
        }
        return "arn:aws:sqs:" + REGION + ":" + path[path.length - 2] + ":" + path[path.length - 1];
    }

    public static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    static String objectArn(String bucket, String key) {
        return bucketArn(bucket) + "/" + key;
    }

    private static IllegalArgumentException unknown(String service, String operation) {
        return new IllegalArgumentException("the local IAM check does not know which permission " + service + "."
                + operation + " needs: add it to " + AwsActions.class.getName());
    }
}
