package gpupoor.kernel.protocol;

import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.Map;

/**
 * A reply whose content is written out as a map. jjava-jupyter 1.0-a6's reply classes lack fields
 * the protocol requires ({@code status} in {@code kernel_info_reply}, {@code history_reply} and
 * {@code comm_info_reply}; {@code payload} and {@code user_expressions} in {@code execute_reply}) or
 * serialize them wrongly (history entries), so the kernel builds those replies itself (upstream:
 * {@code messages/reply/*Reply.java}, unchanged in 1.0-a7).
 */
public final class MapReply {
    private MapReply() {
    }

    /** A message of the given reply type, answering {@code request}, with exactly this content. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Message<?> of(MessageContext request, MessageType<?> type, Map<String, ?> content) {
        return new Message(request, type, content);
    }
}
