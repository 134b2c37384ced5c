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
    private static Path extracted;  // the temporary copy this JVM loaded, if any

    private NativeLoader() {}

    /**
     * Loads the library once; later calls do nothing.  Marked loaded before
     * System.load: the library's JNI_OnLoad initialises {@code Native}, whose
     * static block calls this again (on this thread, inside this lock), and
     * that call must not load a second copy.
     */
    public static synchronized void load() {
        if (loaded) return;
        loaded = true;
        try {
            String override = System.getProperty(LIBRARY_PROPERTY);
            if (override != null && !override.isEmpty()) {
                System.load(Path.of(override).toAbsolutePath().toString());
            } else {
                extracted = extract();
                System.load(extracted.toString());
            }
        } catch (RuntimeException | Error e) {
            loaded = false;
            throw e;
        }
    }

    /**
     * Deletes now the temporary copy of the library extracted from the jar
     * (the loaded library stays mapped), rather than when the JVM exits: for
     * processes that may end without running their shutdown hooks, as a
     * sleigh's workers do when their sleigh stops and kills them.  Does
     * nothing when the library came from {@value #LIBRARY_PROPERTY}.
     */
    public static synchronized void deleteExtractedCopy() {
        if (extracted == null) return;
        try {
            Files.deleteIfExists(extracted);
            Files.deleteIfExists(extracted.getParent());
        } catch (IOException e) {
            // left for deleteOnExit
        }
        extracted = null;
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
