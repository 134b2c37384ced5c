// Ruby entry point: the generated extension is nws_raw (module Nws_raw),
// not public API; lib/nws.rb wraps it.  Ruby's error, GVL and interrupt
// handling, then the shared interface.
%module nws_raw

%{
#include <ruby/thread.h>
#include <thread>
#include <type_traits>
#include "facade.hpp"
#include "nws/error.hpp"

// Raising a Ruby exception longjmps: no C++ destructor runs between the
// raise and the rescue.  So an error is caught into a Failure, turned into
// the Ruby exception object, and raised only once every C++ object of the
// call has gone out of scope (and no C++ exception is live), after the
// wrapper's own cleanup ($cleanup: converted arguments); a value that comes
// with an interrupt is handed to Ruby before the interrupt is raised.
namespace nws_rb {

// An error caught while the GVL was released.  NWS._native_error
// (lib/nws/errors.rb) picks the exception class from the code's stable name.
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
  void set_other(const std::exception& e) {
    failed = true;
    code = "internal";
    message = e.what();
  }
  // The exception to raise, or Qnil.
  VALUE exception() const {
    if (!failed) return Qnil;
    VALUE mod = rb_const_get(rb_cObject, rb_intern("NWS"));
    return rb_funcall(mod, rb_intern("_native_error"), 4, rb_str_new(code.data(), (long)code.size()),
                      rb_str_new(message.data(), (long)message.size()), INT2NUM(status),
                      rb_str_new(reason.data(), (long)reason.size()));
  }
};

// One facade call, run without the GVL: `fn` (the wrapper's $action, a
// lambda on the wrapper's stack) through `invoke`.  `ubf`, when set, is
// the unblocking function, called with `ubf_arg` (the facade handle, which
// outlives the call): Ctrl-C or Thread#raise calls it, from Ruby's signal
// handler too, so it only sets the handle's atomic cancel flag, and the
// client withdraws the request.
struct Call {
  template <class F>
  explicit Call(F& f) : invoke([](void* p) { (*static_cast<F*>(p))(); }), fn(&f) {}
  void (*invoke)(void*);
  void* fn;
  rb_unblock_function_t* ubf = nullptr;
  void* ubf_arg = nullptr;
  Failure failure;
  bool ran = false;
  int jump = 0;  // the call did not start: an interrupt to re-raise (rb_jump_tag)
};

template <class Handle>
void cancel(void* handle) {
  static_cast<Handle*>(handle)->cancel();
}

inline void* run_call(void* p) {
  auto* c = static_cast<Call*>(p);
  c->ran = true;
  try {
    c->invoke(c->fn);
  } catch (const nws::Error& e) {
    c->failure.set(e);
  } catch (const std::exception& e) {
    c->failure.set_other(e);
  }
  return nullptr;
}

inline VALUE check_ints(VALUE) {
  rb_thread_check_ints();
  return Qnil;
}

// Runs the call without the GVL.  RB_NOGVL_INTR_FAIL: Ruby raises no
// pending interrupt on the way out, which would longjmp past a value that
// has just arrived (deliver() below raises it instead, carrying the value).
// With that flag an interrupt already pending on the way in keeps the call
// from starting: then `jump` says what to raise, before anything was sent.
inline void without_gvl(Call& c) {
  const int flags = RB_NOGVL_INTR_FAIL | (c.ubf ? RB_NOGVL_UBF_ASYNC_SAFE : 0);
  // Checking the interrupts clears what made the call refuse to start (or
  // raises it); the bound only guards against an endless stream of timer
  // interrupts.
  for (int attempt = 0; attempt < 100; ++attempt) {
    rb_nogvl(run_call, &c, c.ubf, c.ubf_arg, flags);
    if (c.ran) return;
    rb_protect(check_ints, Qnil, &c.jump);
    if (c.jump) return;
  }
  rb_nogvl(run_call, &c, c.ubf, c.ubf_arg, flags & ~RB_NOGVL_INTR_FAIL);
}

// A value came back, and an interrupt (Ctrl-C, Thread#raise) is pending or
// cut the call short after the value had arrived: raise the interrupt now,
// carrying the raw value in @nws_arrived ([descriptor, bytes, size]); the
// Ruby layer decodes it (NWS::ArrivedValue#nws_value).  When nothing is
// raised (a trap handler ran, or Thread.handle_interrupt defers the
// exception) the value is simply returned.
inline void deliver(nws_swig::Got& g) {
  if (!g.interrupted && !(g.found && rb_thread_interrupted(rb_thread_current()))) return;
  VALUE bytes = rb_str_new(g.bytes.data(), (long)g.bytes.size());
  std::string().swap(g.bytes);  // freed now: the raise below skips its destructor
  VALUE arrived = rb_ary_new_from_args(3, ULL2NUM(g.descriptor), bytes, ULL2NUM(g.size));
  int state = 0;
  rb_protect(check_ints, Qnil, &state);
  if (!state) {
    g.bytes.assign(RSTRING_PTR(bytes), (size_t)RSTRING_LEN(bytes));
    return;
  }
  VALUE err = rb_errinfo();
  if (rb_obj_is_kind_of(err, rb_eException) && !OBJ_FROZEN(err)) rb_ivar_set(err, rb_intern("@nws_arrived"), arrived);
  rb_jump_tag(state);
}

// An unsettled lease that Ruby lets go of (garbage collected, or taken
// by an interrupt right after it arrived) gives its value back, as
// nws::Lease's destructor does.  That release is a round trip on the
// lease's connection, which another thread may hold in a blocking call
// (without the GVL) until a Ruby thread stores the value it waits for:
// done here, with the GVL held (a GC free function cannot let go of it),
// it could wait for ever.  So it happens on a thread of its own; until it
// is done (or if the process ends first, then the server gives the value
// back when the connection closes) the value stays leased.
inline void release_later(nws_swig::Lease* lease) {
  if (lease->settled()) {
    delete lease;
    return;
  }
  try {
    std::thread([lease] { delete lease; }).detach();
  } catch (const std::exception&) {
    delete lease;  // no thread to be had: release here
  }
}

// A lease came back, and an interrupt (Ctrl-C, Thread#raise) is pending:
// the caller will not see the lease, so its value goes back, and the
// interrupt is raised (as the core does when the interrupt cuts the call
// short after the value arrived).  If nothing is raised (a trap handler
// ran) the lease is returned.
inline void deliver_lease(nws_swig::Lease*& lease) {
  if (!lease || !rb_thread_interrupted(rb_thread_current())) return;
  int state = 0;
  rb_protect(check_ints, Qnil, &state);
  if (!state) return;
  release_later(lease);
  lease = nullptr;
  rb_jump_tag(state);
}

}  // namespace nws_rb

