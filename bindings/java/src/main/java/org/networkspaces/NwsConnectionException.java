package org.networkspaces;

/** Could not connect, or the handshake was refused ({@link Errc#CONNECTION}); also the base of dropped connections. */
public class NwsConnectionException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsConnectionException(Errc code, String message, int status, String reason) {
        super(code, message, status, reason);
    }
}
