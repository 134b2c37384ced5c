// org.networkspaces.Native: the nws::Iterator entry points.  The core's end
// is not sticky: a step at the end finds nothing and keeps the position, so
// a later step sees values stored since (what NwsIterator.hasNext promises).
#include <jni.h>

#include "jni_util.hpp"

using namespace nws_jni;

extern "C" {

// block: wait for the next value (has_timeout false: for ever); otherwise
// the non-blocking step, null at the end.  A blocking step interrupted after
// its value arrived returns the value (the position has advanced) and
// leaves the interrupt status set.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_iterNext(JNIEnv* env, jclass, jlong h, jboolean block,
                                                                    jboolean has_timeout, jdouble timeout_seconds,
                                                                    jlongArray descriptor_out) {
  return guarded(env, jbyteArray{}, [&] {
    nws::Iterator& it = from_handle<nws::Iterator>(h);
    if (!block) return fetched_to_java(env, it.try_next(), descriptor_out);
    const std::string what = std::string(it.consuming() ? "ifetch" : "ifind") + " of variable '" + it.variable() + "'";
    const nws::Wait wait = blocking_wait(env, has_timeout, timeout_seconds, what);
    return fetched_to_java(env, keeping_arrived(env, [&] { return it.next(wait); }), descriptor_out);
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_iterFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Iterator>(h);
}

}  // extern "C"
