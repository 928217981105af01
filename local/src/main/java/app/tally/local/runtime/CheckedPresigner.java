package app.tally.local.runtime;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.AbortMultipartUploadPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.CompleteMultipartUploadPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.CreateMultipartUploadPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.DeleteObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedAbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedCompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedCreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedDeleteObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.UploadPartPresignRequest;

/**
 * A function's presigner in the local stack: a URL carries its signer's permissions, so signing one for an action the
 * function's role does not allow fails here, at once and naming the gap (on AWS the URL would be handed out and
 * answer 403 AccessDenied when used).
 */
final class CheckedPresigner implements S3Presigner {
    private final S3Presigner delegate;
    private final FunctionIam iam;

    CheckedPresigner(S3Presigner delegate, FunctionIam iam) {
        this.delegate = delegate;
        this.iam = iam;
    }

    private void check(String operation, SdkRequest request) {
        String denial = iam.denial(operation, request);
        if (denial != null) {
            throw new IllegalStateException("local IAM check: " + iam.function() + " signed a URL its role does not "
                    + "allow, which AWS would answer with 403 AccessDenied when used: " + denial);
        }
    }

    @Override
    public PresignedGetObjectRequest presignGetObject(GetObjectPresignRequest request) {
        check("GetObject", request.getObjectRequest());
        return delegate.presignGetObject(request);
    }

    @Override
    public PresignedPutObjectRequest presignPutObject(PutObjectPresignRequest request) {
        check("PutObject", request.putObjectRequest());
        return delegate.presignPutObject(request);
    }

    @Override
    public PresignedDeleteObjectRequest presignDeleteObject(DeleteObjectPresignRequest request) {
        check("DeleteObject", request.deleteObjectRequest());
        return delegate.presignDeleteObject(request);
    }

    @Override
    public PresignedCreateMultipartUploadRequest presignCreateMultipartUpload(
            CreateMultipartUploadPresignRequest request) {
        check("CreateMultipartUpload", request.createMultipartUploadRequest());
        return delegate.presignCreateMultipartUpload(request);
    }

    @Override
    public PresignedUploadPartRequest presignUploadPart(UploadPartPresignRequest request) {
        check("UploadPart", request.uploadPartRequest());
        return delegate.presignUploadPart(request);
    }

    @Override
    public PresignedCompleteMultipartUploadRequest presignCompleteMultipartUpload(
            CompleteMultipartUploadPresignRequest request) {
        check("CompleteMultipartUpload", request.completeMultipartUploadRequest());
        return delegate.presignCompleteMultipartUpload(request);
    }

    @Override
    public PresignedAbortMultipartUploadRequest presignAbortMultipartUpload(
            AbortMultipartUploadPresignRequest request) {
        check("AbortMultipartUpload", request.abortMultipartUploadRequest());
        return delegate.presignAbortMultipartUpload(request);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
