package gpupoor.kernel;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Defines the classes JShell compiles for snippets, in the kernel's own JVM. Its parent is the
 * kernel's class loader, so a snippet and the kernel's renderers see the same tablesaw, XChart and
 * DSL classes: a {@code Table} made in a cell is a {@code Table} to the renderer.
 */
final class SnippetLoader implements LoaderDelegate {
    private final Map<String, byte[]> bytecodes = new ConcurrentHashMap<>();
    private final Loader loader;

    SnippetLoader(ClassLoader parent) {
        this.loader = new Loader(parent);
    }

    /** The class loader of snippet classes (also the context class loader of cell threads). */
    ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            bytecodes.put(classes[i].name(), classes[i].bytecodes());
        }
        for (int i = 0; i < classes.length; i++) {
            try {
                loader.loadClass(classes[i].name());
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot define " + classes[i].name() + ": " + e, installed);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            bytecodes.put(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                loader.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new InternalException("not a class path entry: " + entry);
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        return loader.loadClass(name);
    }

    /** A URL class loader (for {@code addToClasspath}) that also defines snippet classes from their bytecode. */
    private final class Loader extends URLClassLoader {
        Loader(ClassLoader parent) {
            super("jshell-snippets", new URL[0], parent);
        }

        void add(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] code = bytecodes.get(name);
            if (code == null) {
                return super.findClass(name);
            }
            return defineClass(name, code, 0, code.length);
        }
    }
}
