package io.queuack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Java a {@code %%dag} cell becomes, and the way back from a complaint about it to the cell's line and column. */
class DagCodeTest {

    static final String CELL = """
            extract : List.of(1, 2)
            # a comment
            total   <- extract retries=2 : {
                int sum = 0;

                return sum + missing;
              }""";

    @Test
    void aCompilerDiagnosticNamesTheCellLineTaskAndColumn() {
        DagCell cell = DagCell.parse("etl", CELL);
        DagCode code = DagCode.of(cell, cell.variableName());
        int at = code.java().indexOf("missing");
        SnippetException refused = new SnippetException(SnippetException.Kind.REJECTED, code.java(),
                List.of(new SnippetException.Problem("cannot find symbol", at, at + 7)));
        assertEquals("%%dag etl, line 6 (task total), column 18: cannot find symbol", code.explain(refused).getMessage());
        assertTrue(code.java().lines().anyMatch(line -> line.equals("    return sum + missing;")), "body lines are copied as they are");
    }

    @Test
    void aDiagnosticOnTheLineThatClosesATaskPointsAtTheEndOfItsBody() {
        DagCell cell = DagCell.parse("etl", "a : 1 +\nb <- a : 2");
        DagCode code = DagCode.of(cell, "etl");
        int closing = code.java().indexOf("    ))");
        SnippetException refused = new SnippetException(SnippetException.Kind.REJECTED, "  " + code.java(),
                List.of(new SnippetException.Problem("illegal start of expression", closing + 2 + 4, -1)));
        // the syntax check finds the real place first
        assertTrue(code.explain(refused).getMessage().startsWith("%%dag etl, line 1 (task a), column 8: illegal start of expression"),
                code.explain(refused).getMessage());
    }

    @Test
    void bracketsAreFollowedPastStringsCharactersCommentsAndTextBlocks() {
        assertEquals(Optional.empty(), JavaSyntax.unbalanced("{ String s = \"(\"; char c = ')'; /* { */ return s; // (\n}"));
        assertEquals(Optional.empty(), JavaSyntax.unbalanced("\"\"\"\n  ( [\n  \"\"\".length()"));
        assertEquals(Optional.of(new JavaSyntax.Error(0, 5, "this '{' is never closed")), JavaSyntax.unbalanced("a + {(b)"));
        assertEquals("')' closes nothing: the '{' before it is still open",
                JavaSyntax.unbalanced("{ f(x)) }").orElseThrow().message());
        assertEquals(new JavaSyntax.Error(1, 2, "')' closes nothing"), JavaSyntax.unbalanced("1\n )").orElseThrow());
    }

    @Test
    void theParserFindsWhatBalancedBracketsHide() {
        JavaSyntax.Error error = JavaSyntax.firstError("{\n    int x = 1;\n    return x +;\n}").orElseThrow();
        assertEquals(2, error.line());
        assertEquals(15, error.column());
        assertEquals("illegal start of expression", error.message());
        assertEquals(Optional.empty(), JavaSyntax.firstError("ctx.upstream(\"a\", Integer.class) + 1"));
    }

    @Test
    void aKeywordNamedDagGetsAnUnderscoredVariable() {
        assertEquals("import_", DagCell.parse("import", "a : 1").variableName());
        assertEquals("daily_sales_v2", DagCell.parse("daily-sales.v2", "a : 1").variableName());
    }
}
