# frozen_string_literal: true

# NWS: NetWorkSpaces for Ruby.
#
#   require 'nws'
#   NWS::NetWorkSpace.open('work') do |ws|      # $NWS_HOST/$NWS_PORT, else localhost:8765
#     ws.store('x', 'hello')                    # strings go direct
#     ws.store('h', { a: [1, 2] })              # other objects by Marshal
#     ws.store('p', { a: [1, 2.5] }, portable: true)   # or for every language
#     ws.fetch('x', timeout: 5)
#   end
#
# NWS::Server (a connection: open, use, create, delete and list
# workspaces), NWS::NetWorkSpace (a workspace's variables), NWS::Lease (a
# value held under a lease: leased fetch), NWS::LocalServer
# (a server inside this process), NWS::Sleigh (a pool of workers running
# tasks), the errors under NWS::Error.  The native
# extension (nws_raw, made by SWIG over the C++ core) is not the API: these
# files are.
require 'nws/tables'
require 'nws/errors'
require 'nws_raw'
require 'nws/args'
require 'nws/table'
require 'nws/portable_writer'
require 'nws/portable_reader'
require 'nws/codec'
require 'nws/listing'
require 'nws/server'
require 'nws/file_transfer'
require 'nws/net_work_space'
require 'nws/value_iterator'
require 'nws/lease'
require 'nws/text_file'
require 'nws/local_server'
require 'nws/sleigh'

# The C++ core the native extension was built from must be the one these
# files were generated from.
if Nws_raw.version != NWS::VERSION
  raise LoadError, "nws: the native extension is version #{Nws_raw.version}, the Ruby files #{NWS::VERSION}: reinstall the gem"
end
