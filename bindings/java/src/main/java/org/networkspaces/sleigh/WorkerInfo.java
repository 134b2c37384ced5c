package org.networkspaces.sleigh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a worker said about itself when it joined (the sleigh's
 * {@code worker info} records).
 *
 * @param rank its rank in the sleigh
 * @param host the host it runs on
 * @param pid its process id there
 * @param id its launch index (-1 when started by hand)
 * @param name its display name ("host@rank")
 * @param language its language and version ("Java 17.0.9", "Python 3.11.7")
 * @param fields every field of the record, as text (os, nws, logfile, ...)
 */
public record WorkerInfo(int rank, String host, long pid, int id, String name, String language,
                         Map<String, String> fields) {
    static WorkerInfo parse(String record) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : record.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) f.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new WorkerInfo(number(f.get("rank")), f.getOrDefault("host", ""), numberLong(f.get("pid")),
                number(f.get("id")), f.getOrDefault("name", ""), f.getOrDefault("language", ""), Collections.unmodifiableMap(f));
    }

    private static int number(String s) { return (int) numberLong(s); }

    private static long numberLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
