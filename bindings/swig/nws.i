// The SWIG interface shared by the Perl and Ruby packages.
//
// It wraps only the facade (facade.hpp), never client.hpp, and the
// generated code is not the public API: each package puts a hand-written
// module on top (NWS.pm, nws.rb).  Errors: every nws::Error becomes the
// language's error carrying the code's stable name, the message, the
// server's status and reason; the hand-written layer picks the class.
// Each language's entry file (perl.i, ruby.i) holds the %module line and
// its error and interrupt handling, then includes this file.

%{
#include <csignal>
#include <cstring>
#include "facade.hpp"
#include "facade_portable.hpp"
#include "facade_sleigh.hpp"
#include "nws/error.hpp"
%}

%include <std_string.i>
%include <std_vector.i>

%naturalvar nws_swig::Got::bytes;
%naturalvar nws_swig::VarRow::name;
%naturalvar nws_swig::VarRow::mode;
%naturalvar nws_swig::WsRow::name;
%naturalvar nws_swig::WsRow::owner;
%naturalvar nws_swig::WsRow::variable_names;
%naturalvar nws_swig::VarListing::text;
%naturalvar nws_swig::VarListing::rows;
%naturalvar nws_swig::WsListing::text;
%naturalvar nws_swig::WsListing::rows;
%naturalvar nws_swig::ErrorRow::id;
%naturalvar nws_swig::ErrorRow::parent;
%naturalvar nws_swig::ErrorRow::kind;
%naturalvar nws_swig::ErrorRow::name;
%naturalvar nws_swig::Security::tls_ca;
%naturalvar nws_swig::Security::tls_cert;
%naturalvar nws_swig::Security::tls_key;
%naturalvar nws_swig::Security::tls_server_name;
%naturalvar nws_swig::Security::user;
%naturalvar nws_swig::Security::password;
%naturalvar nws_swig::Security::token;
%newobject nws_swig::Server::open_ws;
%newobject nws_swig::Server::use_ws;
%newobject nws_swig::Workspace::server;
%newobject nws_swig::Workspace::ifetch;
%newobject nws_swig::Workspace::ifind;
%newobject nws_swig::Workspace::lease;
%newobject nws_swig::Workspace::lease_try;
%ignore nws_swig::g_interrupt;
%naturalvar nws_swig::SleighOptions::host;
%naturalvar nws_swig::SleighOptions::security;
%naturalvar nws_swig::SleighOptions::ws_template;
%naturalvar nws_swig::SleighOptions::user_ws_template;
%naturalvar nws_swig::SleighOptions::launch;
%naturalvar nws_swig::SleighOptions::node_list;
%naturalvar nws_swig::SleighOptions::user;
%naturalvar nws_swig::SleighOptions::command_prefix;
%naturalvar nws_swig::SleighOptions::language;
%naturalvar nws_swig::SleighOptions::worker_program;
%naturalvar nws_swig::SleighOptions::load;
%naturalvar nws_swig::SleighOptions::module_path;
%naturalvar nws_swig::SleighOptions::working_dir;
%naturalvar nws_swig::SleighOptions::log_dir;
%naturalvar nws_swig::SleighOptions::remote_host;
%naturalvar nws_swig::SleighOptions::slurm_args;
%naturalvar nws_swig::SleighOptions::manual_command;
%naturalvar nws_swig::SleighOutcome::value;
%naturalvar nws_swig::SleighOutcome::error;
%naturalvar nws_swig::SleighCall::language;
%naturalvar nws_swig::SleighCall::name;
%naturalvar nws_swig::SleighCall::serialized;
%naturalvar nws_swig::SleighCall::function_id;
%naturalvar nws_swig::SleighCall::args;
%naturalvar nws_swig::SleighWorkerEnv::host;
%naturalvar nws_swig::SleighWorkerEnv::sleigh_ws;
%naturalvar nws_swig::SleighWorkerEnv::user_ws;
%naturalvar nws_swig::SleighWorkerEnv::working_dir;
%naturalvar nws_swig::SleighWorkerEnv::module_path;
%naturalvar nws_swig::SleighWorkerEnv::load;
%naturalvar nws_swig::SleighWorkerEnv::language;
%newobject nws_swig::SleighMaster::each_elem;
%newobject nws_swig::SleighMaster::each_worker;



%include "facade.hpp"
%include "facade_portable.hpp"
%include "facade_sleigh.hpp"

namespace std {
  %template(VarRowVector) vector<nws_swig::VarRow>;
  %template(WsRowVector) vector<nws_swig::WsRow>;
  %template(ErrorRowVector) vector<nws_swig::ErrorRow>;
  %template(StringVector) vector<std::string>;
  %template(SleighOutcomeVector) vector<nws_swig::SleighOutcome>;
}
