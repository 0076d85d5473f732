package io.queuack.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Stored JSON, indented for reading (shown as it is stored when it does not parse). */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_SHOWN = 200_000;

    private Json() {
    }

    static String pretty(String json) {
        if (json == null) {
            return "null";
        }
        String shown;
        try {
            shown = MAPPER.writeValueAsString(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            shown = json;
        }
        return shown.length() > MAX_SHOWN ? shown.substring(0, MAX_SHOWN) + "\n… (" + shown.length() + " characters)"
                : shown;
    }
}