// The free function of NWS::Lease's native object.
static void nws_rb_free_lease(void* p) { nws_rb::release_later(static_cast<nws_swig::Lease*>(p)); }
%}

%freefunc nws_swig::Lease "nws_rb_free_lease";

// Calls that stay in C++ (accessors, the std::vector helpers).
%exception {
  VALUE nws_error = Qnil;
  {
    nws_rb::Failure failure;
    try {
      $action
    } catch (const nws::Error& e) {
      failure.set(e);
    } catch (const std::exception& e) {
      failure.set_other(e);
    }
    nws_error = failure.exception();
  }
  if (!NIL_P(nws_error)) {
    $cleanup
    rb_exc_raise(nws_error);
  }
}

// Calls that talk to the server run without the GVL ($action is pure C++
// there: arguments are converted before it, results after it), so a thread
// waiting for the connection (held by another thread's blocking fetch) does
// not stop the Ruby threads that would store the awaited value.
%define NWS_RB_NOGVL(method)
%exception method {
  VALUE nws_error = Qnil;
  int nws_jump = 0;
  {
    auto run = [&]() { $action };
    nws_rb::Call call(run);
    nws_rb::without_gvl(call);
    nws_jump = call.jump;
    nws_error = call.failure.exception();
  }
  if (nws_jump || !NIL_P(nws_error)) {
    $cleanup
    if (nws_jump) rb_jump_tag(nws_jump);
    rb_exc_raise(nws_error);
  }
}
%enddef
NWS_RB_NOGVL(nws_swig::Server::Server)
NWS_RB_NOGVL(nws_swig::Server::open_ws)
NWS_RB_NOGVL(nws_swig::Server::use_ws)
NWS_RB_NOGVL(nws_swig::Server::mktemp_ws)
NWS_RB_NOGVL(nws_swig::Server::delete_ws)
NWS_RB_NOGVL(nws_swig::Server::list_wss)
NWS_RB_NOGVL(nws_swig::Server::list_vars)
NWS_RB_NOGVL(nws_swig::Server::close)
NWS_RB_NOGVL(nws_swig::Workspace::store)
NWS_RB_NOGVL(nws_swig::Workspace::declare)
NWS_RB_NOGVL(nws_swig::Workspace::delete_var)
NWS_RB_NOGVL(nws_swig::Workspace::list_vars)
NWS_RB_NOGVL(nws_swig::Workspace::ifetch)
NWS_RB_NOGVL(nws_swig::Workspace::ifind)
NWS_RB_NOGVL(nws_swig::Workspace::store_file)
NWS_RB_NOGVL(nws_swig::Workspace::close)
NWS_RB_NOGVL(nws_swig::Lease::ack)
NWS_RB_NOGVL(nws_swig::Lease::ack_store)
NWS_RB_NOGVL(nws_swig::Lease::release)
NWS_RB_NOGVL(nws_swig::Lease::renew)
NWS_RB_NOGVL(nws_swig::LocalServer::LocalServer)
NWS_RB_NOGVL(nws_swig::LocalServer::stop)
// The sleigh: starting workers, stopping them and the worker's wait for its
// next task take as long as they take; no Ruby thread should wait for them.
// (The master's constructor has no handle to cancel yet: a manual launch's
// wait for a person is not interruptible.)
NWS_RB_NOGVL(nws_swig::SleighMaster::SleighMaster)
NWS_RB_NOGVL(nws_swig::SleighMaster::worker_info)
NWS_RB_NOGVL(nws_swig::SleighMaster::each_elem)
NWS_RB_NOGVL(nws_swig::SleighMaster::stop)
NWS_RB_NOGVL(nws_swig::SleighJob::close)
NWS_RB_NOGVL(nws_swig::SleighJob::drain)
NWS_RB_NOGVL(nws_swig::SleighWorker::SleighWorker)
NWS_RB_NOGVL(nws_swig::SleighWorker::next_call)

