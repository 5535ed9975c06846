package gpupoor.kernel.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutboxTest {
    @Test
    void aBatchEndsAfterTheLastWholeUtf8Character() {
        byte[] euro = "a\u20ac".getBytes(StandardCharsets.UTF_8); // 1 + 3 bytes
        assertEquals(4, Outbox.completeUtf8(euro, 4));
        assertEquals(1, Outbox.completeUtf8(euro, 3)); // cut inside the euro sign
        assertEquals(1, Outbox.completeUtf8(euro, 2));
        assertEquals(1, Outbox.completeUtf8(euro, 1));
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 4 bytes
        assertEquals(0, Outbox.completeUtf8(emoji, 3));
        assertEquals(4, Outbox.completeUtf8(emoji, 4));
    }

    @Test
    void theNoticeSaysHowMuchWasDroppedAndTheLimit() {
        assertEquals(String.format("%n[output truncated: 47.5 MB more of stdout/stderr were not shown; a cell shows "
                + "at most 5.0 MB. Write large output to a file.]%n"), Outbox.notice(49_757_120));
        assertEquals(String.format("%n[output truncated: 12 bytes more of stdout/stderr were not shown; a cell shows "
                + "at most 5.0 MB. Write large output to a file.]%n"), Outbox.notice(12));
    }
}
