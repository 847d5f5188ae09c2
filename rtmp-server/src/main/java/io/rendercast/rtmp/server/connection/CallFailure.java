package io.rendercast.rtmp.server.connection;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a client is told when a call handler throws: the application's own words when it gave them, and never
 * the JVM's. A handler that took its arguments on trust ({@code (Double) args.get(0)}) and met a string throws
 * a {@link ClassCastException} whose text names JDK classes and class loaders; the client learns instead which
 * arguments it sent and that the procedure does not take them. The exception itself is logged on the server.
 */
final class CallFailure {

    private static final int MAX_SHOWN = 60;

    private CallFailure() {
    }

    static String describe(String procedure, List<Object> arguments, Exception e, Class<?> handler) {
        if (e instanceof ClassCastException || e instanceof IndexOutOfBoundsException
                || e instanceof NullPointerException) {
            return "procedure '" + procedure + "' does not take these arguments: (" + arguments.stream()
                    .map(CallFailure::describe).collect(Collectors.joining(", ")) + ")";
        }
        if (isApplications(e, handler)) {
            return "procedure '" + procedure + "' failed: " + e.getMessage();
        }
        return "procedure '" + procedure + "' failed on the server";
    }

    /**
     * Whether the exception carries the application's words: one of the JDK's that applications throw to say
     * what was wrong (an argument out of range, a call at the wrong time), or a class of the handler's own module
     * (on the class path: of its own top-level package, such as {@code com.example}). A library's exception (a
     * database's, a parser's) may name hosts and queries, and is not passed on.
     */
    private static boolean isApplications(Exception e, Class<?> handler) {
        if (e.getMessage() == null) {
            return false;
        }
        Class<?> type = e.getClass();
        if (type == IllegalArgumentException.class || type == IllegalStateException.class
                || type == UnsupportedOperationException.class) {
            return true;
        }
        if (type.getModule().isNamed() || handler.getModule().isNamed()) {
            return type.getModule() == handler.getModule() && !type.getName().startsWith("java.");
        }
        return topPackage(type).equals(topPackage(handler)) && !topPackage(type).isEmpty();
    }

    /** The first two parts of a class's package: {@code com.example} of {@code com.example.app.Scene}. */
    private static String topPackage(Class<?> type) {
        String[] parts = type.getPackageName().split("\\.");
        return parts.length < 2 ? "" : parts[0] + "." + parts[1];
    }

    /** An argument as its AMF type and a short form of its value: {@code string "fast"}, {@code number 2}. */
    private static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String text -> "string \"" + shorten(text) + "\"";
            case Number number -> "number " + shorten(number.toString());
            case Boolean flag -> "boolean " + flag;
            case List<?> list -> "array of " + list.size();
            case Map<?, ?> map -> "object";
            default -> "a value of AMF type " + value.getClass().getSimpleName();
        };
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
