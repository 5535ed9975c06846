package gpupoor.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import gpupoor.widgets.FrontEnd;
import gpupoor.widgets.Widget;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.comm.CommCloseCommand;
import org.dflib.jjava.jupyter.messages.comm.CommMsgCommand;
import org.dflib.jjava.jupyter.messages.comm.CommOpenCommand;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.CommInfoReply;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Jupyter widget messaging protocol 2.1 (what ipywidgets 8 speaks) for {@link gpupoor.widgets}:
 * each widget is a comm of target {@code jupyter.widget} whose {@code comm_open} carries its state;
 * changes go both ways as {@code update} messages, the kernel confirms a front end's change with
 * {@code echo_update}, answers {@code request_state}, and answers the {@code jupyter.widget.control}
 * comm's {@code request_states} (JupyterLab and Notebook 7 open it when they connect, to restore the
 * widgets; its presence also tells the kernel that widget views are rendered).
 * <p>
 * This replaces jjava-jupyter 1.0-a6's {@code CommManager}, which the widget protocol cannot use as it
 * is: {@code openComm} sends an empty {@code data} and no metadata (the protocol needs the state in
 * {@code data} and {@code metadata.version}); every comm message carries the last
 * {@code execute_request} as its parent, also when it answers a front end's {@code comm_msg}; its
 * comm map is a {@code HashMap} that the shell thread and cell threads would share; and its
 * {@code comm_info_reply} has no {@code status}; and states are sent as {@link RawJson}, since
 * 1.0-a6's message Gson drops null values (upstream: {@code kernel/comm/CommManager.java},
 * {@code messages/reply/CommInfoReply.java}, unchanged in 1.0-a7).
 */
public final class WidgetComms implements FrontEnd {
    private static final Logger LOG = Logger.getLogger(WidgetComms.class.getName());
    static final String WIDGET_TARGET = "jupyter.widget";
    static final String CONTROL_TARGET = "jupyter.widget.control";
    static final String PROTOCOL_VERSION = "2.1.0";
    static final String VIEW_MIME = "application/vnd.jupyter.widget-view+json";
    private static final Gson GSON = new Gson();

    private final Outbox outbox;
    private final Function<Object, DisplayData> renderer;
    private final Map<String, Widget> widgets = new ConcurrentHashMap<>();
    private final Set<String> controls = ConcurrentHashMap.newKeySet();
    /** Runs a widget callback as the kernel runs cells: on a stoppable thread, errors reported. */
    private final CallbackRunner callbacks;

    /** How the kernel runs code a front-end change triggers (observers are user code). */
    public interface CallbackRunner {
        /** Runs the action on a cell thread, with the reply environment of the triggering message. */
        void run(ShellReplyEnvironment env, Message<?> trigger, Runnable action);
    }

    /**
     * The widget comms of a kernel.
     *
     * @param outbox    where their messages go
     * @param renderer  the kernel's MIME rendering of a value (for {@code Output} widgets)
     * @param callbacks how code a front-end change triggers is run
     */
    public WidgetComms(Outbox outbox, Function<Object, DisplayData> renderer, CallbackRunner callbacks) {
        this.outbox = outbox;
        this.renderer = renderer;
        this.callbacks = callbacks;
    }

    // ---- FrontEnd: kernel to front end ------------------------------------------------------

    @Override
    public boolean rendersWidgets() {
        return !controls.isEmpty();
    }

