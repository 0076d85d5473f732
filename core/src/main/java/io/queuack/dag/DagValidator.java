package io.queuack.dag;

import io.queuack.job.DependencyMode;
import io.queuack.job.JobOptions;
import io.queuack.text.DidYouMean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * Checks a DAG before anything is stored and reports every problem at once: names, duplicates, unknown
 * upstream tasks (with a suggestion), options that do not apply to DAG tasks, and cycles (with their
 * paths). Cycles and order come from JGraphT.
 */
final class DagValidator {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private DagValidator() {
    }

    /** @return the problems found; empty when the DAG is valid */
    static List<String> problems(String dag, JobOptions defaults, List<TaskDefinition> tasks) {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(dag).matches()) {
            problems.add("the DAG name '" + dag + "' must be 1-100 letters, digits or _ . -");
        }
        optionProblems("the DAG defaults", defaults, problems);
        if (tasks.isEmpty()) {
            problems.add("it has no tasks; add one with .task(name, body)");
            return problems;
        }
        Map<String, TaskDefinition> byName = new LinkedHashMap<>();
        for (TaskDefinition task : tasks) {
            if (!NAME.matcher(task.name()).matches()) {
                problems.add("task name '" + task.name() + "' must be 1-100 letters, digits or _ . -");
            }
            if (byName.putIfAbsent(task.name(), task) != null) {
                problems.add("task '" + task.name() + "' is defined more than once");
            }
        }
        for (TaskDefinition task : tasks) {
            taskProblems(dag, task, byName, problems);
        }
        problems.addAll(cycles(tasks, byName));
        return problems;
    }

    private static void taskProblems(String dag, TaskDefinition task, Map<String, TaskDefinition> byName,
                                     List<String> problems) {
        String label = "task '" + task.name() + "'";
        for (String upstream : task.upstream()) {
            if (upstream.equals(task.name())) {
                problems.add(label + " depends on itself");
            } else if (!byName.containsKey(upstream)) {
                problems.add(label + " depends on '" + upstream + "', which is not a task of this DAG"
                        + DidYouMean.hint(upstream, byName.keySet()));
            }
        }
        if (task.mode() == DependencyMode.ANY && task.upstream().isEmpty()) {
            problems.add(label + " is in ANY mode but has no upstream tasks; add .after(...) or drop .mode(ANY)");
        }
        if (task.options() != null) {
            optionProblems(label, task.options(), problems);
        }
        if (task.kind() == TaskKind.SUB_DAG && task.subDag().name().equals(dag)) {
            problems.add(label + " runs a sub-DAG with the same name as its parent ('" + dag + "'); give it its own name");
        }
    }

    private static void optionProblems(String label, JobOptions options, List<String> problems) {
        if (options.delay() != null || options.runAt() != null) {
            problems.add(label + " set a delay or run-at time, which does not apply to DAG tasks (they start when"
                    + " their upstream tasks are done)");
        }
        if (options.ttl() != null) {
            problems.add(label + " set a time-to-live, which does not apply to DAG tasks");
        }
        if (options.idempotencyKey() != null) {
            problems.add(label + " set an idempotency key, which does not apply to DAG tasks (a run is submitted once)");
        }
    }

    /** @return a cycle path per strongly connected component that has one, e.g. "cycle: a -> b -> a" */
    private static List<String> cycles(List<TaskDefinition> tasks, Map<String, TaskDefinition> byName) {
        Graph<String, DefaultEdge> graph = graph(tasks, byName);
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : new KosarajuStrongConnectivityInspector<>(graph).stronglyConnectedSets()) {
            String start = component.iterator().next();
            if (component.size() > 1) {
                cycles.add("cycle: " + String.join(" -> ", cyclePath(graph, component, start)));
            }
        }
        return cycles;
    }

    /** Edges run from upstream to downstream; unknown names and self-loops are reported elsewhere. */
    static Graph<String, DefaultEdge> graph(List<TaskDefinition> tasks, Map<String, TaskDefinition> byName) {
        Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
        tasks.forEach(task -> graph.addVertex(task.name()));
        for (TaskDefinition task : tasks) {
            for (String upstream : task.upstream()) {
                if (byName.containsKey(upstream) && !upstream.equals(task.name())) {
                    graph.addEdge(upstream, task.name());
                }
            }
        }
        return graph;
    }

    /** Follows edges inside {@code component} from {@code start} until a task repeats. */
    private static List<String> cyclePath(Graph<String, DefaultEdge> graph, Set<String> component, String start) {
        List<String> path = new ArrayList<>();
        Map<String, Integer> seenAt = new HashMap<>();
        String current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, path.size());
            path.add(current);
            for (DefaultEdge edge : graph.outgoingEdgesOf(current)) {
                String next = graph.getEdgeTarget(edge);
                if (component.contains(next)) {
                    current = next;
                    break;
                }
            }
        }
        List<String> cycle = new ArrayList<>(path.subList(seenAt.get(current), path.size()));
        cycle.add(current);
        return cycle;
    }

    /** @return the tasks grouped by depth: level 0 has no upstream tasks; each task one deeper than its deepest upstream */
    static List<List<String>> levels(List<TaskDefinition> tasks, Map<String, TaskDefinition> byName) {
        Graph<String, DefaultEdge> graph = graph(tasks, byName);
        Map<String, Integer> depth = new HashMap<>();
        List<List<String>> levels = new ArrayList<>();
        TopologicalOrderIterator<String, DefaultEdge> order = new TopologicalOrderIterator<>(graph);
        while (order.hasNext()) {
            String task = order.next();
            int level = 0;
            for (DefaultEdge edge : graph.incomingEdgesOf(task)) {
                level = Math.max(level, depth.get(graph.getEdgeSource(edge)) + 1);
            }
            depth.put(task, level);
            while (levels.size() <= level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(task);
        }
        Map<String, Integer> declared = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            declared.putIfAbsent(tasks.get(i).name(), i);
        }
        levels.forEach(level -> level.sort((a, b) -> Integer.compare(declared.get(a), declared.get(b))));
        return levels.stream().map(List::copyOf).toList();
    }

    /** @return the tasks no other task depends on */
    static List<String> sinks(List<TaskDefinition> tasks) {
        Set<String> upstream = new HashSet<>();
        tasks.forEach(task -> upstream.addAll(task.upstream()));
        return tasks.stream().map(TaskDefinition::name).filter(name -> !upstream.contains(name)).toList();
    }
}
