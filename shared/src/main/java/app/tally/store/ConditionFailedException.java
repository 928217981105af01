package app.tally.store;

import java.util.Set;

/** A transactional write whose conditions did not hold: nothing was written. Says which actions failed. */
public final class ConditionFailedException extends RuntimeException {
    private final Set<Integer> failedActions;

    ConditionFailedException(Set<Integer> failedActions) {
        super("Condition failed on actions " + failedActions, null, false, false);
        this.failedActions = Set.copyOf(failedActions);
    }

    public boolean failedAt(int action) {
        return failedActions.contains(action);
    }
}
