package gpupoor.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelTest {
    @TempDir
    Path tmp;

    private String error(String content) throws Exception {
        Path f = tmp.resolve("c.json");
        Files.writeString(f, content);
        return assertThrows(IllegalArgumentException.class, () -> Kernel.readConnectionFile(f)).getMessage();
    }

    @Test
    void readsAValidConnectionFile() throws Exception {
        Path f = tmp.resolve("ok.json");
        Files.writeString(f, new KernelConnectionProperties("127.0.0.1", 1, 2, 3, 4, 5, "tcp", "hmac-sha256", "k").toJsonString());
        KernelConnectionProperties p = Kernel.readConnectionFile(f);
        assertEquals(2, p.getShellPort());
        assertEquals(1, p.getControlPort());
        assertEquals("k", p.getKey());
    }

    @Test
    void explainsWhatIsWrongWithABadOne() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Kernel.readConnectionFile(tmp.resolve("none.json")))
                .getMessage().startsWith("connection file not found: "));
        assertTrue(error("[1, 2]").contains("not a Jupyter connection file"));
        assertTrue(error("{\"ip\":\"x\"").contains("invalid JSON"));
        String ports = "\"shell_port\":1,\"control_port\":2,\"stdin_port\":3,\"hb_port\":4,\"iopub_port\":5";
        assertTrue(error("{\"ip\":\"127.0.0.1\",\"shell_port\":1}").endsWith("has no valid control_port"));
        assertTrue(error("{" + ports + "}").endsWith("has no ip"));
        assertTrue(error("{\"ip\":\"127.0.0.1\"," + ports + ",\"transport\":\"ipc\"}").contains("transport 'ipc' is not supported"));
        assertTrue(error("{\"ip\":\"127.0.0.1\"," + ports + ",\"signature_scheme\":\"md5\"}").contains("signature scheme 'md5'"));
    }
}
