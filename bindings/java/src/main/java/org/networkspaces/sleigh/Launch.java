package org.networkspaces.sleigh;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a sleigh starts its workers (docs/sleigh-design.md, "Launching"):
 *
 * <ul>
 * <li>{@link #local()}: child processes of the master (one per core unless
 *     {@link SleighOptions#workerCount(int)} says otherwise);
 * <li>{@link #ssh(List, String)}: one worker per node of the list, started
 *     by {@code ssh -n -x [-l user] node}; {@link #sshForward} adds a
 *     reverse tunnel through which the workers reach the server;
 *     {@link #command(List, Function)}: any other command prefix per node;
 * <li>{@link #slurm(List)}: {@code srun} steps inside a SLURM allocation, else
 *     one {@code sbatch} job (cancelled at stop if still queued);
 * <li>{@link #manual()}: the workers are started by a person, with the
 *     command {@link Sleigh#manualCommand()} gives; the master waits until
 *     the sleigh workspace's {@code deleteMeWhenAllWorkersStarted} is deleted.
 * </ul>
 */
public final class Launch {
    enum Kind { LOCAL, SSH, SSH_FORWARD, COMMAND, SLURM, MANUAL }

    final Kind kind;
    final List<String> nodes;
    final String user;
    final int remotePort;
    final Function<String, List<String>> prefix;
    final List<String> slurmArgs;

    private Launch(Kind kind, List<String> nodes, String user, int remotePort, Function<String, List<String>> prefix,
                   List<String> slurmArgs) {
        this.kind = kind;
        this.nodes = nodes;
        this.user = user;
        this.remotePort = remotePort;
        this.prefix = prefix;
        this.slurmArgs = slurmArgs;
    }

    public static Launch local() { return new Launch(Kind.LOCAL, List.of(), null, 0, null, List.of()); }

    /** One worker per entry of {@code nodes} (a node may appear more than once), through ssh. */
    public static Launch ssh(List<String> nodes) { return ssh(nodes, null); }

    /** As {@link #ssh(List)}, logging in as {@code user} (null: ssh's default). */
    public static Launch ssh(List<String> nodes, String user) {
        return new Launch(Kind.SSH, nodeList(nodes), user, 0, null, List.of());
    }

    /**
     * ssh with a reverse tunnel, {@code -R remotePort:serverHost:serverPort}:
     * the workers connect to {@code localhost:remotePort} on their node, which
     * leads back to the master's server (0: the server's own port number).
     */
    public static Launch sshForward(List<String> nodes, String user, int remotePort) {
        if (remotePort < 0 || remotePort > 65535) throw new IllegalArgumentException("not a port: " + remotePort);
        return new Launch(Kind.SSH_FORWARD, nodeList(nodes), user, remotePort, null, List.of());
    }

    /**
     * One worker per node, started by {@code prefix.apply(node)} followed by a
     * shell command line (cd, the environment, the worker program).  The
     * prefix is asked for every node before the sleigh starts.
     */
    public static Launch command(List<String> nodes, Function<String, List<String>> prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new Launch(Kind.COMMAND, nodeList(nodes), null, 0, prefix, List.of());
    }

    /** SLURM, with extra srun / sbatch options. */
    public static Launch slurm(List<String> args) {
        return new Launch(Kind.SLURM, List.of(), null, 0, null, List.copyOf(args));
    }

    public static Launch slurm(String... args) { return slurm(List.of(args)); }

    public static Launch manual() { return new Launch(Kind.MANUAL, List.of(), null, 0, null, List.of()); }

    /** The core's name of the kind. */
    String coreKind() {
        return switch (kind) {
            case LOCAL -> "local";
            case SSH, SSH_FORWARD, COMMAND -> "command";
            case SLURM -> "slurm";
            case MANUAL -> "manual";
        };
    }

    private static List<String> nodeList(List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) throw new IllegalArgumentException("a launch on nodes needs at least one node");
        List<String> out = new ArrayList<>(nodes.size());
        for (String n : nodes) {
            if (n == null || n.isEmpty()) throw new IllegalArgumentException("a node name is empty: " + nodes);
            out.add(n);
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LOCAL -> "Launch.local()";
            case MANUAL -> "Launch.manual()";
            case SLURM -> "Launch.slurm(" + slurmArgs + ")";
            default -> "Launch." + kind.name().toLowerCase().replace("_f", "F") + "(" + nodes + ")";
        };
    }
}
