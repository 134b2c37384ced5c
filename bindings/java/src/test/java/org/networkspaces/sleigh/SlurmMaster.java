package org.networkspaces.sleigh;

import java.time.Duration;
import java.util.stream.IntStream;

import org.networkspaces.NwsLocalServer;
import org.networkspaces.NwsServer;

/**
 * The master SleighLaunchTest runs under salloc: a server inside this JVM,
 * a sleigh launched by srun steps in the allocation ($SLURM_NTASKS workers),
 * and what it saw on stdout.
 */
public final class SlurmMaster {
    private SlurmMaster() {}

    public static void main(String[] args) {
        try (NwsLocalServer local = NwsServer.startLocal();
             Sleigh s = new Sleigh(SleighOptions.defaults().server(local.host(), local.port()).launch(Launch.slurm()))) {
            System.out.println("job " + System.getenv("SLURM_JOB_ID") + " ntasks " + System.getenv("SLURM_NTASKS"));
            SleighStatus st = s.status(true, Duration.ofSeconds(120));
            System.out.println("status " + st.workers() + " " + st.closed());
            System.out.println("sum " + s.eachElem(x -> x * x, IntStream.range(0, 100).boxed().toList())
                    .stream().mapToInt(Integer::intValue).sum());
            System.out.println("ranks " + s.eachWorker(Worker::rank));
        }
    }
}
