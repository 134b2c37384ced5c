// org.networkspaces.Native: the nws::Iterator entry points.  The core's end
// is not sticky: a step at the end finds nothing and keeps the position, so
// a later step sees values stored since (what NwsIterator.hasNext promises).
#include <jni.h>

#include "jni_util.hpp"

using namespace nws_jni;

extern "C" {

// block: wait for the next value (has_timeout false: for ever); otherwise
// the non-blocking step, nothing at the end (out as fetched_to_java has
// it; ws names the workspace in a portable value's decoding error).  A
// blocking step interrupted after its value arrived returns the value (the
// position has advanced) and leaves the interrupt status set.
JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_iterNext(JNIEnv* env, jclass, jlong h, jbyteArray ws,
                                                                 jboolean block, jboolean has_timeout,
                                                                 jdouble timeout_seconds, jlongArray out) {
  return guarded(env, jobject{}, [&] {
    nws::Iterator& it = from_handle<nws::Iterator>(h);
    const std::string w = optional_bytes(env, ws).value_or(std::string());
    if (!block) return fetched_to_java(env, it.try_next(), out, w, it.variable());
    const std::string what = std::string(it.consuming() ? "ifetch" : "ifind") + " of variable '" + it.variable() + "'";
    const nws::Wait wait = blocking_wait(env, has_timeout, timeout_seconds, what);
    return fetched_to_java(env, keeping_arrived(env, [&] { return it.next(wait); }), out, w, it.variable());
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_iterFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Iterator>(h);
}

}  // extern "C"
