// org.networkspaces.Native: the nws::Iterator entry points.
#include <jni.h>

#include "jni_util.hpp"

using namespace nws_jni;

extern "C" {

// block: wait for the next value (timeout_ns < 0: for ever); otherwise the
// non-blocking step, null at the end.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_iterNext(JNIEnv* env, jclass, jlong h, jboolean block,
                                                                    jlong timeout_ns, jlongArray descriptor_out) {
  return guarded(env, jbyteArray{}, [&] {
    nws::Iterator& it = from_handle<nws::Iterator>(h);
    // A Java Iterator that found no value now may find one later (hasNext
    // asks again), so a step after the end continues from the position.
    if (it.ended()) it.restart();
    if (block) return fetched_to_java(env, it.next(make_wait(env, timeout_ns)), descriptor_out);
    return fetched_to_java(env, it.try_next(), descriptor_out);
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_iterFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Iterator>(h);
}

}  // extern "C"
