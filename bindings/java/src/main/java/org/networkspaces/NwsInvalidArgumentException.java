package org.networkspaces;

/** The caller passed something that cannot be sent ({@link Errc#INVALID_ARGUMENT}). */
public class NwsInvalidArgumentException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsInvalidArgumentException(String message, int status, String reason) {
        super(Errc.INVALID_ARGUMENT, message, status, reason);
    }
}