    @Override
    public void open(Widget widget, Map<String, Object> state) {
        widgets.put(widget.id(), widget);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state);
        data.put("buffer_paths", List.of());
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("comm_id", widget.id());
        content.put("target_name", WIDGET_TARGET);
        content.put("data", data);
        outbox.publish(MessageType.COMM_OPEN_COMMAND, RawJson.of(content), Map.of("version", PROTOCOL_VERSION));
    }

    @Override
    public void update(Widget widget, Map<String, Object> changes) {
        send(widget.id(), "update", changes);
    }

    @Override
    public void echo(Widget widget, Map<String, Object> changes) {
        send(widget.id(), "echo_update", changes);
    }

    private void send(String commId, String method, Map<String, Object> state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", method);
        data.put("state", state);
        data.put("buffer_paths", List.of());
        message(commId, data);
    }

    private void message(String commId, Map<String, Object> data) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("comm_id", commId);
        content.put("data", data);
        outbox.publish(MessageType.COMM_MSG_COMMAND, RawJson.of(content), Map.of("version", PROTOCOL_VERSION));
    }

    @Override
    public void close(Widget widget) {
        if (widgets.remove(widget.id()) != null) {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("comm_id", widget.id());
            content.put("data", Map.of());
            outbox.publish(MessageType.COMM_CLOSE_COMMAND, content, null);
        }
    }

    @Override
    public void show(Widget widget) {
        DisplayData data = new DisplayData(widget.toString());
        data.putData(VIEW_MIME, view(widget));
        outbox.publish(new PublishDisplayData(data));
    }

    /** The view of a widget (opened first), as {@code application/vnd.jupyter.widget-view+json}. */
    private Map<String, Object> view(Widget widget) {
        widget.open(this);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version_major", 2);
        view.put("version_minor", 1);
        view.put("model_id", widget.id());
        return view;
    }

    /** Makes a widget that is a cell's value (or is passed to {@code display}) show as its view. */
    public void register(Renderer renderer) {
        renderer.createRegistration(Widget.class)
                .preferring(MIMEType.parse(VIEW_MIME))
                .supporting(MIMEType.TEXT_PLAIN)
                .register((widget, ctx) -> {
                    ctx.renderIfRequested(MIMEType.parse(VIEW_MIME), () -> view(widget));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, widget::toString);
                });
    }

    @Override
    public void showText(String displayId, String text, String html, boolean replace) {
        DisplayData data = new DisplayData(text);
        if (html != null) {
            data.putHTML(html);
        }
        data.setDisplayId(displayId);
        if (replace) {
            outbox.publish(new PublishUpdateDisplayData(data));
        } else {
            outbox.publish(new PublishDisplayData(data));
        }
    }

    /**
     * The MIME bundle the kernel's renderers make for a value. (jjava-jupyter 1.0-a6's
     * {@code DisplayData} has no getter for its whole bundle; its JSON form has it.)
     */
    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> mimeBundle(Object value) {
        DisplayData data = renderer.apply(value);
        JsonElement bundle = GSON.toJsonTree(data).getAsJsonObject().get("data");
        return bundle == null ? Map.of("text/plain", String.valueOf(value)) : GSON.fromJson(bundle, Map.class);
    }

    // ---- front end to kernel ----------------------------------------------------------------

    /** {@code comm_open} from the front end: the widget control comm; other targets are refused. */
    public void handleOpen(ShellReplyEnvironment env, Message<CommOpenCommand> message) {
        CommOpenCommand open = message.getContent();
        if (CONTROL_TARGET.equals(open.getTargetName())) {
            controls.add(open.getCommID());
            return;
        }
        // A target the kernel does not have (e.g. a model the front end wants to create): closing
        // the comm at once is how the protocol says no.
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("comm_id", open.getCommID());
        content.put("data", Map.of());
        outbox.publish(MessageType.COMM_CLOSE_COMMAND, content, null);
    }

    /** {@code comm_msg}: a widget change, a state request, or the control comm's request for all states. */
    public void handleMessage(ShellReplyEnvironment env, Message<CommMsgCommand> message) {
        String id = message.getContent().getCommID();
        JsonObject data = message.getContent().getData();
        String method = data != null && data.has("method") ? data.get("method").getAsString() : "";
        if (controls.contains(id)) {
            if ("request_states".equals(method)) {
                sendAllStates(id);
            }
            return;
        }
        Widget widget = widgets.get(id);
        if (widget == null) {
            LOG.fine(() -> "message for an unknown comm " + id);
            return;
        }
        switch (method) {
            case "update" -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> state = data.has("state") ? GSON.fromJson(data.get("state"), Map.class) : Map.of();
                callbacks.run(env, message, () -> widget.fromFrontEnd(state));
            }
            case "request_state" -> send(id, "update", widget.jsonState());
            default -> LOG.fine(() -> "ignored widget message " + method);
        }
    }

    private void sendAllStates(String controlId) {
        Map<String, Object> states = new LinkedHashMap<>();
        widgets.values().forEach(w -> {
            Map<String, Object> s = new LinkedHashMap<>();
            Map<String, Object> state = w.jsonState();
            s.put("model_name", state.get("_model_name"));
            s.put("model_module", state.get("_model_module"));
            s.put("model_module_version", state.get("_model_module_version"));
            s.put("state", state);
            states.put(w.id(), s);
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", "update_states");
        data.put("states", states);
        data.put("buffer_paths", List.of());
        message(controlId, data);
    }

    /** {@code comm_close} from the front end. */
    public void handleClose(ShellReplyEnvironment env, Message<CommCloseCommand> message) {
        String id = message.getContent().getCommID();
        controls.remove(id);
        Widget widget = widgets.remove(id);
        if (widget != null) {
            try {
                widget.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing widget " + id, e);
            }
        }
    }

    /** {@code comm_info_request}: the open comms, optionally of one target, with {@code status}. */
    public void handleInfo(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        String target = message.getContent().getTargetName();
        Map<String, Object> comms = new LinkedHashMap<>();
        if (target == null || WIDGET_TARGET.equals(target)) {
            widgets.keySet().forEach(id -> comms.put(id, Map.of("target_name", WIDGET_TARGET)));
        }
        if (target == null || CONTROL_TARGET.equals(target)) {
            controls.forEach(id -> comms.put(id, Map.of("target_name", CONTROL_TARGET)));
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("status", "ok");
        content.put("comms", comms);
        env.reply(MapReply.of(message, CommInfoReply.MESSAGE_TYPE, content));
    }
}
