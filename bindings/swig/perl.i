// Perl entry point: the generated module is NWS::Raw (not public API; NWS.pm wraps it).
%module "NWS::Raw"
%include "nws.i"
