package app.tally.aws;

import app.tally.telemetry.Usage;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * S3 prices requests in two tiers (PUT, COPY, POST and LIST; GET, HEAD and the rest) and leaves deletes free; the
 * bytes each way are counted for the storage and transfer a call causes.
 */
final class S3Metering extends Metering.Interceptor {
    @Override
    void succeeded(Context.AfterExecution context, Usage usage) {
        record(context.request(), context.httpRequest(), context.httpResponse(), usage);
    }

    @Override
    void answeredWithError(Context.FailedExecution context, SdkHttpResponse response, Usage usage) {
        context.httpRequest().ifPresent(request -> record(context.request(), request, response, usage));
    }

    private static void record(Object request, software.amazon.awssdk.http.SdkHttpRequest http, SdkHttpResponse response,
                               Usage usage) {
        if (request instanceof DeleteObjectRequest || request instanceof DeleteObjectsRequest
                || request instanceof AbortMultipartUploadRequest) {
            return;
        }
        boolean tierTwo = request instanceof GetObjectRequest || request instanceof HeadObjectRequest;
        usage.s3(!tierTwo, Metering.contentLength(http), tierTwo ? Metering.contentLength(response) : 0);
    }
}
