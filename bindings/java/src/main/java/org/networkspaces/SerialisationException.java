package org.networkspaces;

/** A value could not be encoded or decoded; e.g. it was serialised by another language ({@link Errc#SERIALISATION}). */
public class SerialisationException extends NwsException {
    private static final long serialVersionUID = 1L;

    public SerialisationException(String message, int status, String reason) {
        super(Errc.SERIALISATION, message, status, reason);
    }
}
