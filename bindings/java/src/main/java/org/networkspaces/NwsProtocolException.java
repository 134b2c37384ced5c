package org.networkspaces;

/** The server sent bytes that do not follow the protocol ({@link Errc#PROTOCOL}). */
public class NwsProtocolException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsProtocolException(String message, int status, String reason) {
        super(Errc.PROTOCOL, message, status, reason);
    }
}
