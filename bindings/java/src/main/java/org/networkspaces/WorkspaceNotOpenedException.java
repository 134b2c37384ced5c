package org.networkspaces;

/** The workspace was never opened on this connection (status 2001) ({@link Errc#NOT_OPENED}). */
public class WorkspaceNotOpenedException extends NwsException {
    private static final long serialVersionUID = 1L;

    public WorkspaceNotOpenedException(String message, int status, String reason) {
        super(Errc.NOT_OPENED, message, status, reason);
    }
}
