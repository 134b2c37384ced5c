package org.networkspaces;

/** The server could not carry out the request (status 2000) ({@link Errc#SERVER_ERROR}). */
public class ServerErrorException extends NwsException {
    private static final long serialVersionUID = 1L;

    public ServerErrorException(String message, int status, String reason) {
        super(Errc.SERVER_ERROR, message, status, reason);
    }
}
