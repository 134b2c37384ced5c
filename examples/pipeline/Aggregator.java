// Java's part of the pipeline: the aggregator.  Collects ITEMS results
// ("ID:statistic") from the R workers, stores "k/ITEMS" to "progress" after
// each (Ruby watches it), then one "aggregate" string, sorted by ID, with a
// total line, for Perl.
//   java -cp nws.jar:. Aggregator PORT WS ITEMS
import org.networkspaces.*;

import java.time.Duration;
import java.util.TreeMap;

public class Aggregator {
    public static void main(String[] args) {
        int items = Integer.parseInt(args[2]);
        try (NwsServer server = new NwsServer("127.0.0.1", Integer.parseInt(args[0]))) {
            NetWorkSpace ws = server.useWs(args[1]);
            TreeMap<Integer, Long> results = new TreeMap<>();
            for (int k = 1; k <= items; k++) {
                String r = ws.fetchString("result", Duration.ofSeconds(120));
                String[] parts = r.split(":");
                results.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                ws.store("progress", k + "/" + items);
            }
            StringBuilder out = new StringBuilder();
            long total = 0;
            for (var e : results.entrySet()) {
                out.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
                total += e.getValue();
            }
            out.append("total ").append(total).append('\n');
            ws.store("aggregate", out.toString());
            System.out.println("java: aggregated " + results.size() + " results, total " + total);
        }
    }
}
