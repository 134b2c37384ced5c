# A chaos-test client in Ruby (scripts/chaos.sh): a producer or a consumer,
# as scripts/chaos/worker.py describes.
#
#   ruby worker.rb producer|consumer ID OUTDIR
require 'nws'

def connect
  loop do
    return NWS::NetWorkSpace.new('chaos', persistent: true)
  rescue NWS::Error
    sleep 0.05 # the server is restarting
  end
end

def produce(ident, outdir)
  out = File.open(File.join(outdir, "produced-#{ident}"), 'a')
  out.sync = true
  ws = connect
  n = 0
  loop do
    n += 1
    begin
      ws.store('queue', "#{ident}:#{n}")
    rescue NWS::Error
      ws = connect # the answer was lost: never store this number again
      next
    end
    out.write("#{n}\n")
  end
end

def consume(ident)
  ws = connect
  loop do
    begin
      lease = ws.lease('queue', duration: 5, timeout: 1)
      lease.ack_store('done', "#{lease.value}|#{ident}")
    rescue NWS::TimeoutError
      next
    rescue NWS::Error
      ws = connect
    end
  end
end

role, ident, outdir = ARGV
role == 'producer' ? produce(ident, outdir) : consume(ident)
