package app.tally.services.jobs;

import app.tally.model.Job;
import app.tally.model.JobKind;
import app.tally.model.JobStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where job files live: {@code <kind>s/<user hash>/<jobId>.<ext>}, e.g. {@code exports/3f…/01J….csv}. The key follows
 * from the user and the job, so a retried run writes the same object, and one user's prefix never holds another's
 * file. The user is hashed so that subjects (which may be e-mail addresses) do not appear in object keys. The bucket's
 * lifecycle rule on {@code exports/} expires export files.
 */
public final class JobFiles {
    private JobFiles() {
    }

    public static String key(JobKind kind, String user, String jobId, String extension) {
        return userPrefix(kind, user) + jobId + "." + extension;
    }

    /** {@code <kind>s/<first 128 bits of SHA-256(user), hex>/}. */
    public static String userPrefix(JobKind kind, String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return kind.wire() + "s/" + HexFormat.of().formatHex(digest, 0, 16) + "/";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a stored key is this job's own file: the only keys a download link is ever signed for. */
    public static boolean isFileOf(String objectKey, Job job, String user) {
        String stem = userPrefix(job.kind(), user) + job.id() + ".";
        return objectKey != null && objectKey.startsWith(stem) && objectKey.indexOf('/', stem.length()) < 0;
    }

    /** A succeeded export whose stored key is its own file: the one case a download link is signed for. */
    public static boolean downloadable(Job job, String user) {
        return job.kind() == JobKind.EXPORT && job.status() == JobStatus.SUCCEEDED && isFileOf(job.objectKey(), job, user);
    }
}
