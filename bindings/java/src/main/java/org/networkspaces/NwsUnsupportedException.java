package org.networkspaces;

/** The server or connection cannot do this ({@link Errc#UNSUPPORTED}). */
public class NwsUnsupportedException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsUnsupportedException(String message, int status, String reason) {
        super(Errc.UNSUPPORTED, message, status, reason);
    }
}
