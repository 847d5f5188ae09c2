package io.rendercast.rtmp.server;

import java.util.List;

/** A command as the test client reads it: name, transaction id, command object, arguments. */
record TestCommand(String name, double transactionId, Object commandObject, List<Object> arguments) {

    Object argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    static TestCommand of(List<Object> values) {
        return new TestCommand((String) values.get(0), values.size() > 1 ? (Double) values.get(1) : 0,
                values.size() > 2 ? values.get(2) : null, values.size() > 3 ? values.subList(3, values.size()) : List.of());
    }
}
