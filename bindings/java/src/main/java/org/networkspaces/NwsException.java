package org.networkspaces;

/**
 * The root of the binding's exceptions: one subclass per entry of the core's
 * error table ({@link Errc}), each carrying the server's status code (or -1
 * when the error is local) and its reason text (or null).
 */
public class NwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errc code;
    private final int status;
    private final String reason;

    public NwsException(Errc code, String message, int status, String reason) {
        super(message);
        this.code = code;
        this.status = status;
        this.reason = reason;
    }

    NwsException(Errc code, String message) { this(code, message, -1, null); }

    /** Which entry of the error table this is. */
    public Errc code() { return code; }
    /** The server's status code, or -1 if the error is local. */
    public int status() { return status; }
    /** The server's reason text, or null. */
    public String reason() { return reason; }

    static NwsException of(Errc code, String message, int status, String reason) {
        switch (code) {
            case CONNECTION: return new NwsConnectionException(code, message, status, reason);
            case CONNECTION_DROPPED: return new NwsConnectionDroppedException(message, status, reason);
            case NO_SUCH_WORKSPACE: return new NoSuchWorkspaceException(message, status, reason);
            case NOT_OPENED: return new WorkspaceNotOpenedException(message, status, reason);
            case DECLARATION_FAILED: return new DeclarationFailedException(message, status, reason);
            case OPERATION_FAILED: return new OperationFailedException(message, status, reason);
            case SERVER_ERROR: return new ServerErrorException(message, status, reason);
            case PROTOCOL: return new NwsProtocolException(message, status, reason);
            case SERIALISATION: return new SerialisationException(message, status, reason);
            case CANCELLED: return new NwsInterruptedException(message, status, reason);
            case TIMEOUT: return new NwsTimeoutException(message, status, reason);
            case CLOSED: return new NwsClosedException(message, status, reason);
            case UNSUPPORTED: return new NwsUnsupportedException(message, status, reason);
            case INVALID_ARGUMENT: return new NwsInvalidArgumentException(message, status, reason);
            default: return new NwsException(code, message, status, reason);
        }
    }
}
