package gpupoor.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;

/**
 * Message content written out as given, null values included. jjava-jupyter 1.0-a6's
 * {@code JupyterSocket} serializes content with a Gson that drops null values from objects, but a
 * widget's state needs them: an unset layout property is {@code null}, and an update that sets a
 * property back to null must say so (upstream: {@code channels/JupyterSocket.java}, its static
 * {@code gson}; unchanged in 1.0-a7). Content of this type is serialized here, with nulls, and
 * copied into the message verbatim.
 */
@JsonAdapter(RawJson.Adapter.class)
public final class RawJson {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private final String json;

    private RawJson(String json) {
        this.json = json;
    }

    /** A map, list or value as JSON, null values kept. */
    public static RawJson of(Object content) {
        return new RawJson(GSON.toJson(content));
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return json;
    }

    /** Writes the JSON text as it is. */
    static final class Adapter extends TypeAdapter<RawJson> {
        @Override
        public void write(JsonWriter out, RawJson value) throws IOException {
            out.jsonValue(value.json);
        }

        @Override
        public RawJson read(JsonReader in) {
            throw new UnsupportedOperationException("RawJson is written only");
        }
    }
}
