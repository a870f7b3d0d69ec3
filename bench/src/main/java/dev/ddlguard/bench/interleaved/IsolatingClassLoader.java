package dev.ddlguard.bench.interleaved;

import java.io.IOException;
import java.io.InputStream;

/**
 * Loads the benchmark classes ({@code dev.ddlguard.bench.*}) anew, child first, so that each variant
 * has its own copy of the loop and of the state class it calls. The JIT profiles bytecode per class,
 * so each copy's call sites see one receiver type (the raw driver's statement, or one wrapper), as
 * in an application that uses one of them; with a single shared loop every call site would see four
 * and turn megamorphic for all variants. The driver, ddlguard and the interceptors are shared: they
 * are the code under test, and the same for every variant.
 */
final class IsolatingClassLoader extends ClassLoader {

    private static final String ISOLATED = "dev.ddlguard.bench.";
    private static final String SHARED = Workload.class.getName();

    IsolatingClassLoader(ClassLoader parent) {
        super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(ISOLATED) || name.equals(SHARED)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = define(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