// Sleigh calls that wait and can be cancelled through their handle:
// Ctrl-C / Thread#raise set its cancel flag (the unblocking function), the
// wait ends with Errc::cancelled, and the interrupt itself is raised.
%define NWS_RB_CANCELLABLE(method)
%exception method {
  VALUE nws_error = Qnil;
  int nws_jump = 0;
  bool nws_cancelled = false;
  {
    auto run = [&]() { $action };
    nws_rb::Call call(run);
    call.ubf = nws_rb::cancel<std::remove_pointer_t<decltype(arg1)>>;
    call.ubf_arg = arg1;
    nws_rb::without_gvl(call);
    nws_jump = call.jump;
    nws_cancelled = call.failure.cancelled;
    nws_error = call.failure.exception();
  }
  if (nws_jump || !NIL_P(nws_error)) {
    $cleanup
    if (nws_jump) rb_jump_tag(nws_jump);
    if (nws_cancelled) rb_thread_check_ints();
    rb_exc_raise(nws_error);
  }
}
%enddef
NWS_RB_CANCELLABLE(nws_swig::SleighMaster::status)
NWS_RB_CANCELLABLE(nws_swig::SleighMaster::each_worker)
NWS_RB_CANCELLABLE(nws_swig::SleighJob::add)
NWS_RB_CANCELLABLE(nws_swig::SleighJob::next_outcome)

// Calls that return a value (a Got).  Blocking ones are interruptible:
// Ctrl-C / Thread#raise cancel them; if the value had already arrived it
// is delivered with the interrupt (nws_rb::deliver), otherwise the
// interrupt is raised as usual.
%define NWS_RB_VALUE(method, interruptible)
%exception method {
  VALUE nws_error = Qnil;
  int nws_jump = 0;
  bool nws_cancelled = false;
  {
    auto run = [&]() { $action };
    nws_rb::Call call(run);
    if (interruptible) {
      call.ubf = nws_rb::cancel<std::remove_pointer_t<decltype(arg1)>>;
      call.ubf_arg = arg1;
    }
    nws_rb::without_gvl(call);
    nws_jump = call.jump;
    nws_cancelled = call.failure.cancelled;
    nws_error = call.failure.exception();
  }
  if (nws_jump || !NIL_P(nws_error)) {
    $cleanup
    if (nws_jump) rb_jump_tag(nws_jump);
    // Cancelled with no value: raise the interrupt itself (Interrupt for
    // Ctrl-C, or what Thread#raise sent); NWS::CancelledError if none is pending.
    if (nws_cancelled) rb_thread_check_ints();
    rb_exc_raise(nws_error);
  }
  nws_rb::deliver(result);
}
%enddef
NWS_RB_VALUE(nws_swig::Workspace::fetch, true)
NWS_RB_VALUE(nws_swig::Workspace::find, true)
NWS_RB_VALUE(nws_swig::Workspace::retrieve_file, true)
NWS_RB_VALUE(nws_swig::Cursor::next_value, true)
NWS_RB_VALUE(nws_swig::Workspace::fetch_try, false)
NWS_RB_VALUE(nws_swig::Workspace::find_try, false)
NWS_RB_VALUE(nws_swig::Cursor::try_next, false)

// Calls that return a lease: like NWS_RB_VALUE, but a lease that arrives
// with an interrupt pending goes back (nws_rb::deliver_lease).
%define NWS_RB_LEASE(method, interruptible)
%exception method {
  VALUE nws_error = Qnil;
  int nws_jump = 0;
  bool nws_cancelled = false;
  {
    auto run = [&]() { $action };
    nws_rb::Call call(run);
    if (interruptible) {
      call.ubf = nws_rb::cancel<std::remove_pointer_t<decltype(arg1)>>;
      call.ubf_arg = arg1;
    }
    nws_rb::without_gvl(call);
    nws_jump = call.jump;
    nws_cancelled = call.failure.cancelled;
    nws_error = call.failure.exception();
  }
  if (nws_jump || !NIL_P(nws_error)) {
    $cleanup
    if (nws_jump) rb_jump_tag(nws_jump);
    if (nws_cancelled) rb_thread_check_ints();
    rb_exc_raise(nws_error);
  }
  nws_rb::deliver_lease(result);
}
%enddef
NWS_RB_LEASE(nws_swig::Workspace::lease, true)
NWS_RB_LEASE(nws_swig::Workspace::lease_try, false)

%include "nws.i"
