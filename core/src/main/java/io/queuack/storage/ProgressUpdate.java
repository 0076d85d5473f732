package io.queuack.storage;

/**
 * The latest progress of a running job, to store.
 *
 * @param jobId    the job
 * @param progress 0 to 1
 * @param message  message, or null
 */
public record ProgressUpdate(long jobId, double progress, String message) {
}
