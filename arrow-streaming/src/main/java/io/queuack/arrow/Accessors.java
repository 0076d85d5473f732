package io.queuack.arrow;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Turns a record accessor into a plain functional interface, through {@link LambdaMetafactory} when the
 * record's class can be reached that way (the JIT then inlines the call like a hand-written getter), or else
 * through the method handle itself (slower, but works for any accessible record).
 */
final class Accessors {

    private static final System.Logger LOG = System.getLogger(Accessors.class.getName());

    private Accessors() {
    }

    @SuppressWarnings("unchecked")
    static ToLongFunction<Object> toLong(Class<?> type, MethodHandle accessor) {
        Object fast = lambda(type, accessor, ToLongFunction.class, "applyAsLong", long.class);
        if (fast != null) {
            return (ToLongFunction<Object>) fast;
        }
        MethodHandle typed = accessor.asType(MethodType.methodType(long.class, Object.class));
        return record -> {
            try {
                return (long) typed.invokeExact(record);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        };
    }

    @SuppressWarnings("unchecked")
    static ToDoubleFunction<Object> toDouble(Class<?> type, MethodHandle accessor) {
        Object fast = lambda(type, accessor, ToDoubleFunction.class, "applyAsDouble", double.class);
        if (fast != null) {
            return (ToDoubleFunction<Object>) fast;
        }
        MethodHandle typed = accessor.asType(MethodType.methodType(double.class, Object.class));
        return record -> {
            try {
                return (double) typed.invokeExact(record);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        };
    }

    static Function<Object, Object> toObject(Class<?> type, MethodHandle accessor) {
        MethodHandle typed = accessor.asType(MethodType.methodType(Object.class, Object.class));
        return record -> {
            try {
                return (Object) typed.invokeExact(record);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        };
    }

    /** @return the accessor as an instance of {@code face}, or null (logged) when the slower path must serve */
    private static Object lambda(Class<?> type, MethodHandle accessor, Class<?> face, String method, Class<?> result) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            CallSite site = LambdaMetafactory.metafactory(lookup, method, MethodType.methodType(face),
                    MethodType.methodType(result, Object.class), accessor,
                    MethodType.methodType(result, type));
            return site.getTarget().invoke();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.DEBUG, "Reading " + type.getName() + " through method handles (slower): " + e);
            return null;
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new DatasetException("A record accessor threw " + e, e);
    }
}
