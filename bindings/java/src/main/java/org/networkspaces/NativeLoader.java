package org.networkspaces;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the JNI library {@code libnwsjni.so}.
 *
 * <p>By default the copy inside the jar ({@code native/linux-x86_64/libnwsjni.so})
 * is extracted to a temporary file (deleted when the JVM exits) and loaded.
 * The system property {@value #LIBRARY_PROPERTY} names another copy to load
 * instead (an absolute path).
 */
public final class NativeLoader {
    /** System property: the path of a libnwsjni.so to load instead of the jar's copy. */
    public static final String LIBRARY_PROPERTY = "nws.native.library";
    static final String RESOURCE = "/native/linux-x86_64/libnwsjni.so";

    private static boolean loaded;

    private NativeLoader() {}

    /** Loads the library once; later calls do nothing. */
    public static synchronized void load() {
        if (loaded) return;
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override != null && !override.isEmpty()) {
            System.load(Path.of(override).toAbsolutePath().toString());
        } else {
            System.load(extract().toString());
        }
        loaded = true;
    }

    private static Path extract() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsatisfiedLinkError("nws: this jar carries a native library for linux-x86_64 only (this is "
                    + os + "/" + arch + "); set -D" + LIBRARY_PROPERTY + "=/path/to/libnwsjni.so");
        }
        try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new UnsatisfiedLinkError("nws: " + RESOURCE + " is missing from the class path");
            Path dir = Files.createTempDirectory("nwsjni");
            dir.toFile().deleteOnExit();  // deleted in reverse order: the file first, then its directory
            Path lib = dir.resolve("libnwsjni.so");
            lib.toFile().deleteOnExit();
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            return lib;
        } catch (IOException e) {
            UnsatisfiedLinkError err = new UnsatisfiedLinkError("nws: extracting " + RESOURCE + ": " + e);
            err.initCause(e);
            throw err;
        }
    }
}
