package org.networkspaces;

/** A call on a closed NwsServer or NetWorkSpace ({@link Errc#CLOSED}). */
public class NwsClosedException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsClosedException(String message, int status, String reason) {
        super(Errc.CLOSED, message, status, reason);
    }
}
