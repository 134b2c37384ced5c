// org.networkspaces.Native: the nws::Workspace entry points (bytes in, bytes
// out; encoding values is Java's job: Values.java; portable values are the
// exception, decoded by fetched_to_java and stored by wsStorePortable in
// jni_portable_writer.cpp, so their vectors cross JNI once).
#include <jni.h>

#include "jni_listing.hpp"
#include "jni_util.hpp"

using namespace nws_jni;
using nws::args::NameOf;

extern "C" {

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsStore(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                             jlong descriptor, jbyteArray value) {
  guarded_void(env, [&] {
    const std::string v = name_of(env, var, NameOf::variable);
    const std::string bytes = optional_bytes(env, value).value_or(std::string());
    from_handle<nws::Workspace>(h).store(v, static_cast<std::uint64_t>(descriptor), bytes);
  });
}

// how: 0 fetch, 1 fetchTry, 2 find, 3 findTry (nws::Retrieve's order).
// The value as fetched_to_java has it (out: descriptor, what it is); raw
// keeps a portable value's bytes (the tests look at them).  A blocking call
// interrupted after its value arrived returns the value; the interrupt
// status stays set.
JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_wsRetrieve(JNIEnv* env, jclass, jlong h, jint how,
                                                                   jbyteArray var, jboolean has_timeout,
                                                                   jdouble timeout_seconds, jboolean raw,
                                                                   jlongArray out) {
  return guarded(env, jobject{}, [&] {
    if (how < 0 || how > 3) throw nws::Error(nws::Errc::invalid_argument, "unknown retrieval");
    const auto r = static_cast<nws::Retrieve>(how);
    const std::string v = name_of(env, var, NameOf::variable);
    nws::Workspace& ws = from_handle<nws::Workspace>(h);
    if (r == nws::Retrieve::fetch_try || r == nws::Retrieve::find_try)
      return fetched_to_java(env, ws.retrieve(r, v), out, ws.name(), v, raw);
    const char* verb = r == nws::Retrieve::fetch ? "fetch" : "find";
    const nws::Wait wait = blocking_wait(env, has_timeout, timeout_seconds,
                                         verb + (" of variable '" + v + "' in workspace '" + ws.name() + "'"));
    return fetched_to_java(env, keeping_arrived(env, [&] { return *ws.retrieve(r, v, wait); }), out, ws.name(), v,
                           raw);
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsDeclare(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                               jbyteArray mode) {
  guarded_void(env, [&] {
    const std::string v = name_of(env, var, NameOf::variable);
    const std::optional<std::string> m = optional_bytes(env, mode);
    const nws::Mode checked = nws::args::mode(m ? std::optional<std::string_view>(*m) : std::nullopt);
    from_handle<nws::Workspace>(h).declare(v, checked);
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsDeleteVar(JNIEnv* env, jclass, jlong h, jbyteArray var) {
  guarded_void(env, [&] { from_handle<nws::Workspace>(h).delete_var(name_of(env, var, NameOf::variable)); });
}

JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_wsListVars(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jobject{}, [&] { return to_java(env, from_handle<nws::Workspace>(h).list_vars()); });
}

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_wsIterator(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                                 jboolean consuming) {
  return guarded(env, jlong{0}, [&] {
    nws::Workspace& ws = from_handle<nws::Workspace>(h);
    const std::string v = name_of(env, var, NameOf::variable);
    return to_handle(new nws::Iterator(consuming ? ws.ifetch(v) : ws.ifind(v)));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsClose(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { from_handle<nws::Workspace>(h).close(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Workspace>(h);
}

}  // extern "C"
