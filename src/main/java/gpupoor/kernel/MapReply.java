package gpupoor.kernel;

import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;

import java.util.Map;

/**
 * A reply whose content is written out as a map. jjava-jupyter 1.0-a6's reply classes lack fields
 * the protocol requires ({@code status} in {@code kernel_info_reply} and {@code history_reply},
 * {@code payload} in {@code execute_reply}) or serialize them wrongly (history entries), so the
 * kernel builds those replies itself.
 */
final class MapReply {
    private MapReply() {
    }

    /** A message of the given reply type, answering {@code request}, with exactly this content. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> of(MessageContext request, MessageType<?> type, Map<String, ?> content) {
        return new Message(request, type, content);
    }
}
