package app.tally.model;

/** How far a job has come: rows and bytes written, month partitions done out of those to read. */
public record JobProgress(long rows, long bytes, int monthsDone, int monthsTotal) {
    public static final JobProgress NONE = new JobProgress(0, 0, 0, 0);

    /** Whole percent; a job with nothing to read is done when it succeeds. */
    public int percent(JobStatus status) {
        if (status == JobStatus.SUCCEEDED) {
            return 100;
        }
        return monthsTotal == 0 ? 0 : Math.min(99, monthsDone * 100 / monthsTotal);
    }
}
