package org.networkspaces;

/** The core's error table (nws::Errc, core/include/nws/error.hpp), in its order. */
public enum Errc {
    /** Could not connect, or the handshake was refused. */
    CONNECTION,
    /** The server closed the connection or a socket call failed. */
    CONNECTION_DROPPED,
    /** Status 100: the workspace does not exist (or was deleted). */
    NO_SUCH_WORKSPACE,
    /** Status 2001: the workspace was never opened on this connection. */
    NOT_OPENED,
    /** declare of an incompatible or unknown mode. */
    DECLARATION_FAILED,
    /** Any other non-zero status from the server. */
    OPERATION_FAILED,
    /** Status 2000: the server could not carry out the request. */
    SERVER_ERROR,
    /** The server sent bytes that do not follow the protocol. */
    PROTOCOL,
    /** A value could not be encoded or decoded (e.g. written by another language). */
    SERIALISATION,
    /** A blocking call was cancelled: in Java, by Thread.interrupt(). */
    CANCELLED,
    /** A blocking call passed its deadline. */
    TIMEOUT,
    /** A call on a closed NwsServer or NetWorkSpace. */
    CLOSED,
    /** The server or connection cannot do this. */
    UNSUPPORTED,
    /** The caller passed something that cannot be sent. */
    INVALID_ARGUMENT,
}
