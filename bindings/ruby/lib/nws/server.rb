# frozen_string_literal: true

module NWS
  # A connection to an NWS server, for what concerns workspaces as a whole:
  # open, use, create, delete and list them.  The workspaces it opens
  # (#open_ws, #use_ws) share this connection, so one connection can serve
  # several workspaces.
  #
  #   NWS::Server.connect do |server|             # $NWS_HOST/$NWS_PORT, else localhost:8765
  #     jobs = server.open_ws('jobs')
  #     logs = server.open_ws('logs')              # same connection
  #     jobs.store('n', 1)
  #     server.list_wss.map(&:name)                # => [..., "jobs", "logs", ...]
  #   end
  #
  # Ownership: the connection that opens a workspace first owns it.  When
  # the owner's connection closes, the server deletes the workspace unless
  # it was opened with <tt>persistent: true</tt>.  #use_ws never takes
  # ownership.
  class Server
    # Connects; with a block, yields the server and closes it when the
    # block ends, returning the block's value.  Options as for ::new.
    def self.connect(**options)
      server = new(**options)
      return server unless block_given?

      begin
        yield server
      ensure
        server.close
      end
    end

    # Connects to the server at +host+:+port+.  Not given (nil): the core's
    # defaults, $NWS_HOST and $NWS_PORT when set, else localhost and 8765.
    # +connect_timeout+: seconds for the connection and handshake (nil: the
    # core's default).  +kill_server_on_close+: the server shuts down when
    # this connection closes.
    #
    # TLS and credentials (docs/security.md):
    # +tls+:: true: the connection switches to TLS after the handshake; the
    #         server's certificate is always verified (the system's CAs, or
    #         +tls_ca+'s) and must carry the host's name (or +tls_server_name+).
    # +tls_ca+:: a PEM file of CAs to trust instead of the system's (turns TLS on).
    # +tls_cert+, +tls_key+:: a client certificate (PEM, turns TLS on) and its
    #                         key (nil: in +tls_cert+), for a server that requires one.
    # +tls_server_name+:: the name the server's certificate must carry.
    # +user+, +password+:: credentials (SCRAM-SHA-256: the password never
    #                      crosses the network).
    # +token+:: a shared token instead of a user and password.
    # Each of these left nil comes from the environment: NWS_TLS=1,
    # NWS_TLS_CA, NWS_TLS_CERT, NWS_TLS_KEY, NWS_USER, NWS_PASSWORD, NWS_TOKEN.
    #
    # Raises NWS::ConnectionError if the server cannot be reached,
    # NWS::TlsError if the TLS connection cannot be set up (an untrusted,
    # expired or misnamed certificate, TLS on one side only),
    # NWS::AuthenticationError if the server refuses the credentials (or
    # wants some), NWS::InvalidArgumentError for a bad port (0 too: a
    # client needs a real port) or an option of the wrong type.
    def initialize(host: nil, port: nil, connect_timeout: nil, kill_server_on_close: false, tls: nil, tls_ca: nil,
                   tls_cert: nil, tls_key: nil, tls_server_name: nil, user: nil, password: nil, token: nil)
      given, number = Args.port(port)
      timeout_given, seconds = Args.connect_timeout(connect_timeout)
      security = Args.security({ tls: tls, tls_ca: tls_ca, tls_cert: tls_cert, tls_key: tls_key,
                                 tls_server_name: tls_server_name, user: user, password: password, token: token })
      @tls_options = { tls: tls, tls_ca: tls_ca, tls_cert: tls_cert, tls_key: tls_key,
                       tls_server_name: tls_server_name }.compact
      @native = Nws_raw::Server.new(Args.host(host), given, number, timeout_given, seconds,
                                    kill_server_on_close ? true : false, security)
    end

    # The TLS options this connection was made with (never its
    # credentials), for Marshal.
    def tls_options # :nodoc:
      @tls_options || {}
    end

    # The host this connection went to (the defaults resolved).
    def host
      @native.host.force_encoding(Encoding::UTF_8)
    end

    # The port this connection went to (the defaults resolved).
    def port
      @native.port
    end

    # Opens the workspace +name+ on this connection, taking ownership of it
    # if nobody owns it yet, and returns it (an NWS::NetWorkSpace sharing
    # this connection).  +persistent+: if this call makes us the owner, the
    # workspace outlives our connection.  +create+: false raises
    # NWS::NoSuchWorkspaceError for a workspace that does not exist.
    def open_ws(name, persistent: false, create: true)
      NetWorkSpace.new(name, server: self, persistent: persistent, create: create)
    end

    # Uses the workspace +name+ without taking ownership of it (our closing
    # never deletes it); otherwise like #open_ws.
    def use_ws(name, create: true)
      NetWorkSpace.new(name, server: self, use_only: true, create: create)
    end

    # Creates a workspace with a unique name and returns the name.
    # +template+ holds one integer conversion (e.g. "job_%04d"); nil: the
    # server's default.  The workspace is created unowned: open it
    # (#open_ws) to own it.
    def mktemp_ws(template = nil)
      @native.mktemp_ws(template.nil? ? nil : Args.name(template)).force_encoding(Encoding::UTF_8)
    end

    # Deletes the workspace +name+ and its variables; clients blocked on
    # them are released with an error.  Raises NWS::OperationError if there
    # is no such workspace.
    def delete_ws(name)
      @native.delete_ws(Args.name(name))
      nil
    end

    # The server's workspaces (only +name+'s, when given).  +format+:
    # :rows (an Array of NWS::WsInfo, the default), :hash (name => WsInfo)
    # or :text (the server's listing, one tab-separated line per workspace).
    def list_wss(name = nil, format: :rows)
      Listing.check(format)
      Listing.wss(@native.list_wss(name.nil? ? nil : Args.name(name)), format)
    end

    # The variables of the workspace +ws+, which this connection must have
    # opened or used (NWS::NotOpenedError otherwise).  +format+ as for
    # NWS::NetWorkSpace#list_vars.
    def list_vars(ws, format: :rows)
      Listing.check(format)
      Listing.vars(@native.list_vars(Args.name(ws)), format)
    end

    # Closes the connection, and so every workspace opened through it.  The
    # server then deletes the non-persistent workspaces it owned.
    # Idempotent; any later call raises NWS::ClosedError.
    def close
      @native.close
      nil
    end

    # True once the connection is closed.
    def closed?
      @native.closed
    end

    # Marshal (as the original clients' pickling): a server travels as its
    # address and TLS options; loading it connects again.  Credentials do
    # not travel: the loading process gives them through the environment
    # (NWS_USER and NWS_PASSWORD, or NWS_TOKEN).
    def marshal_dump
      [host, port, tls_options]
    end

    # Connects again from #marshal_dump's state.
    def marshal_load(state)
      host, port, tls = state
      initialize(host: host, port: port, **(tls || {}))
    end

    # "NWS::Server host:port".
    def to_s
      "NWS::Server #{host}:#{port}"
    end

    # A short description, saying whether the connection is closed.
    def inspect
      "#<NWS::Server #{host}:#{port}#{closed? ? ' closed' : ''}>"
    end

    # The facade object (for NWS::NetWorkSpace).
    def native # :nodoc:
      @native
    end
  end
end
