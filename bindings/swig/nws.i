// The SWIG interface shared by the Perl and Ruby packages.
//
// It wraps only the flat facade (nws_flat.hpp), never client.hpp, and the
// generated code is not the public API: each package puts a hand-written
// module on top (NWS.pm, nws.rb).  Errors: every nws::Error becomes the
// language's error carrying the code's stable name, the message, the
// server's status and reason; the hand-written layer picks the class.
// The %module line lives in each language's entry file (perl.i, ruby.i).

%{
#include <csignal>
#include <cstring>
#include "nws_flat.hpp"
#include "nws/error.hpp"
%}

%include <std_string.i>
%include <std_vector.i>

%naturalvar nws_flat::Got::bytes;
%naturalvar nws_flat::VarRow::name;
%naturalvar nws_flat::VarRow::mode;
%newobject nws_flat::Space::ifetch;
%newobject nws_flat::Space::ifind;
%ignore nws_flat::g_interrupt;
%ignore nws_flat::Space::WaitSpec;

#ifdef SWIGPERL
%{
// Perl runs its signal handlers only between opcodes ("safe signals"), so
// none runs while a blocking call sits in C++.  For the duration of such a
// call a C handler for SIGINT sets the facade's interrupt flag, which the
// client polls every slice; the previous disposition comes back afterwards.
namespace {
bool g_perl_last_interrupted = false;

extern "C" void nws_perl_on_sigint(int) { nws_flat::g_interrupt.store(true); }

class SigintGuard {
 public:
  SigintGuard() {
    nws_flat::g_interrupt.store(false);
    g_perl_last_interrupted = false;
    // A process that ignores SIGINT (started in the background) keeps
    // ignoring it: Ctrl-C must not interrupt it here either.
    if (sigaction(SIGINT, nullptr, &old_) != 0 || old_.sa_handler == SIG_IGN) return;
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = nws_perl_on_sigint;
    sigemptyset(&sa.sa_mask);
    installed_ = sigaction(SIGINT, &sa, nullptr) == 0;
  }
  ~SigintGuard() {
    if (installed_) sigaction(SIGINT, &old_, nullptr);
    g_perl_last_interrupted = nws_flat::g_interrupt.exchange(false);
  }

 private:
  struct sigaction old_;
  bool installed_ = false;
};

// $@ = bless {code, message, status, reason}, 'NWS::Error'; NWS.pm picks the subclass.
void nws_perl_set_error(pTHX_ const char* code, const char* message, int status, const std::string& reason) {
  HV* hv = newHV();
  hv_stores(hv, "code", newSVpv(code, 0));
  hv_stores(hv, "message", newSVpv(message, 0));
  hv_stores(hv, "status", newSViv(status));
  hv_stores(hv, "reason", newSVpvn(reason.data(), reason.size()));
  SV* ref = newRV_noinc((SV*)hv);
  sv_bless(ref, gv_stashpv("NWS::Error", GV_ADD));
  sv_setsv(get_sv("@", GV_ADD), ref);
  SvREFCNT_dec(ref);
}
}  // namespace
%}

%exception {
  try {
    $action
  } catch (const nws::Error& e) {
    nws_perl_set_error(aTHX_ std::string(nws::errc_name(e.code())).c_str(), e.what(), e.status(), e.reason());
    SWIG_fail;
  } catch (const std::exception& e) {
    nws_perl_set_error(aTHX_ "internal", e.what(), -1, std::string());
    SWIG_fail;
  }
}

%define NWS_BLOCKING(method)
%exception method {
  try {
    SigintGuard guard;
    $action
  } catch (const nws::Error& e) {
    nws_perl_set_error(aTHX_ std::string(nws::errc_name(e.code())).c_str(), e.what(), e.status(), e.reason());
    SWIG_fail;
  } catch (const std::exception& e) {
    nws_perl_set_error(aTHX_ "internal", e.what(), -1, std::string());
    SWIG_fail;
  }
}
%enddef
NWS_BLOCKING(nws_flat::Space::fetch)
NWS_BLOCKING(nws_flat::Space::find)
NWS_BLOCKING(nws_flat::Cursor::next_value)

%inline %{
// True once after a blocking call that SIGINT interrupted (even if the
// value won the race and the call returned it).
bool take_interrupt() {
  bool r = g_perl_last_interrupted;
  g_perl_last_interrupted = false;
  return r;
}
%}
#endif

