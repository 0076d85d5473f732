package io.queuack.storage;

import java.util.List;
import java.util.Set;

/**
 * What one {@link CycleRequest} did.
 *
 * @param completed ids whose completion was stored (the others were fenced out: the job was cancelled,
 *                  recovered, or is held by someone else)
 * @param renewed   ids whose lease was renewed, or null if renewal was not asked for
 * @param claimed   jobs claimed, in claim order
 * @param cascaded  what the stored completions caused: DAG tasks unblocked or skipped, runs finished
 */
public record CycleResult(Set<Long> completed, Set<Long> renewed, List<ClaimedJob> claimed, Changes cascaded) {
}
