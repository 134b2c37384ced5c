# frozen_string_literal: true

module NWS
  # A value held under a lease (leased fetch, reliable consume): made by
  # NetWorkSpace#lease and NetWorkSpace#lease_try.
  #
  # A leased fetch takes a value out of its variable like NetWorkSpace#fetch,
  # but the server keeps it until the lease is settled.  If the holder's
  # connection closes (its program crashed, say), or the lease's duration
  # passes, first, the value goes back to the head of its variable (a fifo
  # variable's front, a lifo variable's top) and the next fetcher gets it.
  #
  #   ws.lease('task', duration: 60) do |task, lease|   # acked at the end,
  #     work_on(task)                                   # released on an exception
  #   end
  #
  #   lease = ws.lease('task')
  #   lease.renew(600) if big?(lease.value)
  #   lease.ack_store('result', work_on(lease.value))  # store and ack, in one step
  #
  # Settle a lease once: #ack, #ack_store or #release (#renew extends it).
  # Settling a lease that is no longer held (it expired, or the server
  # restarted) raises NWS::LeaseLostError, whose message says what became
  # of the value; settling one again raises NWS::InvalidArgumentError.  A
  # lease that is garbage collected unsettled gives its value back; do not
  # count on when: settle it.
  class Lease
    # The NWS::NetWorkSpace the value was leased from.
    attr_reader :workspace

    # Made by NetWorkSpace#lease and NetWorkSpace#lease_try.
    def initialize(workspace, native) # :nodoc:
      @workspace = workspace
      @native = native
    end

    # The value, decoded as NetWorkSpace#fetch would return it (once: later
    # calls return the same object).  A value this program cannot read
    # raises NWS::SerialisationError, and the lease stays held.
    def value
      return @value if defined?(@value)

      got = @native.value
      @value = Codec.decode(@workspace.name, variable, got.descriptor, got.bytes)
    end

    # The server's number for this lease.
    def id
      @native.id
    end

    # The name of the variable the value came from.
    def variable
      @variable ||= @native.variable.force_encoding(Encoding::UTF_8)
    end

    # True once the lease was acknowledged or released (or found lost by a
    # settling call).
    def settled?
      @native.settled
    end

    # Done with the value: the server forgets it for good.
    def ack
      @native.ack
      nil
    end

    # Stores +value+ into the variable +var+ of the same workspace and
    # acknowledges the lease, atomically (both happen, or neither).
    # +value+ is written exactly as NetWorkSpace#store writes it
    # (<tt>portable: true</tt> for a portable value; nil: as the
    # workspace's NetWorkSpace#portable says).  If the store is refused,
    # nothing happens and the lease is still held.
    def ack_store(var, value, portable: nil)
      descriptor, bytes = Codec.encode(value, portable.nil? ? @workspace.portable : portable, @workspace.name, var)
      @native.ack_store(Args.name(var), descriptor, bytes)
      nil
    end

    # Gives the value back now: it goes to the head of its variable.
    def release
      @native.release
      nil
    end

    # The lease now ends +seconds+ from now (fractions allowed; from 0.001
    # to about 24 days, else NWS::InvalidArgumentError).
    def renew(seconds)
      @native.renew(Args.seconds(seconds, 'renew'))
      nil
    end

    # A short description.
    def inspect
      "#<NWS::Lease #{id} of #{variable.inspect} in #{@workspace.name.inspect}#{settled? ? ' settled' : ''}>"
    end

    # Yields (value, lease) and settles the lease by how the block ends:
    # acknowledged when it ends without an exception (also by +break+,
    # +next+ or +return+; the block's value is returned), released when it
    # raises (the exception propagates; an error releasing is dropped, the
    # block's is the one that matters).  A lease the block settled itself
    # is left alone.
    def settle_by_block # :nodoc:
      raised = false
      begin
        yield value, self
      rescue Exception # rubocop:disable Lint/RescueException -- Interrupt too: the value goes back
        raised = true
        begin
          release unless settled?
        rescue StandardError
          # expired meanwhile, or the connection is gone: the value went back by itself
        end
        raise
      ensure
        ack unless raised || settled?
      end
    end
  end
end
