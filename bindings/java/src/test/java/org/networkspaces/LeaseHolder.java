package org.networkspaces;

import java.time.Duration;

/**
 * A separate JVM for LeaseTest's killed-holder test: connects to HOST:PORT,
 * uses workspace WS (without owning it, so the workspace outlives this
 * process), leases a value of VAR, prints {@code LEASED <value>} and then
 * waits until it is killed, never settling the lease.
 *
 *     java -cp <test classpath> org.networkspaces.LeaseHolder HOST PORT WS VAR
 */
public final class LeaseHolder {
    private LeaseHolder() {}

    public static void main(String[] args) throws InterruptedException {
        NwsServer server = new NwsServer(args[0], Integer.parseInt(args[1]));
        NativeLoader.deleteExtractedCopy();  // SIGKILL skips the JVM's own clean-up of the copy
        NetWorkSpace ws = server.useWs(args[2]);
        Lease lease = ws.lease(args[3], Duration.ofMinutes(10), Duration.ofSeconds(30));
        System.out.println("LEASED " + lease.value());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);  // killed (SIGKILL) while holding the lease
        lease.close();
    }
}
