package gpupoor.kernel.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistoryTest {
    private static History sample() {
        History h = new History();
        h.add(1, "6*7", "42");
        h.add(2, "int x = 1;", null);
        h.add(3, "6*7", "42");
        h.add(4, "6 * 7", "42");
        h.add(5, "x?", null);
        return h;
    }

    private static List<Integer> lines(List<History.Entry> entries) {
        return entries.stream().map(History.Entry::line).toList();
    }

    @Test
    void tailIsTheLastNOldestFirst() {
        assertEquals(List.of(4, 5), lines(sample().tail(2)));
        assertEquals(List.of(1, 2, 3, 4, 5), lines(sample().tail(99)));
        assertEquals(List.of(), lines(sample().tail(0)));
    }

    @Test
    void rangeStopIsExclusiveAndZeroMeansToTheEnd() {
        assertEquals(List.of(2, 3), lines(sample().range(History.SESSION, 2, 4)));
        assertEquals(List.of(4, 5), lines(sample().range(0, 4, 0)));
        assertEquals(List.of(), lines(sample().range(7, 1, 0)));
    }

    @Test
    void searchMatchesTheWholeInputAsAGlob() {
        assertEquals(List.of(1, 3, 4), lines(sample().search("6*7", 0, false)));
        assertEquals(List.of(1, 3), lines(sample().search("6?7", 0, false)));
        assertEquals(List.of(5), lines(sample().search("x?", 0, false)));
        assertEquals(List.of(3, 4), lines(sample().search("6*7", 2, false)));
        assertEquals(List.of(3, 4), lines(sample().search("6*7", 0, true)));
        assertEquals(List.of(1, 2, 3, 4, 5), lines(sample().search("", 0, false)));
    }

    @Test
    void replyRowsAreTriplesWithOptionalOutput() {
        List<History.Entry> e = sample().tail(1);
        assertEquals(List.of(List.of(History.SESSION, 5, "x?")), History.toReply(e, false));
        List<List<Object>> withOutput = History.toReply(sample().tail(2), true);
        assertEquals(List.of(History.SESSION, 4, List.of("6 * 7", "42")), withOutput.get(0));
        assertEquals(3, withOutput.get(1).size());
        assertEquals(java.util.Arrays.asList("x?", null), withOutput.get(1).get(2));
    }
}
