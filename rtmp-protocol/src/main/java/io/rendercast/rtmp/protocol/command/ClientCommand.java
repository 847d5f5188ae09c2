package io.rendercast.rtmp.protocol.command;

import io.rendercast.rtmp.protocol.message.DataMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client's command or data message means, decoded in one place ({@link #decode}). The session routes on
 * these records and never looks at a command's name again.
 */
public sealed interface ClientCommand {

    /** {@code connect}: the command object ({@code app}, {@code tcUrl}, ...) and the arguments after it. */
    record Connect(double transactionId, Map<String, Object> commandObject, List<Object> arguments)
            implements ClientCommand {
        /** 3 when the client asked for AMF3 ({@code objectEncoding}), else 0. */
        public double objectEncoding() {
            return commandObject.get("objectEncoding") instanceof Number n && n.intValue() == 3 ? 3.0 : 0.0;
        }
    }

    record CreateStream(double transactionId) implements ClientCommand {
    }

    /** {@code play} on a message stream: the stream name and the arguments (name, start, ...). */
    record Play(int streamId, String streamName, List<Object> arguments) implements ClientCommand {
    }

    /** {@code pause} ({@code pausing == true}) or unpause on a message stream. */
    record Pause(int streamId, boolean pausing) implements ClientCommand {
    }

    /** {@code closeStream}, or {@code play} with no name: playback ends, the stream stays. */
    record CloseStream(int streamId) implements ClientCommand {
    }

    /** {@code deleteStream}: the stream it names ends and is gone. */
    record DeleteStream(int streamId) implements ClientCommand {
    }

    /** {@code publish}, {@code releaseStream}, {@code FCPublish}, {@code FCUnpublish}: refused by a server that only plays. */
    record Publish(String name, int streamId, double transactionId) implements ClientCommand {
    }

    /**
     * A call of the application's (any other command), or a data message ({@code expectsAnswer} false and
     * transaction id 0).
     */
    record Call(String procedure, double transactionId, Object commandObject, List<Object> arguments)
            implements ClientCommand {
        public boolean expectsAnswer() {
            return transactionId != 0;
        }
    }

    /** {@code _result} or {@code _error}: the client's answer to a call from the server. */
    record CallAnswer(double transactionId, boolean succeeded, Object value) implements ClientCommand {
    }

    /** Flow control and status the server takes note of and does not answer. */
    record Ignored(String name) implements ClientCommand {
    }

    /** What a command on message stream {@code streamId} means. */
    static ClientCommand decode(Command command, int streamId) {
        return switch (command.name()) {
            case "connect" -> new Connect(command.transactionId(), stringKeys(command.commandObject()),
                    command.arguments());
            case "createStream" -> new CreateStream(command.transactionId());
            case "play" -> command.argument(0) instanceof String name && !name.isEmpty()
                    ? new Play(streamId, name, command.arguments())
                    : new CloseStream(streamId);
            case "pause" -> new Pause(streamId, !(command.argument(0) instanceof Boolean pausing) || pausing);
            case "closeStream" -> new CloseStream(streamId);
            case "deleteStream" -> new DeleteStream(command.argument(0) instanceof Number id ? id.intValue() : streamId);
            case "publish", "releaseStream", "FCPublish", "FCUnpublish" ->
                    new Publish(command.name(), streamId, command.transactionId());
            case "_result", "_error" -> new CallAnswer(command.transactionId(), command.name().equals("_result"),
                    command.arguments().isEmpty() ? command.commandObject() : command.argument(0));
            case "receiveAudio", "receiveVideo", "onStatus" -> new Ignored(command.name());
            default -> new Call(command.name(), command.transactionId(), command.commandObject(), command.arguments());
        };
    }

    /** A data message is a call that expects no answer. */
    static ClientCommand decode(DataMessage data) {
        return new Call(data.name(), 0, null, data.values());
    }

    private static Map<String, Object> stringKeys(Object commandObject) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (commandObject instanceof Map<?, ?> map) {
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        }
        return copy;
    }
}
