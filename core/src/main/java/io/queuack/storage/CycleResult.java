package io.queuack.storage;

import java.time.Instant;
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
 * @param held      queues whose claims left due jobs because a limit was full ({@link Storage#putLimit})
 * @param limitFree when a full rate window next lets a start through, or null
 */
public record CycleResult(Set<Long> completed, Set<Long> renewed, List<ClaimedJob> claimed, Changes cascaded,
                          Set<String> held, Instant limitFree) {

    /** A round trip that no limit held back. */
    public CycleResult(Set<Long> completed, Set<Long> renewed, List<ClaimedJob> claimed, Changes cascaded) {
        this(completed, renewed, claimed, cascaded, Set.of(), null);
    }

    /** @return this result with what {@code gate} held back (no change for a null gate) */
    public CycleResult heldBy(LimitGate gate) {
        return gate == null ? this : new CycleResult(completed, renewed, claimed, cascaded, Set.copyOf(gate.heldQueues()),
                gate.rateFreesAt());
    }
}
