package org.networkspaces;

/** The workspace does not exist or was deleted (status 100) ({@link Errc#NO_SUCH_WORKSPACE}). */
public class NoSuchWorkspaceException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NoSuchWorkspaceException(String message, int status, String reason) {
        super(Errc.NO_SUCH_WORKSPACE, message, status, reason);
    }
}
