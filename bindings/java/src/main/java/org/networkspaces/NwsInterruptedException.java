package org.networkspaces;

/**
 * A blocking call was cancelled by {@link Thread#interrupt()} ({@link Errc#CANCELLED}).
 *
 * <p>The thread's interrupt status is still set when this is thrown (it is
 * not cleared), so code further up sees the interrupt as well.  The request
 * was withdrawn from the server: a value stored later goes to the next
 * fetcher, not to the abandoned call.
 */
public class NwsInterruptedException extends NwsException {
    private static final long serialVersionUID = 1L;

    public NwsInterruptedException(String message, int status, String reason) {
        super(Errc.CANCELLED, message, status, reason);
    }
}
