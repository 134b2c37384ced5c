package org.networkspaces;

/** The server closed the connection or a socket call failed ({@link Errc#CONNECTION_DROPPED}). */
public class NwsConnectionDroppedException extends NwsConnectionException {
    private static final long serialVersionUID = 1L;

    public NwsConnectionDroppedException(String message, int status, String reason) {
        super(Errc.CONNECTION_DROPPED, message, status, reason);
    }
}
