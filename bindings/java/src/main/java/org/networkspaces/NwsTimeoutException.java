package org.networkspaces;

/** A blocking call passed its timeout ({@link Errc#TIMEOUT}). */
public class NwsTimeoutException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsTimeoutException(String message, int status, String reason) {
        super(Errc.TIMEOUT, message, status, reason);
    }
}
