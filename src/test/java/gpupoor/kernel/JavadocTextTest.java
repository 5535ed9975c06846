package gpupoor.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JavadocTextTest {
    @Test
    void inlineTagsBecomeTheirText() {
        assertEquals("Parses default or gpu-poor (also gpu_poor).",
                JavadocText.plain("Parses {@code default} or {@code gpu-poor} (also {@literal gpu_poor})."));
        assertEquals("See Methods.parse(String) and the method.",
                JavadocText.plain("See {@link Methods#parse(String)} and {@link #parse(String) the method}."));
        assertEquals("Key of the map: MEMORY", JavadocText.plain("Key of the map: {@value #MEMORY}"));
        assertEquals("a map like Map<K, V> & more", JavadocText.plain("a map like {@code Map<K, V>} &amp; more"));
    }

    @Test
    void htmlBecomesLinesAndEntitiesAreDecoded() {
        assertEquals("First.\n\nSecond & third < 4.\n- one\n- two",
                JavadocText.plain("First.<p>Second &amp; third &lt; 4.<ul><li>one</li><li>two</li></ul>"));
        assertEquals("", JavadocText.plain(null));
    }

    @Test
    void blockTagsStay() {
        assertEquals("Does it.\n@param x the input\n@return the output",
                JavadocText.plain("Does it.\n@param x the input\n@return the output"));
    }
}
