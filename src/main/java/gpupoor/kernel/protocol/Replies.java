package gpupoor.kernel.protocol;

import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replies that jjava-jupyter 1.0-a6 gets wrong, built as the protocol (5.3) says:
 * <ul>
 *   <li>{@code kernel_info_reply}: 1.0-a6's {@code KernelInfoReply} has no {@code status} field
 *       (upstream: {@code messages/reply/KernelInfoReply.java}, unchanged in 1.0-a7; the same gap
 *       other kernels had, e.g. IRkernel#635, ijavascript#258). jupyter_kernel_test's schema check
 *       fails without it; JupyterLab fills it in (jupyterlab#6860).</li>
 *   <li>{@code history_reply}: with no {@code HistoryManager}, 1.0-a6's
 *       {@code BaseKernel.handleHistoryRequest} returns without a reply and without busy/idle, and
 *       JupyterLab 4 (which sends {@code history_request} on open) then shows the kernel as
 *       "Unknown"; with one, {@code JupyterSocket}'s content Gson has no {@code HistoryEntry} tuple
 *       adapter, so entries become objects, and {@code status} is missing.</li>
 * </ul>
 */
public final class Replies {
    private Replies() {
    }

    /** The {@code kernel_info_reply}, with {@code status: ok}. */
    public static Message<?> kernelInfo(Message<KernelInfoRequest> request, String implementation, String version,
                                        LanguageInfo info, String banner) {
        Map<String, Object> language = new LinkedHashMap<>();
        language.put("name", info.getName());
        language.put("version", info.getVersion());
        language.put("mimetype", info.getMimetype());
        language.put("file_extension", info.getFileExtension());
        language.put("pygments_lexer", info.getPygmentsLexer());
        language.put("codemirror_mode", info.getCodemirrorMode());
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("status", "ok");
        content.put("protocol_version", Header.PROTOCOL_VERISON);
        content.put("implementation", implementation);
        content.put("implementation_version", version);
        content.put("language_info", language);
        content.put("banner", banner);
        content.put("help_links", List.of());
        return MapReply.of(request, KernelInfoReply.MESSAGE_TYPE, content);
    }

    /** The {@code history_reply} for a tail, range or search request, entries as {@code [session, line, input]} tuples. */
    public static Message<?> history(Message<HistoryRequest> request, History history) {
        HistoryRequest r = request.getContent();
        List<History.Entry> entries = switch (r.getAccessType()) {
            case TAIL -> history.tail(((HistoryRequest.Tail) r).getMaxReturnLength());
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) r;
                yield history.range(range.getSessionIndex(), range.getStart(), range.getStop());
            }
            case SEARCH -> {
                HistoryRequest.Search search = (HistoryRequest.Search) r;
                yield history.search(search.getPattern(), search.getMaxReturnLength(), search.filterUnique());
            }
        };
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("status", "ok");
        content.put("history", History.toReply(entries, r.includeOutput()));
        return MapReply.of(request, HistoryReply.MESSAGE_TYPE, content);
    }
}
