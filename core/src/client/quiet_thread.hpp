// Threads the core starts inside a host program (a LocalServer's loop, a
// sleigh's collector and watchers, a worker's sentinel) take no
// asynchronous signal: Ctrl-C and the rest stay the host's, delivered to
// its own threads, where a language runtime's handlers expect them (Perl's
// and R's handlers crash when a signal lands on a thread they do not
// know).  Faults stay deliverable, to the host's handlers.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <thread>
#include <utility>

namespace nws::detail {

// std::thread(f), started with the asynchronous signals blocked (a new
// thread inherits its creator's mask; the creator's is restored at once).
template <class F>
std::thread quiet_thread(F&& f) {
  sigset_t async, previous;
  ::sigfillset(&async);
  for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT}) ::sigdelset(&async, fault);
  ::pthread_sigmask(SIG_BLOCK, &async, &previous);
  struct RestoreMask {
    sigset_t mask;
    ~RestoreMask() { ::pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
  } restore{previous};
  return std::thread(std::forward<F>(f));
}

}  // namespace nws::detail
