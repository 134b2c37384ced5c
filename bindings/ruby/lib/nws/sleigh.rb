# frozen_string_literal: true

require 'nws/sleigh/task_error'
require 'nws/sleigh/options'
require 'nws/sleigh/progress'
require 'nws/sleigh/run'
require 'nws/sleigh/job'

module NWS
  # A pool of worker processes that run module methods over many elements,
  # coordinated through an NWS server (docs/sleigh-design.md).  Tasks are
  # named, as <tt>'Module.method'</tt>: each worker requires what defines
  # them (the +load+ option, or the module's snake_case file from its load
  # path: <tt>Stats::Robust</tt> -> <tt>stats/robust</tt>) and calls them;
  # arguments and results travel as portable values (docs/values.md), so
  # the workers may be of another language too (+language+: :python, :r,
  # :java, :perl; the names then take that language's form).
  #
  #   # stats.rb on the workers' load path:  module Stats; def self.square(x) = x * x; end
  #   NWS::Sleigh.open(workers: 2, module_path: __dir__) do |s|
  #     s.each_elem('Stats.square', 1..10)               # => [1, 4, 9, ...]
  #     s.each_elem('Stats.square', 1..10) { |v, i| }    # as they arrive
  #     s.each_elem_lazy('Stats.square', 1..Float::INFINITY).first(3)
  #     job = s.each_elem('Stats.square', 1..10, async: true)
  #     job.value
  #     s.each_worker('Stats.setup', 'config')          # once on every worker
  #   end                                               # workers stopped here
  #
  # The server: +host+/+port+ when given, else $RubySleighNwsHost/Port,
  # else $NWS_HOST/$NWS_PORT; with none of them, a local sleigh whose
  # default server (localhost:8765) does not answer starts one inside this
  # process.  A worker that dies has its unfinished tasks run again by
  # the others, so every element gets exactly one result.
  class Sleigh
    # What #status says: how many workers joined, and whether the group is
    # closed (no more will join).
    Status = Struct.new(:workers, :closed) do
      # Whether the group is closed.
      def closed?
        closed
      end
    end

    # Integer fields of #worker_info.
    INFO_INTEGERS = %w[rank pid id].freeze

    # Starts a sleigh (options as for ::new); with a block, yields it, stops
    # it when the block ends (also on an exception) and returns the block's
    # value.
    def self.open(**options)
      sleigh = new(**options)
      return sleigh unless block_given?

      begin
        yield sleigh
      ensure
        sleigh.stop
      end
    end

    # Starts the workers and returns once they are launched (they join in
    # the background: #status waits for them).
    #
    # +workers+:: how many (local: default one per core; ssh: one per node).
    # +launch+:: :local (default), :ssh (one worker per entry of +nodes+,
    #            ssh [-l +ssh_user+] node), :sshforward (ssh with a reverse
    #            tunnel to the server: +remote_host+/+remote_port+), :slurm
    #            (srun inside an allocation, else sbatch; +slurm_args+),
    #            :command (+command_prefix+, "{node}" replaced, per node) or
    #            :manual (you start them: #manual_command).
    # +language+:: the workers' language: :ruby (default), :python, :r,
    #              :java or :perl.
    # +load+:: what each worker loads before its first task: for Ruby
    #          workers files or features to require (a file the master has
    #          is passed by its full path); R packages or .R files, Python
    #          modules, Perl modules.
    # +module_path+:: directories for the workers' load path (an Array, or a
    #                 String with ':'), e.g. where the task modules are.
    # +worker_program+:: the command that starts a worker (default: this
    #                    Ruby with this gem for Ruby workers, the
    #                    language's own for others).
    # +working_dir+, +log_dir+:: the workers' directory (default the
    #                            master's), and where their output goes.
    # +redirect_output+:: workers' $stdout goes to the sleigh workspace.
    # +host+, +port+, +tls+, +tls_ca+, +tls_cert+, +tls_key+, +tls_server_name+, +user+, +password+, +token+::
    #   the server and how to reach it, as for NWS::Server.new; workers get
    #   the same TLS settings and credentials.
    # +progress+:: true: jobs show their progress on $stderr (when it is a
    #              terminal); an IO: there; each call may say otherwise.
    # +inbox_depth+, +stop_wait+, +ws_template+, +user_ws_template+:: the
    #   core's tuning (tasks queued per worker; seconds #stop waits).
    def initialize(progress: false, **options)
      @progress = progress
      @connect = options.slice(*Options::SECURITY)
      @native = Nws_raw::SleighMaster.new(Options.native(options))
      @user_ws = nil
    end

    # The workers' language id ("ruby", "python", ...).
    def language
      text(@native.language)
    end

    # The sleigh's workspace (its bookkeeping).
    def ws_name
      text(@native.ws_name)
    end

    # The workspace the sleigh keeps for user code (NWS::Sleigh::Worker.user_ws on workers).
    def user_ws_name
      text(@native.user_ws_name)
    end

    # The server's host, as workers reach it.
    def host
      text(@native.host)
    end

    # The server's port.
    def port
      @native.port
    end

    # Workers launched (0 for a manual launch).
    def launched
      @native.launched
    end

    # Workers that joined and have not died.
    def workers_alive
      @native.workers_alive
    end

    # The command a person runs to start a worker (launch: :manual).
    def manual_command
      text(@native.manual_command)
    end

    # The user workspace, opened (used, not owned) on a connection of its
    # own; closed by #stop.
    def user_ws
      @user_ws ||= NetWorkSpace.new(user_ws_name, host: host, port: port, use_only: true, create: false, **@connect)
    end

    # How many workers have joined and whether the group is closed,
    # waiting up to +timeout+ seconds (nil: for ever) for it to close;
    # +close_group+: close it now (no later worker joins).  Returns a Status.
    def status(close_group: false, timeout: 0)
      st = @native.status(close_group ? true : false, Args.timeout(timeout))
      Status.new(st.workers, st.closed)
    end

    # One Hash per joined worker, in rank order: :rank, :host, :pid, :id,
    # :name, :os, :language, :nws, :logfile.
    def worker_info
      @native.worker_info.map do |record|
        info = record.to_s.force_encoding(Encoding::UTF_8).split("\n").to_h { |line| line.split('=', 2) }
        INFO_INTEGERS.each { |k| info[k] = Integer(info[k]) if info[k] }
        info.transform_keys(&:to_sym)
      end.sort_by { |i| i[:rank] }
    end

    # Runs the task +name+ ('Module.method' for Ruby workers) once per
    # element of +elements+ (any Enumerable), with the element as its
    # argument, then +fixed_args+; with <tt>splat: true</tt> an element
    # that is an Array is the whole argument list.
    #
    # Without a block: an Array of the results in element order, a failed
    # task's NWS::Sleigh::TaskError in its place.  With a block: yields
    # each (value, index, rank) as it arrives, returns the number of
    # elements.  <tt>lazy: true</tt> (#each_elem_lazy): an Enumerator of
    # the results in element order, which sends elements as they are
    # needed.  <tt>async: true</tt>: a Job, at once (the elements are
    # taken at once too: a finite input).
    #
    # +chunk_size+:: elements per message (default: the core's rule, four
    #                chunks per worker, or growing with the tasks' times
    #                for an input of unknown size).
    # +load_factor+:: at most this many chunks per worker outstanding
    #                 (default none; 10 for lazy).
    # +errors+:: :return (default) or :raise (the first failed task's TaskError).
    # +progress+:: as for ::new.
    # The name is checked at once: NWS::InvalidArgumentError names the
    # language's form when it is not one.
    def each_elem(name, elements, fixed_args: [], splat: false, chunk_size: nil, load_factor: nil, errors: :return,
                  lazy: false, async: false, progress: @progress, &block)
      raise ArgumentError, 'each_elem: give a block, lazy: true or async: true, not more than one' if
        [block, lazy, async].count(&:itself) > 1
      raise ArgumentError, "each_elem: errors must be :return or :raise, not #{errors.inspect}" unless
        %i[return raise].include?(errors)
      raise ArgumentError, "each_elem: elements must be Enumerable, not #{Args.type_of(elements)}" unless
        elements.respond_to?(:each)

      fixed = Array(fixed_args)
      return lazy_results(name, elements, fixed, splat, chunk_size, load_factor || 10, errors, progress) if lazy

      elements = elements.to_a if async
      total = known_size(elements)
      run = open_run(name, total, chunk_size, load_factor, block ? :arrival : :elements, fixed, splat,
                     async ? :return : errors, Progress.for(progress, total, "each_elem #{name}"))
      return Job.new(run, elements, errors) if async
      return stream(run, elements, &block) if block

      results = []
      run.feed(elements)
      run.take_all { |value, index, _| results[index] = value }
      results
    end

    # #each_elem with <tt>lazy: true</tt>: an Enumerator of the results in
    # element order.  Elements go out while results are taken, at most
    # +load_factor+ (default 10) chunks per worker ahead, so +elements+ may
    # be endless.
    def each_elem_lazy(name, elements, **options)
      each_elem(name, elements, lazy: true, **options)
    end

    # Runs the task +name+ once on every worker with +args+; returns the
    # results in rank order (a TaskError in place of one that failed, or
    # raised with <tt>errors: :raise</tt>).  Waits up to +timeout+ seconds
    # (nil: for ever) for the workers to join first.
    def each_worker(name, *args, timeout: nil, errors: :return)
      bytes = PortableWriter.encode_list(args)
      native = @native.each_worker(Args.name(name), bytes, Args.timeout(timeout))
      run = Run.new(native, errors: errors)
      results = []
      run.take_all { |value, _, rank| results << [rank, value] }
      results.sort_by(&:first).map(&:last)
    end

    # Stops the workers (each one's sentinel ends its process group),
    # deletes the sleigh's workspaces and waits for the processes it
    # started.  Idempotent.
    def stop
      @user_ws&.close
      @user_ws = nil
      @native.stop
      nil
    end

    # True once stopped.
    def stopped?
      @native.stopped
    end

    # "#<NWS::Sleigh sleigh_ride_0001 ruby 2 workers>".
    def inspect
      return "#<#{self.class} stopped>" if stopped?

      "#<#{self.class} #{ws_name} #{language} #{workers_alive} workers>"
    end

    private

    def open_run(name, total, chunk_size, load_factor, order, fixed, splat, errors, progress)
      native = @native.each_elem(Args.name(name), total || -1, chunk_number(chunk_size),
                                 load_factor_number(load_factor), order == :arrival)
      Run.new(native, fixed: fixed, splat: splat, errors: errors, progress: progress)
    end

    def stream(run, elements, &block)
      run.feed(elements, &block)
      run.take_all(&block)
      run.added
    end

    def lazy_results(name, elements, fixed, splat, chunk_size, load_factor, errors, progress)
      total = known_size(elements)
      Nws_raw.sleigh_check_name(language, Args.name(name)) # now, not when the first result is asked for
      Enumerator.new(total) do |y|
        run = open_run(name, total, chunk_size, load_factor, :elements, fixed, splat, errors,
                       Progress.for(progress, total, "each_elem #{name}"))
        run.feed(elements) { |value, _, _| y << value }
        run.take_all { |value, _, _| y << value }
      end
    end

    def known_size(elements)
      n = elements.size if elements.respond_to?(:size)
      n.is_a?(Integer) ? n : nil
    end

    def chunk_number(value)
      return 0.0 if value.nil?
      return value.to_f if value.is_a?(Integer) && value.positive?

      raise InvalidArgumentError, "chunk_size must be a whole number of elements (1 or more), not #{value.inspect}"
    end

    def load_factor_number(value)
      return 0.0 if value.nil?
      return value.to_f if value.is_a?(Numeric) && value.real? && value.positive?

      raise InvalidArgumentError, "load_factor must be a number of chunks per worker (more than 0), not #{value.inspect}"
    end

    def text(s)
      s.to_s.force_encoding(Encoding::UTF_8)
    end
  end
end
