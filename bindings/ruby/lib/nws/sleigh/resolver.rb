# frozen_string_literal: true

module NWS
  class Sleigh
    # A worker's task names -> callables: 'A::B.m' is the public method m
    # of the constant A::B; a constant not defined yet is required by its
    # snake_case path ('a/b', NwsMatrix -> 'nws_matrix') from the load path,
    # then looked up again.  Each function is resolved once (by the core's
    # function id); a name that does not resolve fails every call with the
    # same message, which names what was tried.
    class Resolver # :nodoc:
      # The cause of a name that does not resolve.
      class Unresolved < StandardError; end

      # +load_errors+: what the worker's Load entries failed with (said
      # again when a name does not resolve: it is the likely cause).
      def initialize(load_errors = [])
        @load_errors = load_errors
        @cache = {}
      end

      # The Method for +name+ (cached under +function_id+), or raises
      # Unresolved.
      def method_for(function_id, name)
        found = (@cache[function_id] ||= resolve(name))
        raise Unresolved, found if found.is_a?(String)

        found
      end

      # The file `require` is asked for when +path+ ('A::B') is not defined.
      def self.feature(path)
        path.gsub('::', '/').gsub(/([A-Z]+)([A-Z][a-z])/, '\1_\2').gsub(/([a-z\d])([A-Z])/, '\1_\2').downcase
      end

      private

      def resolve(name)
        return 'a Ruby worker runs named tasks (Module.method) only' if name.to_s.empty?

        owner_path, _, meth = name.rpartition('.')
        owner = constant(owner_path)
        return "#{owner_path} is #{owner.inspect}, not a module" unless owner.is_a?(Module)

        owner.public_method(meth)
      rescue NameError => e
        why = e.message.start_with?('undefined method', 'method') ? "#{owner_path} has no public method #{meth}" : e.message
        unresolved(name, why)
      rescue Unresolved => e
        unresolved(name, e.message)
      end

      def constant(path)
        Object.const_get(path)
      rescue NameError
        feature = Resolver.feature(path)
        begin
          require feature
        rescue LoadError, StandardError, ScriptError => e
          raise Unresolved, "no module #{path} is loaded, and require '#{feature}' failed: #{e.class}: #{e.message}"
        end
        begin
          Object.const_get(path)
        rescue NameError
          raise Unresolved, "require '#{feature}' did not define #{path}"
        end
      end

      def unresolved(name, why)
        text = "cannot resolve the task #{name}: #{why}"
        text += "; loading failed: #{@load_errors.join('; ')}" unless @load_errors.empty?
        text
      end
    end
  end
end
