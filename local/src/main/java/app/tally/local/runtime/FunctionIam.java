package app.tally.local.runtime;

import app.tally.aws.AwsClients;
import app.tally.local.runtime.AwsActions.Access;
import app.tally.local.runtime.IamRole.Decision;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.ApiGatewayManagementApiRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.model.SqsRequest;

/**
 * One function's AWS clients in the local stack, checked against its execution role as IAM would check them on AWS.
 * All handlers share one JVM, so the function is known by the clients it was given, not by the thread: the stack
 * builds a set per function ({@link AwsClients#tuned}) with this as the tuning.
 * <p>
 * Every call's permissions ({@link AwsActions}) are decided before it is sent; a denied call never reaches the
 * emulator: its HTTP client answers as the service answers AccessDenied ({@link IamHttpClient}), so the SDK raises
 * the exception it raises on AWS. S3's rule for a missing object holds too: without s3:ListBucket on the bucket, a
 * GetObject or HeadObject of a key that does not exist is 403, not 404. A presigned URL is checked when signed (on AWS
 * S3 checks the signer's permission when the URL is used, and answers 403 then).
 */
public final class FunctionIam implements AwsClients.Tuning, ExecutionInterceptor {
    private final IamRole role;

    public FunctionIam(IamRole role) {
        this.role = role;
    }

    public String function() {
        return role.function();
    }

    @Override
    public ClientOverrideConfiguration.Builder configuration(ClientOverrideConfiguration.Builder configuration) {
        return configuration.addExecutionInterceptor(this);
    }

    @Override
    public SdkAsyncHttpClient httpClient(SdkAsyncHttpClient client) {
        return new IamHttpClient(client, this);
    }

    @Override
    public S3Presigner presigner(S3Presigner presigner) {
        return new CheckedPresigner(presigner, this);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        String denial = denial(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), request,
                context.httpRequest().encodedPath());
        if (denial != null) {
            return context.httpRequest().toBuilder().putHeader(IamHttpClient.DENIED, service(request) + " " + denial)
                    .build();
        }
        String bucket = request instanceof GetObjectRequest get ? get.bucket()
                : request instanceof HeadObjectRequest head ? head.bucket() : null;
        if (bucket != null) {
            // Whether a missing key answers 404 or 403 depends on s3:ListBucket: the HTTP client settles it.
            boolean listable = role.decide("s3:ListBucket", AwsActions.bucketArn(bucket)) == Decision.ALLOWED;
            return context.httpRequest().toBuilder().putHeader(IamHttpClient.MISSING_OBJECT,
                    (listable ? "" : "denied ") + AwsActions.bucketArn(bucket)).build();
        }
        return context.httpRequest();
    }

    /** Null when the call may go ahead; else AWS's AccessDenied message for its first denied permission. */
    String denial(String operation, SdkRequest request) {
        return denial(operation, request, null);
    }

    private String denial(String operation, SdkRequest request, String encodedPath) {
        List<Access> accesses = AwsActions.of(operation, request, encodedPath);
        for (Access access : accesses) {
            Decision decision = role.decide(access.action(), access.resource());
            IamCalls.record(role.function(), access, decision);
            if (decision != Decision.ALLOWED) {
                return message(access, decision);
            }
        }
        return null;
    }

    /** A missing object was looked up: with s3:ListBucket granted, that permission was what made it a 404. */
    void missingObjectListed(String bucketArn) {
        IamCalls.record(role.function(), new Access("s3:ListBucket", bucketArn), Decision.ALLOWED);
    }

    String notListableMessage(String bucketArn) {
        return message(new Access("s3:ListBucket", bucketArn), Decision.NOT_ALLOWED);
    }

    private String message(Access access, Decision decision) {
        return "User: " + role.principal() + " is not authorized to perform: " + access.action() + " on resource: "
                + access.resource() + (decision == Decision.EXPLICITLY_DENIED
                ? " with an explicit deny in an identity-based policy"
                : " because no identity-based policy allows the " + access.action() + " action");
    }

    private static String service(SdkRequest request) {
        return request instanceof DynamoDbRequest ? "dynamodb" : request instanceof SqsRequest ? "sqs"
                : request instanceof ApiGatewayManagementApiRequest ? "execute-api" : "s3";
    }
}