#ifdef SWIGRUBY
%{
#include <functional>
#include <ruby/thread.h>
// Errors are caught into a plain struct and raised once the C++ catch
// block has ended (raising longjmps, which must not cross a live C++
// exception).  NWS._native_error (nws.rb) picks the exception class.
namespace nws_rb {
struct Failure {
  bool failed = false;
  bool cancelled = false;
  std::string code, message, reason;
  int status = -1;
  void set(const nws::Error& e) {
    failed = true;
    cancelled = e.code() == nws::Errc::cancelled;
    code = std::string(nws::errc_name(e.code()));
    message = e.what();
    status = e.status();
    reason = e.reason();
  }
  void set_other(const std::exception& e) { failed = true; code = "internal"; message = e.what(); }
  [[noreturn]] void raise() const {
    VALUE mod = rb_const_get(rb_cObject, rb_intern("NWS"));
    VALUE exc = rb_funcall(mod, rb_intern("_native_error"), 4, rb_str_new(code.data(), (long)code.size()),
                           rb_str_new(message.data(), (long)message.size()), INT2NUM(status),
                           rb_str_new(reason.data(), (long)reason.size()));
    rb_exc_raise(exc);
  }
};

// A blocking call run without the GVL; Ctrl-C / Thread#raise call the
// unblocking function, which sets the handle's cancel flag; the client
// then withdraws the request (the value, if any, goes to the next fetcher).
struct Blocking {
  std::function<void()> run;
  std::function<void()> cancel;
  Failure failure;
};
inline void* run_blocking(void* p) {
  auto* b = static_cast<Blocking*>(p);
  try {
    b->run();
  } catch (const nws::Error& e) {
    b->failure.set(e);
  } catch (const std::exception& e) {
    b->failure.set_other(e);
  }
  return nullptr;
}
inline void unblock(void* p) { static_cast<Blocking*>(p)->cancel(); }
}  // namespace nws_rb
%}

%exception {
  nws_rb::Failure failure;
  try {
    $action
  } catch (const nws::Error& e) {
    failure.set(e);
  } catch (const std::exception& e) {
    failure.set_other(e);
  }
  if (failure.failed) failure.raise();
}

// The facade's calls run without the GVL ($action is pure C++ there:
// arguments are converted before it, results after it).  A thread waiting
// for the connection's mutex (held by another thread's blocking fetch) then
// does not stop the Ruby threads that would store the awaited value.
// (Not the std::vector helpers: their actions use the Ruby API.)
%define NWS_RB_NOGVL(method)
%exception method {
  nws_rb::Blocking call;
  call.run = [&]() { $action };
  rb_thread_call_without_gvl(nws_rb::run_blocking, &call, nullptr, nullptr);
  if (call.failure.failed) call.failure.raise();
}
%enddef
NWS_RB_NOGVL(nws_flat::Space::Space)
NWS_RB_NOGVL(nws_flat::Space::store)
NWS_RB_NOGVL(nws_flat::Space::fetch_try)
NWS_RB_NOGVL(nws_flat::Space::find_try)
NWS_RB_NOGVL(nws_flat::Space::declare)
NWS_RB_NOGVL(nws_flat::Space::delete_var)
NWS_RB_NOGVL(nws_flat::Space::list_vars)
NWS_RB_NOGVL(nws_flat::Space::list_vars_text)
NWS_RB_NOGVL(nws_flat::Space::ifetch)
NWS_RB_NOGVL(nws_flat::Space::ifind)
NWS_RB_NOGVL(nws_flat::Space::close)
NWS_RB_NOGVL(nws_flat::Cursor::try_next)

%define NWS_RB_BLOCKING(method)
%exception method {
  nws_rb::Blocking blocking;
  blocking.run = [&]() { $action };
  blocking.cancel = [&]() { arg1->cancel(); };
  rb_thread_call_without_gvl(nws_rb::run_blocking, &blocking, nws_rb::unblock, &blocking);
  if (blocking.failure.failed) {
    // Cancelled by an interrupt: let Ruby raise it (Interrupt for Ctrl-C).
    if (blocking.failure.cancelled) rb_thread_check_ints();
    blocking.failure.raise();
  }
}
%enddef
NWS_RB_BLOCKING(nws_flat::Space::fetch)
NWS_RB_BLOCKING(nws_flat::Space::find)
NWS_RB_BLOCKING(nws_flat::Cursor::next_value)
#endif

%include "nws_flat.hpp"

namespace std {
  %template(VarRowVector) vector<nws_flat::VarRow>;
}
