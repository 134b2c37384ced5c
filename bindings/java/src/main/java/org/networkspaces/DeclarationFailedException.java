package org.networkspaces;

/** A declare of an incompatible or unknown mode ({@link Errc#DECLARATION_FAILED}). */
public class DeclarationFailedException extends NwsException {
    private static final long serialVersionUID = 1L;

    public DeclarationFailedException(String message, int status, String reason) {
        super(Errc.DECLARATION_FAILED, message, status, reason);
    }
}
