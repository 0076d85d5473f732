// The quickstart in plain jshell, with the start-up script of queuack-kernel:
//   jshell --class-path kernel-extension/target/queuack-kernel-<version>-all.jar \
//          -R--add-opens=java.base/java.nio=ALL-UNNAMED \
//          --startup DEFAULT --startup kernel-extension/jshell/queuack.jsh notebooks/quickstart.jsh
// jshell ends a snippet at the end of a complete line: fluent chains keep their dots at the ends of lines.
List<String> files = List.of("orders.csv", "refunds.csv", "returns.csv");

Dag hello = Dag.builder("hello").
        task("list", () -> files).
        task("measure", ctx -> ctx.upstream("list", List.class).size()).after("list").retries(2).
        task("report", ctx -> "measured " + ctx.upstream("measure", Integer.class) + " files").after("measure").
        build();
show(hello);

DagRun run = run(hello);
System.out.println(run.result("report", String.class));

record Reading(long sensor, double value) {}
Dataset readings = Datasets.writer(java.nio.file.Files.createTempFile("readings", ".arrow")).
        writeRecords(java.util.stream.LongStream.range(0, 100_000).mapToObj(i -> new Reading(i % 10, i % 100)), Reading.class);
show(readings);
/exit
