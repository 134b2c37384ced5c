# frozen_string_literal: true

require 'rbconfig'

module NWS
  class Sleigh
    # NWS::Sleigh.new's keyword options -> the facade's SleighOptions.  The
    # rules (which server, how many workers, what each launch runs) are the
    # core's; this only converts and names what is wrong.
    module Options # :nodoc:
      LAUNCHES = { local: 'local', ssh: 'ssh', sshforward: 'sshforward', ssh_forward: 'sshforward',
                   command: 'command', slurm: 'slurm', manual: 'manual' }.freeze
      SECURITY = %i[tls tls_ca tls_cert tls_key tls_server_name user password token].freeze
      KNOWN = %i[workers launch nodes language load module_path host port ssh_user command_prefix worker_program
                 working_dir log_dir redirect_output remote_host remote_port slurm_args manual_command inbox_depth
                 stop_wait ws_template user_ws_template].freeze + SECURITY

      module_function

      def native(options)
        unknown = options.keys - KNOWN
        raise ArgumentError, "NWS::Sleigh: unknown option#{unknown.size > 1 ? 's' : ''} #{unknown.join(', ')}" if unknown.any?

        o = Nws_raw::SleighOptions.new
        server(o, options)
        launch(o, options)
        workers(o, options)
        o
      end

      def server(o, options)
        o.host = Args.host(options[:host]) unless options[:host].nil?
        given, port = Args.port(options[:port])
        o.has_port = given
        o.port = port
        security = Args.security(options.slice(*SECURITY))
        o.has_security = !security.nil?
        o.security = security if security
        o.ws_template = text(options[:ws_template], :ws_template) if options[:ws_template]
        o.user_ws_template = text(options[:user_ws_template], :user_ws_template) if options[:user_ws_template]
      end

      def launch(o, options)
        kind = options.fetch(:launch, :local)
        o.launch = LAUNCHES.fetch(kind.to_s.to_sym) do
          raise ArgumentError, "NWS::Sleigh: launch must be one of #{LAUNCHES.keys.map(&:inspect).join(', ')}, " \
                               "not #{kind.inspect}"
        end
        o.worker_count = count(options[:workers], :workers, 0)
        o.node_list = vector(words(options[:nodes], :nodes))
        o.user = text(options[:ssh_user], :ssh_user) if options[:ssh_user]
        o.command_prefix = vector(words(options[:command_prefix], :command_prefix))
        o.slurm_args = vector(words(options[:slurm_args], :slurm_args))
        o.manual_command = text(options[:manual_command], :manual_command) if options[:manual_command]
        o.remote_host = text(options[:remote_host], :remote_host) if options[:remote_host]
        given, port = Args.port(options[:remote_port])
        o.has_remote_port = given
        o.remote_port = port
        o.inbox_depth = count(options[:inbox_depth], :inbox_depth, 2)
        o.stop_wait = Args.seconds(options.fetch(:stop_wait, 10), 'stop_wait')
      end

      def workers(o, options)
        o.language = Nws_raw.sleigh_language_id(options.fetch(:language, :ruby).to_s)
        path = paths(options[:module_path], :module_path)
        o.module_path = path.join(':')
        o.load = load_list(options[:load]).join(':')
        o.working_dir = text(options[:working_dir], :working_dir) if options[:working_dir]
        o.log_dir = text(options[:log_dir], :log_dir) if options[:log_dir]
        o.redirect_output = options[:redirect_output] ? true : false
        program = options[:worker_program]
        o.worker_program = vector(if program
                                    words(program, :worker_program)
                                  elsif o.language == 'ruby'
                                    own_worker_program(path)
                                  else
                                    []
                                  end)
      end

      # This Ruby, with this copy of the gem and the user's module path on
      # its load path: Ruby workers run what the master runs.
      def own_worker_program(module_path)
        dirs = [File.expand_path('../..', __dir__), native_dir, *module_path].compact.uniq
        [RbConfig.ruby, *dirs.flat_map { |d| ['-I', d] }, '-rnws/sleigh/worker', '-e', 'NWS::Sleigh::Worker.main']
      end

      # The directory of the loaded nws_raw extension (it may be beside
      # lib/, in the gem's extension directory).
      def native_dir
        ext = ".#{RbConfig::CONFIG['DLEXT']}"
        loaded = $LOADED_FEATURES.find { |f| File.basename(f) == "nws_raw#{ext}" }
        loaded && File.dirname(loaded)
      end

      # What workers load: files the master has are named by their full
      # path (workers start in the master's directory, or working_dir),
      # anything else is a feature for `require`.
      def load_list(value)
        words(value, :load).map { |w| File.file?(w) ? File.expand_path(w) : w }
      end

      def paths(value, what)
        list = value.is_a?(String) ? value.split(':') : words(value, what)
        list.reject(&:empty?).map { |p| File.directory?(p) ? File.expand_path(p) : p }
      end

      def words(value, what)
        return [] if value.nil?

        list = value.is_a?(Array) ? value : [value]
        list.map { |w| text(w, what) }
      end

      # A list of Strings for the facade (its std::vector<std::string>).
      def vector(list)
        list.each_with_object(Nws_raw::StringVector.new) { |w, v| v << w }
      end

      def text(value, what)
        value = value.to_path if value.respond_to?(:to_path)
        value = value.to_s if value.is_a?(Symbol)
        raise InvalidArgumentError, "#{what} must be a String (or an Array of them), not #{Args.type_of(value)}" unless value.is_a?(String)

        Args.text(value)
      end

      def count(value, what, default)
        return default if value.nil?
        return value if value.is_a?(Integer) && value >= 0

        raise InvalidArgumentError, "#{what} must be a whole number (0 or more), not #{value.inspect}"
      end
    end
  end
end
