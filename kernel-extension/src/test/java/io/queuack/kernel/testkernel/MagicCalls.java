package io.queuack.kernel.testkernel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.kernel.BaseNotebookStatics;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.ParsedCellMagic;
import org.dflib.jjava.jupyter.kernel.magic.ParsedLineMagic;

/**
 * Turns a parsed magic into the Java call JJava 1.0-a7 makes of it: {@code BaseNotebookStatics.cellMagic(name,
 * List.of(args), body)} (or {@code lineMagic}), each string Base64-encoded, and nothing after it, so that the magic's
 * value is the cell's value. (The base library of 1.0-a6, which the build compiles against, appended {@code {};},
 * which dropped that value.) A line magic inside a string literal stays as it is.
 */
final class MagicCalls extends MagicTranspiler {

    private static final Pattern UNESCAPED_QUOTE = Pattern.compile("(?<!\\\\)\"");

    @Override
    public String transpileCell(ParsedCellMagic magic) {
        return BaseNotebookStatics.class.getName() + ".cellMagic(" + string(magic.magicCall.name) + ","
                + list(magic.magicCall.args) + "," + string(magic.magicCall.body) + ");";
    }

    @Override
    public String transpileLine(ParsedLineMagic magic) {
        Matcher quotes = UNESCAPED_QUOTE.matcher(magic.linePrefix);
        int count = 0;
        while (quotes.find()) {
            count++;
        }
        if (count % 2 == 1) {
            return magic.raw;
        }
        return BaseNotebookStatics.class.getName() + ".lineMagic(" + string(magic.magicCall.name) + ","
                + list(magic.magicCall.args) + ");";
    }

    private static String list(List<String> args) {
        return "java.util.List.of(" + args.stream().map(MagicCalls::string).collect(Collectors.joining(",")) + ")";
    }

    private static String string(String text) {
        return "new String(java.util.Base64.getDecoder().decode(\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"))";
    }
}
