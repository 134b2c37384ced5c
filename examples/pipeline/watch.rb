# Ruby's part of the pipeline: the progress watcher.  Reads each "k/N" the
# aggregator stores in "progress" with find (ifind, waiting: values are left
# for others) and prints it; ends at "N/N".
#   ruby watch.rb PORT WS
gem 'nws'
require 'nws'
$stdout.sync = true
port, ws_name = ARGV
NWS::NetWorkSpace.open(ws_name, host: '127.0.0.1', port: Integer(port), use_only: true) do |ws|
  ws.ifind('progress', wait: true, timeout: 120).each do |p|
    puts "ruby: progress #{p}"
    done, total = p.split('/').map { Integer(_1) }
    break if done == total
  end
end
