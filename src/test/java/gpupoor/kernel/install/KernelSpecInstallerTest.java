package gpupoor.kernel.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSpecInstallerTest {
    @TempDir
    Path tmp;

    @Test
    void dataDirectoriesFollowJupyterCore() {
        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(tmp.resolve("jd"), new KernelSpecInstaller(Map.of("JUPYTER_DATA_DIR", tmp.resolve("jd").toString(),
                "XDG_DATA_HOME", "/x")).dataDirectory(KernelSpecInstaller.Scope.USER, null));
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertEquals(Path.of("/x/jupyter"), new KernelSpecInstaller(Map.of("XDG_DATA_HOME", "/x"))
                    .dataDirectory(KernelSpecInstaller.Scope.USER, null));
            assertEquals(home.resolve(".local/share/jupyter"), new KernelSpecInstaller(Map.of())
                    .dataDirectory(KernelSpecInstaller.Scope.USER, null));
        }
        assertEquals(Path.of("/venv/share/jupyter"), new KernelSpecInstaller(Map.of("VIRTUAL_ENV", "/venv"))
                .dataDirectory(KernelSpecInstaller.Scope.SYS_PREFIX, null));
        assertEquals(Path.of("/conda/share/jupyter"), new KernelSpecInstaller(Map.of("CONDA_PREFIX", "/conda"))
                .dataDirectory(KernelSpecInstaller.Scope.SYS_PREFIX, null));
        assertEquals(tmp.resolve("share/jupyter"), new KernelSpecInstaller(Map.of())
                .dataDirectory(KernelSpecInstaller.Scope.PREFIX, tmp));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KernelSpecInstaller(Map.of()).dataDirectory(KernelSpecInstaller.Scope.SYS_PREFIX, null));
        assertTrue(e.getMessage().contains("VIRTUAL_ENV or CONDA_PREFIX"));
    }

    @Test
    void namesAreCheckedAndLowerCased() {
        assertEquals("my-java_2.1", KernelSpecInstaller.checkName("My-Java_2.1"));
        for (String bad : new String[] {"", "a b", "../x", "ä"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSpecInstaller.checkName(bad));
            assertTrue(e.getMessage().startsWith("invalid kernel name"));
        }
    }

    @Test
    void installWritesTheTemplateWithThisJavaAndCopiesJarAndLogos() throws Exception {
        Path jar = Files.writeString(tmp.resolve("some.jar"), "not really a jar");
        KernelSpecInstaller.Result r = new KernelSpecInstaller(Map.of()).install(tmp.resolve("data"), "Dev", jar, false);
        Path dir = tmp.resolve("data/kernels/dev");
        assertEquals(dir, r.directory());
        assertEquals("not really a jar", Files.readString(dir.resolve("gpupoor.jar")));
        assertTrue(Files.size(dir.resolve("logo-32x32.png")) > 0 && Files.size(dir.resolve("logo-64x64.png")) > 0);
        assertFalse(Files.exists(dir.resolve(KernelSpecInstaller.ARCHIVE)));

        ObjectMapper json = new ObjectMapper();
        JsonNode spec = json.readTree(dir.resolve("kernel.json").toFile());
        JsonNode template = json.readTree(getClass().getClassLoader().getResource("kernel/kernel.json"));
        List<String> argv = new ArrayList<>();
        spec.get("argv").forEach(a -> argv.add(a.asText()));
        List<String> expected = new ArrayList<>();
        template.get("argv").forEach(a -> expected.add(a.asText()));
        expected.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertEquals(expected, argv);
        assertEquals(argv, r.argv());
        assertEquals("message", spec.get("interrupt_mode").asText());
        assertEquals("Java (gpu_poor, dev)", spec.get("display_name").asText());
        assertEquals(template.get("language"), spec.get("language"));
    }
}
