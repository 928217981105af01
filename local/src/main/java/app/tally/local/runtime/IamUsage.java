package app.tally.local.runtime;

import app.tally.local.LocalStack;
import app.tally.local.runtime.IamCalls.Call;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-function action list, held against what the code did: after the integration suite, {@code ./tally test}
 * runs this on the calls the stack recorded ({@link IamCalls}). It fails on an action the template grants a function
 * (in its own Policies) that none of the function's calls used, and on any call that was denied. SAM's managed
 * policies (logs, and the queue permissions of an SQS trigger, which Lambda's poller uses) are not the template's to
 * narrow, so they are listed apart.
 */
public final class IamUsage {
    private IamUsage() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: IamUsage CALLS_FILE");
            System.exit(2);
        }
        Path root = LocalStack.root();
        Map<String, IamRole> roles = IamRoles.expand(root, root.resolve("template.yaml"),
                LocalStack.names(LocalStack.template()));
        List<Call> calls = IamCalls.read(Path.of(args[0]));
        System.out.println(report(roles, calls));
        List<String> problems = problems(roles, calls);
        problems.forEach(problem -> System.err.println("IAM: " + problem));
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static List<String> problems(Map<String, IamRole> roles, List<Call> calls) {
        List<String> problems = new ArrayList<>();
        for (Call call : calls) {
            if (!call.allowed()) {
                problems.add(call.function() + " was denied " + call.action() + " on " + call.resource()
                        + ": grant it in template.yaml, or stop calling it");
            }
        }
        roles.forEach((function, role) -> {
            for (String granted : role.allowedActions(IamUsage::templatePolicy)) {
                if (!used(function, granted, calls)) {
                    problems.add(function + " is granted " + granted + " but none of its calls used it: remove it "
                            + "from template.yaml, or test the path that needs it");
                }
            }
        });
        return problems;
    }

    static String report(Map<String, IamRole> roles, List<Call> calls) {
        StringBuilder report = new StringBuilder("Actions each function's template policies grant (* = used):\n");
        roles.forEach((function, role) -> {
            report.append("  ").append(function).append(':');
            role.allowedActions(IamUsage::templatePolicy).forEach(action ->
                    report.append(' ').append(action).append(used(function, action, calls) ? "*" : ""));
            report.append('\n');
        });
        return report.toString();
    }

    /** Inline policies are the template's own; a managed policy is named by its ARN. */
    private static boolean templatePolicy(String policy) {
        return !policy.startsWith("arn:");
    }

    private static boolean used(String function, String granted, List<Call> calls) {
        return calls.stream().anyMatch(call -> call.allowed() && call.function().equals(function)
                && IamRole.actionMatches(granted, call.action()));
    }
}
