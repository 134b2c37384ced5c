# The Ruby side of the interop matrix (same commands as interop.py):
#   ruby interop.rb PORT WS write VECDIR | read VECDIR WRITER |
#                     block VAR EXPECTED | store VAR VALUE |
#                     pwrite CASES | pread WRITER CASES   (portable_interop.rb)
# Prints one "ok ..." or "FAIL ..." line per check.
gem 'nws'
require 'nws'
require_relative 'portable_interop'
$stdout.sync = true
port, ws_name, mode, *rest = ARGV
ME = 'Ruby'
VECTORS = [%w[ascii ascii.txt text], %w[utf8 utf8.txt text], %w[empty empty.txt text],
           %w[binary binary.bin binary], %w[large large.bin binary]].freeze
NATIVE = [1, :two, { 'answer' => 42 }].freeze
def report(ok, what) = puts("#{ok ? 'ok' : 'FAIL'} #{what}")

NWS::NetWorkSpace.open(ws_name, host: '127.0.0.1', port: Integer(port), use_only: true) do |ws|
  case mode
  when 'write'
    VECTORS.each do |name, file, kind|
      b = File.binread(File.join(rest[0], file))
      ws.store("#{ME}_#{name}", kind == 'text' ? b.dup.force_encoding(Encoding::UTF_8) : b)
    end
    ws.store("#{ME}_native", NATIVE)
  when 'read'
    vecdir, writer = rest
    VECTORS.each do |name, file, kind|
      want = File.binread(File.join(vecdir, file))
      what = "#{ME} reads #{writer} #{name}"
      begin
        got = ws.find("#{writer}_#{name}", timeout: 10)
        want_enc = kind == 'text' ? Encoding::UTF_8 : Encoding::BINARY
        report(got.is_a?(String) && got.encoding == want_enc && got.b == want, what)
      rescue StandardError => e
        report(false, "#{what}: #{e.class}: #{e.message}")
      end
    end
    what = "#{ME} reads #{writer} native"
    begin
      got = ws.find("#{writer}_native", timeout: 10)
      report(writer == ME && got == NATIVE, "#{what} (got #{got.inspect})")
    rescue NWS::SerialisationError => e
      report(writer != ME && e.message.match?(/\b#{Regexp.escape(writer)}\b/), "#{what}: error names #{writer}: #{e.message}")
    rescue StandardError => e
      report(false, "#{what}: #{e.class}: #{e.message}")
    end
  when 'block'
    begin
      got = ws.fetch(rest[0], timeout: 20)
      report(got == rest[1], "#{ME} blocked fetch released with '#{got}'")
    rescue StandardError => e
      report(false, "#{ME} blocked fetch: #{e.class}: #{e.message}")
    end
  when 'store'
    ws.store(rest[0], rest[1].dup.force_encoding(Encoding::UTF_8))
  when 'pwrite'
    PortableInterop.pwrite(ws, rest[0], method(:report)) or abort "#{ME} could not store every portable case"
  when 'pread'
    PortableInterop.pread(ws, rest[0], rest[1], method(:report))
  else
    abort "unknown mode #{mode}"
  end
end
