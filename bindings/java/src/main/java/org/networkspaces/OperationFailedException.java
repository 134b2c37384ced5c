package org.networkspaces;

/** The server refused the request with a non-zero status ({@link Errc#OPERATION_FAILED}). */
public class OperationFailedException extends NwsException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message, int status, String reason) {
        super(Errc.OPERATION_FAILED, message, status, reason);
    }
}
