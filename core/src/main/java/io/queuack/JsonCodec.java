package io.queuack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.queuack.error.NonRetryableException;
import io.queuack.error.ResultTooLargeException;
import io.queuack.text.Text;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Arguments and results as JSON text through Jackson. No Java serialization, no default typing. What it
 * writes it can read back: the mapper's read limits (string, number and name lengths) are raised to the
 * largest JSON a job may store, and lone UTF-16 surrogates, which the stores would turn into {@code ?},
 * are written as JSON escapes.
 */
final class JsonCodec {

    /** The largest argument or result JSON any queue stores, in UTF-8 bytes: 64 MiB. */
    static final long MAX_JSON_BYTES = 64L * 1024 * 1024;

    private final ObjectMapper mapper;
    private final long maxArgumentBytes;
    private final long maxResultBytes;

    /**
     * @throws IllegalArgumentException if the mapper has default typing enabled (stored JSON could then name
     *                                  classes to instantiate)
     */
    JsonCodec(ObjectMapper mapper, long maxArgumentBytes, long maxResultBytes) {
        this.mapper = copyOf(checkNoDefaultTyping(mapper));
        int limit = (int) MAX_JSON_BYTES;
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(limit)
                .maxNumberLength(limit).maxNameLength(limit).build());
        this.maxArgumentBytes = maxArgumentBytes;
        this.maxResultBytes = maxResultBytes;
    }

    /** @return the mapper Queuack uses unless given another: java.time and Optional support, ISO dates */
    static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    /**
     * @return {@code argument} as JSON, or null for null
     * @throws IllegalArgumentException if Jackson cannot write it
     */
    String writeArgument(String task, Object argument) {
        if (argument == null) {
            return null;
        }
        String json;
        try {
            json = mapper.writeValueAsString(argument);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The argument for task '" + task + "' (a "
                    + argument.getClass().getName() + ") cannot be stored as JSON: " + firstLine(e)
                    + ". Pass a JSON-friendly value instead: a record or POJO with getters, a Map or List, a String or"
                    + " a number; in-process lambdas can capture other objects.", e);
        }
        long bytes = utf8Length(json, maxArgumentBytes);
        if (bytes > maxArgumentBytes) {
            throw new IllegalArgumentException("The argument for task '" + task + "' is " + bytes + " bytes as JSON,"
                    + " over the limit of " + maxArgumentBytes + " bytes (Queuack.builder().maxArgumentBytes(...), at"
                    + " most 64 MiB). Pass large data as a file path instead.");
        }
        return Text.escapeLoneSurrogates(json);
    }

    /**
     * @return {@code mapper}
     * @throws IllegalArgumentException if it has default typing enabled: JSON in the queue could then name
     *                                  classes to instantiate
     */
    static ObjectMapper checkNoDefaultTyping(ObjectMapper mapper) {
        if (mapper.getDeserializationConfig().getDefaultTyper(null) != null
                || mapper.getSerializationConfig().getDefaultTyper(null) != null) {
            throw new IllegalArgumentException("The ObjectMapper has default typing enabled (activateDefaultTyping or"
                    + " enableDefaultTyping): JSON in the queue could then name any class to instantiate. Give a mapper"
                    + " without it; for polymorphic arguments annotate the types (@JsonTypeInfo with @JsonSubTypes).");
        }
        return mapper;
    }

    /** @return a copy to raise the read limits on (the caller's mapper stays as it was), or the mapper itself */
    private static ObjectMapper copyOf(ObjectMapper mapper) {
        try {
            return mapper.copy();
        } catch (IllegalStateException subclassWithoutCopy) {
            return mapper;
        }
    }

    /** @return the UTF-8 length of {@code json}, counted only when it may pass {@code limit} */
    private static long utf8Length(String json, long limit) {
        if ((long) json.length() * 3 <= limit) {
            return json.length();
        }
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * @return the task's result as JSON, or null for null
     * @throws NonRetryableException if it cannot be written or is larger than the limit
     */
    String writeResult(String task, Object result) {
        if (result == null) {
            return null;
        }
        String json;
        try {
            json = mapper.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new NonRetryableException("The result of task '" + task + "' (a " + result.getClass().getName()
                    + ") cannot be stored as JSON: " + firstLine(e) + ". Return a record, POJO with getters, Map, List,"
                    + " String or number, or null.", e);
        }
        long bytes = utf8Length(json, maxResultBytes);
        if (bytes > maxResultBytes) {
            throw new ResultTooLargeException(task, bytes, maxResultBytes);
        }
        return Text.escapeLoneSurrogates(json);
    }

    /**
     * @return the value of {@code json} as {@code type}, or null for null
     * @throws NonRetryableException if the JSON does not fit the type
     */
    <T> T read(String json, Class<T> type, String what) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new NonRetryableException("Cannot read " + what + " as " + type.getName() + ": " + firstLine(e), e);
        }
    }

    /**
     * @return the value of {@code json} as {@code type}, or null for null
     * @throws IllegalArgumentException if the JSON does not fit the type
     */
    <T> T read(String json, JavaType type, String what) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot read " + what + " as " + type.toCanonical() + ": " + firstLine(e), e);
        }
    }

    /** @return the JSON object {@code json} as a map (empty for null), its keys in their written order */
    Map<String, Object> readObject(String json, String what) {
        Map<String, Object> object = read(json, mapper.getTypeFactory().constructMapType(LinkedHashMap.class,
                String.class, Object.class), what);
        return object == null ? new LinkedHashMap<>() : object;
    }

    JavaType type(Class<?> type) {
        return mapper.constructType(type);
    }

    JavaType type(TypeReference<?> type) {
        return mapper.constructType(type);
    }

    /** @return {@code value} (a JSON tree) converted to {@code type} */
    <T> T convert(Object value, Class<T> type, String what) {
        try {
            return mapper.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read " + what + " as " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
