# frozen_string_literal: true

module NWS
  # An NWS server inside this Ruby process: the core's server (the same
  # as nws-server) on a thread of its own, listening on a free loopback
  # port by default.  With it a program needs nothing installed but this
  # gem; other processes can connect to it too, while it runs.  Its
  # workspaces live in memory and vanish when it stops.
  #
  #   NWS::LocalServer.start do |srv|
  #     NWS::NetWorkSpace.open('demo', host: srv.host, port: srv.port) do |ws|
  #       ws.store('x', 1)
  #     end
  #   end                                   # stopped here
  #
  # A standalone nws-server stays the way to run a server many programs
  # share for a long time.
  class LocalServer
    # Starts a server (arguments as for ::new); with a block, yields it,
    # stops it when the block ends and returns the block's value.
    def self.start(**options)
      server = new(**options)
      return server unless block_given?

      begin
        yield server
      ensure
        server.stop
      end
    end

    # Starts listening before it returns.  +port+: 0 (the default) picks a
    # free port (see #port).  +bind+: the address to listen on (nil:
    # 127.0.0.1, this machine only).  Raises NWS::ConnectionError when it
    # cannot listen (the port is in use, ...), NWS::InvalidArgumentError
    # for a port out of range.
    def initialize(port: 0, bind: nil)
      given, number = Args.port(port)
      @native = Nws_raw::LocalServer.new(Args.host(bind), given ? number : 0.0)
    end

    # The address it listens on.
    def host
      @native.host.force_encoding(Encoding::UTF_8)
    end

    # The port it listens on (the free one it picked, for port 0).
    def port
      @native.port
    end

    # "host:port".
    def address
      "#{host}:#{port}"
    end

    # A connection to this server (NWS::Server.connect with this host and
    # port; other options as for NWS::Server.new, a block too).
    def connect(**options, &block)
      Server.connect(host: host, port: port, **options, &block)
    end

    # True until #stop.
    def running?
      @native.running
    end

    # Stops the server: closes every connection, drops every workspace and
    # returns once its thread has ended.  Idempotent.  A server that is
    # garbage collected stops too.
    def stop
      @native.stop
      nil
    end

    # "NWS::LocalServer host:port".
    def to_s
      "NWS::LocalServer #{address}"
    end

    # A short description, saying whether it runs.
    def inspect
      "#<NWS::LocalServer #{address} #{running? ? 'running' : 'stopped'}>"
    end
  end
end
