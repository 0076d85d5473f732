package io.queuack.kernel.testkernel;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;

/**
 * Where cells' classes live, arranged as JJava arranges them (its {@code JJavaLoaderDelegate}): one
 * {@link URLClassLoader} whose parent is the system class loader (the kernel's own class path), holding the classes
 * JShell compiles from cells and every entry added to the cells' class path. JJava loads extensions from added entries
 * through a child of this loader, so that extensions and cells share their classes.
 */
final class CellLoader implements LoaderDelegate {

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final Loader loader = new Loader();

    /** Like JJava's, it becomes the context class loader of the thread that makes it, and of the threads that one starts. */
    CellLoader() {
        Thread.currentThread().setContextClassLoader(loader);
    }

    /** The loader itself: the cells' classes first, then the added class path, then the parent. */
    private final class Loader extends URLClassLoader {

        Loader() {
            super(new URL[0]);
        }

        void add(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = declared.get(name);
            if (bytes == null) {
                return super.findClass(name);
            }
            try {
                return defineClass(name, bytes, 0, bytes.length, (CodeSource) null);
            } catch (LinkageError e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    ClassLoader loader() {
        return loader;
    }

    @Override
    public void load(ExecutionControl.ClassBytecodes[] classes) throws ExecutionControl.ClassInstallException {
        for (ExecutionControl.ClassBytecodes bytecodes : classes) {
            declared.put(bytecodes.name(), bytecodes.bytecodes());     // all first: they may refer to each other
        }
        boolean[] installed = new boolean[classes.length];
        for (int i = 0; i < classes.length; i++) {
            try {
                loaded.put(classes[i].name(), loader.loadClass(classes[i].name()));
            } catch (ClassNotFoundException e) {
                throw new ExecutionControl.ClassInstallException("Cannot load " + classes[i].name() + ": " + e, installed);
            }
            installed[i] = true;
        }
    }

    @Override
    public void classesRedefined(ExecutionControl.ClassBytecodes[] classes) {
        for (ExecutionControl.ClassBytecodes bytecodes : classes) {
            declared.put(bytecodes.name(), bytecodes.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws ExecutionControl.InternalException {
        for (String entry : path.split(java.io.File.pathSeparator)) {
            try {
                loader.add(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new ExecutionControl.InternalException("Bad class path entry " + entry + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> found = loaded.get(name);
        if (found == null && declared.containsKey(name)) {
            found = loader.loadClass(name);
        }
        if (found == null) {
            throw new ClassNotFoundException(name + " not found");
        }
        return found;
    }
}
