package app.tally.aws;

import app.tally.telemetry.Usage;
import java.util.Collection;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * What each AWS call consumes, added to the {@link Usage} current when it started: one interceptor per service (each
 * loads only its own service's classes), registered on every client in {@link AwsClients}.
 */
public final class Metering {
    /** The usage current when the call started. */
    static final ExecutionAttribute<Usage> USAGE = new ExecutionAttribute<>("TallyUsage");

    private Metering() {
    }

    /**
     * Records the usage current on the calling thread, else that of the last call on this client that had one (a
     * call chained on an SDK thread); each service's interceptor extends this, one instance per client.
     */
    abstract static class Interceptor implements ExecutionInterceptor {
        private volatile Usage latest;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            Usage usage = Usage.current();
            if (usage != null) {
                latest = usage;
            } else {
                usage = latest;
            }
            if (usage != null) {
                attributes.putAttribute(USAGE, usage);
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            Usage usage = attributes.getAttribute(USAGE);
            if (usage != null) {
                succeeded(context, usage);
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            Usage usage = attributes.getAttribute(USAGE);
            if (usage != null && context.httpResponse().isPresent()) {
                answeredWithError(context, context.httpResponse().get(), usage);
            }
        }

        abstract void succeeded(Context.AfterExecution context, Usage usage);

        /** The service answered with an error (a failed condition, a throttle): what that cost, if anything. */
        abstract void answeredWithError(Context.FailedExecution context, SdkHttpResponse response, Usage usage);
    }

    /** The request with {@code field} set to {@code value}, when it has such a member and it is not set already. */
    static SdkRequest withMember(SdkRequest request, String field, String value) {
        for (SdkField<?> member : request.sdkFields()) {
            if (member.memberName().equals(field)) {
                if (member.getValueOrDefault(request) != null) {
                    return request;
                }
                SdkRequest.Builder builder = request.toBuilder();
                member.set(builder, value);
                return builder.build();
            }
        }
        return request;
    }

    /** The value of a member of a request or response, when it has one. */
    static <T> Optional<T> member(software.amazon.awssdk.core.SdkPojo pojo, String field, Class<T> type) {
        for (SdkField<?> member : pojo.sdkFields()) {
            if (member.memberName().equals(field)) {
                Object value = member.getValueOrDefault(pojo);
                boolean empty = value == null || value instanceof Collection<?> c && c.isEmpty();
                return empty || !type.isInstance(value) ? Optional.empty() : Optional.of(type.cast(value));
            }
        }
        return Optional.empty();
    }

    static long contentLength(software.amazon.awssdk.http.SdkHttpHeaders message) {
        return message.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(0L);
    }
}
