# frozen_string_literal: true

require 'nws'
require 'nws/sleigh/resolver'
require 'nws/sleigh/output'

module NWS
  class Sleigh
    # A Ruby sleigh worker: <tt>ruby -rnws/sleigh/worker -e
    # NWS::Sleigh::Worker.main</tt>, started by a sleigh's launcher with the
    # environment contract (RubySleighNwsHost, ...).  It puts ModulePath on
    # $LOAD_PATH, requires the Load entries, joins the sleigh and runs one
    # task after another: resolves its name, decodes its arguments, calls
    # it, and sends back its result, or its exception's class, message and
    # backtrace.  Tasks may ask who they run on:
    #
    #   module Stats
    #     def self.where = NWS::Sleigh::Worker.rank       # 0, 1, ...
    #   end
    module Worker
      # The environment prefix of Ruby workers.
      PREFIX = 'RubySleigh'
      # Backtrace lines sent with a task's error.
      BACKTRACE_LINES = 8

      class << self
        # This worker's rank in the sleigh (nil outside a worker).
        attr_reader :rank
        # How many workers the sleigh has (nil outside a worker).
        attr_reader :worker_count

        # Whether this process is a sleigh worker that has joined.
        def active?
          !@rank.nil?
        end

        # The sleigh's user workspace (NWS::Sleigh#user_ws on the master),
        # on a connection of this worker's.
        def user_ws
          @user_ws ||= NetWorkSpace.new(@env.user_ws, host: @env.host, port: @env.port, use_only: true, create: false)
        end

        # The sleigh's own workspace.
        def sleigh_ws
          @sleigh_ws ||= NetWorkSpace.new(@env.sleigh_ws, host: @env.host, port: @env.port, use_only: true,
                                                          create: false)
        end

        # Runs the worker until the sleigh ends, then ends the process
        # (exit status 0, or 1 if it could not join).
        def main
          status = 1
          begin
            status = run
          rescue SignalException, SystemExit
            raise
          rescue NoSuchWorkspaceError
            # The sleigh ended (its workspace is gone) before this worker
            # could join: nothing to do, nothing wrong.
            status = 0
          rescue Exception => e # rubocop:disable Lint/RescueException -- a worker reports whatever stops it
            warn "nws/sleigh/worker: #{e.class}: #{e.message}"
          end
          [$stdout, $stderr, STDOUT, STDERR].each { |io| io.flush rescue nil } # rubocop:disable Style/RescueModifier
          # No finalizers: the sentinel thread and the connections go with the process.
          exit!(status)
        end

        private

        def run
          # Output reaches the log at once: at the sleigh's end the sentinel
          # kills this process, buffers and all.
          $stdout.sync = true
          @env = Nws_raw.sleigh_worker_env('ruby')
          Dir.chdir(@env.working_dir) unless @env.working_dir.empty?
          @env.module_path.split(':').reject(&:empty?).reverse_each do |dir|
            $LOAD_PATH.unshift(dir) unless $LOAD_PATH.include?(dir)
          end
          resolver = Resolver.new(load_entries(@env.load))
          native = Nws_raw::SleighWorker.new('ruby', "Ruby #{RUBY_VERSION}")
          @rank = native.rank
          @worker_count = native.worker_count
          redirect_output if ENV["#{PREFIX}RedirectOutput"] == 'True'
          loop do
            call = native.next_call
            break unless call.found

            ok, bytes = answer(resolver, call)
            ok ? native.reply(bytes) : native.reply_error(bytes)
          end
          0
        end

        # Requires each ':'-separated entry; what fails is remembered and
        # reported with any task that then does not resolve.
        def load_entries(load)
          load.split(':').reject(&:empty?).filter_map do |entry|
            require(entry.end_with?('.rb') || entry.include?('/') ? File.expand_path(entry) : entry)
            nil
          rescue ScriptError, StandardError => e
            "#{entry}: #{e.class}: #{e.message}"
          end
        end

        # [true, the result's portable bytes] or [false, the error's text].
        def answer(resolver, call)
          task = resolver.method_for(call.function_id, call.name)
          args = PortableReader.decode(call.args)
          args = [args] unless args.is_a?(Array)
          value = task.call(*args)
          begin
            [true, PortableWriter.encode(value)]
          rescue SerialisationError => e
            [false, "NWS::SerialisationError: the result of #{call.name} cannot travel: #{Codec.bare(e)}"]
          end
        rescue Resolver::Unresolved => e
          [false, "NameError: #{e.message}"]
        rescue SignalException
          raise
        rescue Exception => e # rubocop:disable Lint/RescueException -- exit and the like are the task's errors too
          [false, describe(e)]
        end

        # "Class: message" and the task's backtrace (not this file's frames).
        def describe(error)
          trace = (error.backtrace || []).take_while { |line| !line.start_with?(__FILE__) }
          ["#{error.class}: #{error.message}", *trace.first(BACKTRACE_LINES).map { |l| "  from #{l}" }].join("\n")
        end

        def redirect_output
          out = Output.new(sleigh_ws, "output@#{@rank}")
          $stdout = out
          $stderr = out
        end
      end
    end
  end
end
