package io.queuack.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.dag.Dag;
import io.queuack.job.DependencyMode;
import io.queuack.job.JobOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Pictures of DAGs and runs: Mermaid whose edges connect the drawn nodes, laid-out SVG, text trees, themes. */
class PictureTest {

    private static final Pattern NODE = Pattern.compile("^\\s+(n\\d+)\\[\"", Pattern.MULTILINE);
    private static final Pattern SUBGRAPH = Pattern.compile("^\\s+subgraph (n\\d+)\\[", Pattern.MULTILINE);
    private static final Pattern EDGE = Pattern.compile("^\\s+(n\\d+) (-->|-\\.->) (n\\d+)$", Pattern.MULTILINE);

    static Dag etl() {
        Dag clean = Dag.builder("clean").task("dedupe", () -> 1).task("validate", () -> 2).after("dedupe").build();
        return Dag.builder("etl").description("daily <sales> & \"returns\"")
                .defaults(JobOptions.defaults().maxAttempts(1))
                .task("extract", () -> List.of(1, 2, 3))
                .subDag("clean", clean).after("extract")
                .map("enrich", "extract", Integer.class, (ctx, n) -> n * 10)
                .task("load", () -> "ok").after("clean", "enrich")
                .task("report", () -> {
                    throw new IllegalStateException("smtp down");
                }).after("load")
                .task("notify", () -> "sent").after("report", "load").mode(DependencyMode.ANY)
                .task("archive", () -> "kept").after("report")
                .build();
    }

    private static Set<String> all(Pattern pattern, String text, int group) {
        Set<String> found = new HashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(group));
        }
        return found;
    }

    @Test
    void mermaidEdgesConnectTheDrawnNodes() {
        String mermaid = etl().toMermaid();
        assertTrue(mermaid.startsWith("---\ntitle: DAG etl: daily #lt;sales#gt; #amp; #quot;returns#quot;\n---\nflowchart TD\n"),
                mermaid);
        Set<String> drawn = all(NODE, mermaid, 1);
        drawn.addAll(all(SUBGRAPH, mermaid, 1));
        assertEquals(9, drawn.size(), "7 tasks, one of them a group with 2 inside: " + mermaid);
        Matcher edges = EDGE.matcher(mermaid);
        int count = 0;
        while (edges.find()) {
            count++;
            assertTrue(drawn.contains(edges.group(1)) && drawn.contains(edges.group(3)), edges.group());
        }
        assertEquals(9, count, "8 dependencies and 1 inside the sub-DAG: " + mermaid);
        assertEquals(2, mermaid.split(" -\\.-> ", -1).length - 1, "ANY-mode edges are dashed");
        assertTrue(mermaid.contains("subgraph"), mermaid);
    }

    @Test
    void themesCarryTheOriginalColours() {
        String mermaid = etl().toMermaid(Theme.DEFAULT);
        assertTrue(mermaid.contains("classDef pending fill:#F0F0F0,stroke:#333333,stroke-width:2px,color:#000000"), mermaid);
        assertEquals("#90EE90", Theme.DEFAULT.fill(Shade.DONE));
        assertEquals("#FFB6C6", Theme.DEFAULT.fill(Shade.FAILED));
        assertEquals("#66BB6A", Theme.DARK.fill(Shade.DONE));
        assertEquals("#E0E0E0", Theme.DARK.stroke());
        assertEquals("#0000FF", Theme.HIGH_CONTRAST.fill(Shade.RUNNING));
        assertEquals(3, Theme.HIGH_CONTRAST.strokeWidth());
        assertEquals("#FFFFFF", Theme.HIGH_CONTRAST.text(Shade.RUNNING), "white text on dark fills");
        assertEquals("#2196F3", Theme.BLUE_PROFESSIONAL.fill(Shade.RUNNING));
        assertEquals(1, Theme.PASTEL.strokeWidth());
        assertEquals("#404040", Theme.GRAYSCALE.fill(Shade.FAILED));
    }

    @Test
    void aRunsPictureShowsStatesAndDurations() {
        try (Queuack queue = Queuack.inMemory()) {
            DagRun run = queue.run(etl());
            String mermaid = run.toMermaid(Theme.HIGH_CONTRAST);
            assertTrue(mermaid.contains("[\"report<br/><small>DEAD · "), mermaid);
            assertTrue(mermaid.contains(":::failed"), mermaid);
            assertTrue(mermaid.contains("[\"archive<br/><small>SKIPPED</small>\"]:::skipped"), mermaid);
            assertTrue(mermaid.contains("classDef done fill:#00FF00,stroke:#000000,stroke-width:3px"), mermaid);
            assertTrue(mermaid.contains("title: etl · run " + run.id() + " · FAILED · "), mermaid);
            String text = run.toText();
            assertTrue(text.contains("✗ report  DEAD"), text);
            assertTrue(text.contains("– archive  SKIPPED"), text);
            assertTrue(text.contains("┆ clean · run"), "the sub-run is drawn inside its task: " + text);
            assertTrue(text.contains("↑ (drawn above)"), text);
            Document svg = parse(run.toSvg(Theme.DARK));
            assertEquals(9, count(svg, "polyline"), "8 links between tasks and 1 inside the sub-run");
            assertTrue(run.toSvg().contains("fill=\"#FFB6C6\""), "a failed task is filled with the theme's failed colour");
        }
    }

    @Test
    void svgIsALaidOutStandaloneDocument() {
        String text = etl().toSvg();
        Document svg = parse(text);
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        assertEquals(9, count(svg, "polyline"));
        assertTrue(text.contains("daily &lt;sales&gt; &amp; &quot;returns&quot;"), "text is escaped");
        assertTrue(!text.contains("http://") || text.indexOf("http://") == text.indexOf("http://www.w3.org/2000/svg"),
                "nothing is loaded from anywhere");
        Set<String> positions = new HashSet<>();
        NodeList rects = svg.getElementsByTagName("rect");
        for (int i = 1; i < rects.getLength(); i++) {
            positions.add(rects.item(i).getAttributes().getNamedItem("x").getNodeValue() + ","
                    + rects.item(i).getAttributes().getNamedItem("y").getNodeValue());
        }
        assertEquals(rects.getLength() - 1, positions.size(), "no two boxes at the same place");
    }

    @Test
    void theTextTreeDrawsEachTaskOnce() {
        String text = etl().toText();
        assertTrue(text.startsWith("DAG etl: daily <sales> & \"returns\"\n└── ○ extract\n"), text);
        assertEquals(2, text.split("○ load", -1).length - 1, "load has two upstream tasks: " + text);
        assertTrue(text.contains("○ load\n") && text.contains("○ load  ↑ (drawn above)"), text);
        assertTrue(text.contains("◇ enrich  for each of extract"), text);
    }

    private static Document parse(String svg) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
    }

    private static int count(Document document, String tag) {
        return document.getElementsByTagName(tag).getLength();
    }
}
