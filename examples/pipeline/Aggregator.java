// Java's part of the pipeline: the aggregator.  Collects ITEMS results
// (portable maps {id, sum} from the R workers), stores "k/ITEMS" to
// "progress" after each (Ruby watches it), then one "aggregate" table, sorted
// by id (columns id and sum_of_squares, long[]), for Perl.
//   java -cp nws.jar:. Aggregator PORT WS ITEMS
import org.networkspaces.*;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

public class Aggregator {
    public static void main(String[] args) {
        int items = Integer.parseInt(args[2]);
        try (NwsServer server = new NwsServer("127.0.0.1", Integer.parseInt(args[0]))) {
            NetWorkSpace ws = server.useWs(args[1]);
            TreeMap<Integer, Long> results = new TreeMap<>();
            for (int k = 1; k <= items; k++) {
                Map<?, ?> r = (Map<?, ?>) ws.fetch("result", Duration.ofSeconds(120));
                results.put(((Long) r.get("id")).intValue(), (long) (double) (Double) r.get("sum"));
                ws.store("progress", k + "/" + items);
            }
            long[] ids = new long[results.size()];
            long[] sums = new long[results.size()];
            long total = 0;
            int row = 0;
            for (var e : results.entrySet()) {
                ids[row] = e.getKey();
                sums[row++] = e.getValue();
                total += e.getValue();
            }
            ws.store("aggregate", new Table().put("id", ids).put("sum_of_squares", sums), Portable.YES);
            System.out.println("java: aggregated " + results.size() + " results, total " + total);
        }
    }
}
