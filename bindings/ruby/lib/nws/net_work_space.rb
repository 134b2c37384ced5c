# frozen_string_literal: true

module NWS
  # A workspace on an NWS server: store, fetch and find its variables.
  #
  # A workspace is like a hash shared over the network whose keys are
  # variable names and whose entries are queues of values.  #store appends
  # a value; #fetch removes and returns one (which one depends on the
  # variable's mode, see #declare), waiting until there is one; #find
  # returns one without removing it.  #fetch_try and #find_try return a
  # default instead of waiting.  When several clients fetch one variable,
  # each value goes to exactly one of them.
  #
  #   NWS::NetWorkSpace.open('work') do |ws|   # $NWS_HOST/$NWS_PORT, else localhost:8765
  #     ws.store('x', 'text')                  # strings go direct
  #     ws.store('h', { list: [1, 2] })        # other objects by Marshal
  #     ws.store('p', { 'v' => [1.5, 2] }, portable: true)   # or for every language
  #     ws.fetch('x', timeout: 5)              # NWS::TimeoutError after 5 s
  #     ws.lease('job') { |job| work_on(job) } # acked at the end, given back on an exception
  #   end
  #
  # Made directly (::new, ::open: a connection of its own) or by
  # NWS::Server#open_ws / NWS::Server#use_ws (sharing the server's
  # connection).  Blocking calls release the GVL; Ctrl-C (or Thread#raise)
  # interrupts them and the request is withdrawn, so a value stored
  # afterwards goes to the next fetcher; a value that had already arrived
  # comes with the interrupt (NWS::ArrivedValue).
  class NetWorkSpace
    include FileTransfer

    # The workspace name of ::new when none is given.
    DEFAULT_NAME = '__default'

    # Opens the workspace (arguments as for ::new); with a block, yields it,
    # closes its connection when the block ends and returns the block's value.
    def self.open(name = DEFAULT_NAME, **options)
      ws = new(name, **options)
      return ws unless block_given?

      begin
        yield ws
      ensure
        ws.close
      end
    end

    # The workspace's name.
    attr_reader :name
    # The NWS::Server whose connection this workspace uses.
    attr_reader :server
    # Whether #store writes portable values (docs/values.md: every language
    # reads them) unless told otherwise; settable.
    attr_accessor :portable

    # Opens the workspace +name+ on a new connection to +host+:+port+ (not
    # given: $NWS_HOST / $NWS_PORT, else localhost:8765), or on +server+'s
    # connection when given (then host, port and connect_timeout are not used).
    #
    # +use_only+:: false (the default) opens the workspace, becoming its
    #              owner if it has none; true only uses it (never the owner).
    # +persistent+:: when we become the owner: keep the workspace after our
    #                connection closes (default false: it is deleted then).
    # +create+:: false raises NWS::NoSuchWorkspaceError if it does not exist.
    # +connect_timeout+:: seconds for the connection (nil: the core's default).
    # +portable+:: true: #store writes portable values unless told otherwise.
    # +tls+, +tls_ca+, +tls_cert+, +tls_key+, +tls_server_name+, +user+, +password+, +token+::
    #   TLS and credentials for the new connection, as for NWS::Server.new
    #   (docs/security.md).
    def initialize(name = DEFAULT_NAME, host: nil, port: nil, use_only: false, persistent: false, create: true,
                   connect_timeout: nil, server: nil, portable: false, tls: nil, tls_ca: nil, tls_cert: nil,
                   tls_key: nil, tls_server_name: nil, user: nil, password: nil, token: nil)
      own = server.nil?
      @portable = portable ? true : false
      @opened_with = { use_only: use_only ? true : false, persistent: persistent ? true : false,
                       create: create ? true : false }
      @server = server || Server.new(host: host, port: port, connect_timeout: connect_timeout, tls: tls, tls_ca: tls_ca,
                                     tls_cert: tls_cert, tls_key: tls_key, tls_server_name: tls_server_name,
                                     user: user, password: password, token: token)
      begin
        @native = if use_only
                    @server.native.use_ws(Args.name(name), create ? true : false)
                  else
                    @server.native.open_ws(Args.name(name), persistent ? true : false, create ? true : false)
                  end
      rescue Exception # rubocop:disable Lint/RescueException -- the connection is ours to close, whatever happened
        @server.close if own
        raise
      end
      @name = @native.name.force_encoding(Encoding::UTF_8)
    end

    # The workspace's name (the original API's spelling).
    def current_ws
      @name
    end

    # Stores +value+ into the variable +var+ (created, mode "fifo", if
    # needed).  Strings go direct (ASCII-8BIT as binary, others as UTF-8
    # text), other objects by Marshal, or as portable values with
    # <tt>portable: true</tt> (nil: as #portable says), which every language
    # reads (see README.md for what writes as what).  An object a portable
    # value cannot hold raises NWS::SerialisationError before anything is sent.
    def store(var, value, portable: nil)
      descriptor, bytes = Codec.encode(value, portable.nil? ? @portable : portable, @name, var)
      @native.store(Args.name(var), descriptor, bytes)
      nil
    end

    # Removes and returns a value of +var+, waiting until there is one: for
    # ever (+timeout+ nil) or at most +timeout+ seconds, then
    # NWS::TimeoutError and the request is withdrawn.
    def fetch(var, timeout: nil)
      name = Args.name(var)
      value_of(var) { @native.fetch(name, Args.timeout(timeout)) }
    end

    # Returns a value of +var+ without removing it, waiting like #fetch.
    def find(var, timeout: nil)
      name = Args.name(var)
      value_of(var) { @native.find(name, Args.timeout(timeout)) }
    end

    # Removes and returns a value of +var+, or +default+ at once if it has none.
    def fetch_try(var, default = nil)
      name = Args.name(var)
      value_of(var, default) { @native.fetch_try(name) }
    end

    # Returns a value of +var+ without removing it, or +default+ at once if
    # it has none.
    def find_try(var, default = nil)
      name = Args.name(var)
      value_of(var, default) { @native.find_try(name) }
    end

    # A leased fetch (reliable consume): removes a value of +var+ like
    # #fetch (waiting as #fetch does, +timeout+ included) and holds it under
    # an NWS::Lease.  The server keeps the value until the lease is
    # settled: if this connection closes, or +duration+ seconds pass (nil:
    # 300; fractions allowed), first, the value goes back to the head of its
    # variable for the next fetcher.
    #
    # Without a block, returns the NWS::Lease (settle it: NWS::Lease#ack,
    # NWS::Lease#ack_store, NWS::Lease#release).  With a block, yields the
    # value and the lease, acknowledges the lease when the block ends
    # without an exception (returning the block's value) and releases it
    # when the block raises (the exception propagates); a lease the block
    # settled itself is left alone:
    #
    #   ws.lease('task', duration: 60) { |task, _lease| work_on(task) }
    #
    # A duration out of range (0.001 s to about 24 days) or not a number
    # raises NWS::InvalidArgumentError; a server without leases,
    # NWS::UnsupportedError.  Ctrl-C while it waits interrupts it, and a
    # value that had arrived goes back.
    def lease(var, duration: nil, timeout: nil, &block)
      name = Args.name(var)
      has_duration, seconds = Args.duration(duration)
      leased = Lease.new(self, @native.lease(name, has_duration, seconds, Args.timeout(timeout)))
      block ? leased.settle_by_block(&block) : leased
    end

    # Like #lease without waiting: the NWS::Lease, or nil at once if +var+
    # has no value.  With a block: when there is a value, yields and
    # settles as #lease does and returns the block's value; else returns
    # nil without yielding.
    def lease_try(var, duration: nil, &block)
      name = Args.name(var)
      has_duration, seconds = Args.duration(duration)
      native = @native.lease_try(name, has_duration, seconds)
      return nil if native.nil?

      leased = Lease.new(self, native)
      block ? leased.settle_by_block(&block) : leased
    end

    # Declares the variable +var+ with +mode+: :fifo (first in, first out;
    # the default for variables made by #store), :lifo, :multi or :single
    # (only the latest value is kept); strings alike.  A variable's mode
    # cannot change: another mode raises NWS::DeclarationFailedError,
    # the same one again does nothing.  An unknown mode raises
    # NWS::InvalidArgumentError before anything is sent.
    def declare(var, mode)
      @native.declare(Args.name(var), Args.mode(mode))
      nil
    end

    # Deletes the variable +var+ and its values; clients blocked on it are
    # released with an error.
    def delete_var(var)
      @native.delete_var(Args.name(var))
      nil
    end

    # The variables of this workspace, or of the workspace +ws_name+ (which
    # this connection must have opened or used).  +format+: :rows (an
    # Array of NWS::VarInfo, the default), :hash (name => VarInfo) or :text
    # (the server's listing: one tab-separated line per variable).
    def list_vars(ws_name = nil, format: :rows)
      Listing.check(format)
      raw = ws_name.nil? || ws_name.to_s == @name ? @native.list_vars : @server.native.list_vars(Args.name(ws_name))
      Listing.vars(raw, format)
    end

    # An Enumerator (NWS::ValueIterator) over the values of +var+ that
    # fetches (removes) them.  Without +wait+ it ends when no value is left;
    # with <tt>wait: true</tt> each step blocks for the next value (at most
    # +timeout+ seconds per step).  For fifo and single variables.
    def ifetch(var, wait: false, timeout: nil)
      ValueIterator.new(self, var, true, wait, timeout)
    end

    # Like #ifetch, but the values stay in the variable: each is seen once.
    def ifind(var, wait: false, timeout: nil)
      ValueIterator.new(self, var, false, wait, timeout)
    end

    # #ifetch that never waits (the original API's ifetchTry).
    def ifetch_try(var)
      ifetch(var)
    end

    # #ifind that never waits (the original API's ifindTry).
    def ifind_try(var)
      ifind(var)
    end

    # A text-file view of the variable +var+ (an NWS::TextFile): mode "r"
    # reads its values as one stream of text (leaving them in place), "w"
    # empties it and stores each line written as a value, "a" appends lines.
    def makefile(var, mode = 'r')
      TextFile.new(self, var, mode)
    end

    # Closes the connection this workspace uses, which it shares with its
    # #server and the other workspaces opened through it.  The server then
    # deletes the non-persistent workspaces the connection owned.
    # Idempotent; any later call raises NWS::ClosedError.
    def close
      @server.close
      nil
    end

    # True once the connection is closed.
    def closed?
      @native.closed
    end

    # Marshal (as the original clients' pickling): a workspace travels as
    # what opens it again, on a new connection to the same server.
    def marshal_dump
      [@name, @server.host, @server.port, @opened_with, @server.tls_options]
    end

    # Opens the workspace again from #marshal_dump's state (credentials
    # from the environment, as for NWS::Server#marshal_load).
    def marshal_load(state)
      name, host, port, opened_with, tls = state
      initialize(name, host: host, port: port, **opened_with, **(tls || {}))
    end

    # "NWS::NetWorkSpace name [NWS::Server host:port]".
    def to_s
      "NWS::NetWorkSpace #{@name} [#{@server}]"
    end

    # A short description.
    def inspect
      "#<NWS::NetWorkSpace #{@name.inspect} on #{@server.host}:#{@server.port}#{closed? ? ' closed' : ''}>"
    end

    # The facade object (for the iterators and file transfers).
    def native # :nodoc:
      @native
    end

    # Decodes a value retrieved by the facade (for the iterators).
    def decode(var, got) # :nodoc:
      Codec.decode(@name, var, got.descriptor, got.bytes)
    end

    private

    # The decoded value of the Got the block returns (+default+ when the
    # Try forms found none); a value that came with an interrupt is kept
    # on the interrupt (NWS::ArrivedValue).
    def value_of(var, default = nil)
      got = NWS._keeping_arrived(->(d, b, _) { Codec.decode(@name, var, d, b) }) { yield }
      got.found ? Codec.decode(@name, var, got.descriptor, got.bytes) : default
    end
  end
end
