package gpupoor.widgets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WidgetTest {
    /** A front end that records what it is sent. */
    static final class Recorder implements FrontEnd {
        final List<String> sent = new ArrayList<>();

        @Override
        public boolean rendersWidgets() {
            return true;
        }

        @Override
        public void open(Widget widget, Map<String, Object> state) {
            sent.add("open " + widget.modelName());
        }

        @Override
        public void update(Widget widget, Map<String, Object> changes) {
            sent.add("update " + changes);
        }

        @Override
        public void echo(Widget widget, Map<String, Object> changes) {
            sent.add("echo " + changes);
        }

        @Override
        public void close(Widget widget) {
            sent.add("close " + widget.modelName());
        }

        @Override
        public void show(Widget widget) {
            widget.open(this);
            sent.add("show " + widget.modelName());
        }

        @Override
        public void showText(String displayId, String text, String html, boolean replace) {
            sent.add((replace ? "replace " : "text ") + text);
        }

        @Override
        public Map<String, Object> mimeBundle(Object value) {
            return Map.of("text/plain", String.valueOf(value));
        }
    }

    private final FrontEnd before = Widgets.frontEnd();

    @AfterEach
    void restore() {
        Widgets.use(before);
    }

    @Test
    void aShownWidgetOpensWhatItRefersToFirstThenSendsItsChanges() {
        Recorder front = new Recorder();
        Widgets.use(front);
        IntSlider s = new IntSlider("batch", 1, 64, 8);
        new HBox(s).show();
        assertEquals(List.of("open LayoutModel", "open LayoutModel", "open SliderStyleModel", "open IntSliderModel",
                "open HBoxModel", "show HBoxModel"), front.sent);
        front.sent.clear();
        s.value(100);
        assertEquals(List.of("update {value=64}"), front.sent); // clamped into range
        front.sent.clear();
        s.value(64);
        assertEquals(List.of(), front.sent); // no change, nothing sent
    }

    @Test
    void aFrontEndChangeIsEchoedAppliedObservedAndCorrected() {
        Recorder front = new Recorder();
        Widgets.use(front);
        IntSlider s = new IntSlider("n", 0, 10, 5);
        List<Integer> seen = new ArrayList<>();
        s.onChange(seen::add);
        s.show();
        front.sent.clear();
        s.fromFrontEnd(Map.of("value", 7.0));
        assertEquals(List.of("echo {value=7.0}"), front.sent);
        assertEquals(7, s.value());
        front.sent.clear();
        s.fromFrontEnd(Map.of("value", 12.0));
        assertEquals(List.of("echo {value=12.0}", "update {value=10}"), front.sent);
        assertEquals(List.of(7, 10), seen);
    }

    @Test
    void anObserverThatChangesAnotherWidgetSendsThatChange() {
        Recorder front = new Recorder();
        Widgets.use(front);
        Checkbox box = new Checkbox("on", false);
        HtmlText label = new HtmlText("off");
        box.onChange(on -> label.value(on ? "on" : "off"));
        new VBox(box, label).show();
        front.sent.clear();
        box.fromFrontEnd(Map.of("value", true));
        assertEquals(List.of("echo {value=true}", "update {value=on}"), front.sent);
    }

    @Test
    void selectionsNameTheirOptionsWhenAValueIsNotOne() {
        Dropdown d = new Dropdown("quant", List.of("fp16", "q8_0"), null);
        assertEquals("fp16", d.value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.value("q4"));
        assertEquals("'q4' is not one of the options of 'quant': fp16, q8_0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ToggleButtons("r", List.of(), null));
    }

    @Test
    void slidersRefuseAnEmptyRangeAndLogSlidersNonPositiveBounds() {
        assertEquals("slider 'n' needs min <= max, got min 5.0 and max 1.0",
                assertThrows(IllegalArgumentException.class, () -> new IntSlider("n", 5, 1, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FloatLogSlider("c", 0, 10, 1));
        FloatLogSlider log = new FloatLogSlider("context", 256, 131072, 4096).base(2).step(1);
        assertEquals(8.0, log.get("min"));
        assertEquals(17.0, log.get("max"));
        assertEquals(4096.0, log.value());
    }

    @Test
    void aLayoutNamesItsPropertiesWhenAskedForAnotherOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Layout().set("colour", "red"));
        assertTrue(e.getMessage().startsWith("a widget layout has no property 'colour'; it has align_content, "));
    }

    @Test
    void withoutAFrontEndWidgetsPrintTheirTextForm() {
        Widgets.use(new Widgets.TextFrontEnd());
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            IntSlider s = new IntSlider("batch", 1, 64, 8);
            new VBox(s, new Checkbox("flash attention", true)).show();
            s.value(16); // no front end: nothing to send, the value still changes
            Widgets.frontEnd().showText("p", "10%", null, false);
            Widgets.frontEnd().showText("p", "20%", null, true);
        } finally {
            System.setOut(out);
        }
        assertEquals("IntSlider \"batch\" = 8\nCheckbox \"flash attention\" = true\n10%\r20%",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertFalse(Widgets.frontEnd().rendersWidgets());
    }
}
