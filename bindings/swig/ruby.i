// Ruby entry point: the generated extension is nws_raw (module Nws_raw),
// not public API; lib/nws.rb wraps it.
%module nws_raw
%include "nws.i"
