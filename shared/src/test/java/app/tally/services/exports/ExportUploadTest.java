package app.tally.services.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CompletedPart;

class ExportUploadTest {
    private static CompletedPart part(int number, String eTag) {
        return CompletedPart.builder().partNumber(number).eTag(eTag).build();
    }

    @Test
    void multipartETagIsTheMd5OfThePartMd5sWithThePartCount() {
        // As S3 (and S3Proxy) answered for a 5 MiB part of 'a' and a part "tail".
        assertEquals("\"30dcfd3901d1c613b7fb532281748544-2\"", ExportUpload.multipartETag(List.of(
                part(1, "\"79b281060d337b9b2b84ccf390adcf74\""), part(2, "\"7aea2552dfe7eb84b9443b6fc9ba6e01\""))));
    }

    @Test
    void multipartETagIsUnknownWhenAPartETagIsNotAnMd5() {
        assertNull(ExportUpload.multipartETag(List.of(part(1, "\"79b281060d337b9b2b84ccf390adcf74\""),
                part(2, "\"kms-encrypted-etag\""))));
    }
}
