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



%include "facade.hpp"
%include "facade_portable.hpp"

namespace std {
  %template(VarRowVector) vector<nws_swig::VarRow>;
  %template(WsRowVector) vector<nws_swig::WsRow>;
  %template(ErrorRowVector) vector<nws_swig::ErrorRow>;
  %template(StringVector) vector<std::string>;
}
