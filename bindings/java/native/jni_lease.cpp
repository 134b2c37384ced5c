// org.networkspaces.Native: leased fetch (nws::Workspace::lease and
// nws::Lease).  A lease handle is a heap nws::Lease; Lease.java frees it
// (leaseFree) on close(), or from a Cleaner if the program drops it, under
// the Java object's lock, so no call can be using it then.  Deleting an
// unsettled nws::Lease releases its value (the core's destructor; errors
// ignored): that is what Lease.close() promises.
#include <jni.h>

#include <chrono>

#include "jni_util.hpp"
#include "nws/portable.hpp"

using namespace nws_jni;
using nws::args::NameOf;

namespace {
nws::Lease& lease(jlong h) { return from_handle<nws::Lease>(h); }

// The core checks the range (1 ms .. 2^31-1 ms) with its own message.
std::chrono::milliseconds millis(jlong ms) { return std::chrono::milliseconds(static_cast<std::int64_t>(ms)); }
}  // namespace

extern "C" {

// block: wait for a value (has_timeout false: for ever), as fetch; else
// leaseTry: 0 when the variable has no value now.  A blocking lease
// interrupted after its value arrived has given the value back (the core
// does) and raises Errc::cancelled; the interrupt status stays set.
JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_wsLease(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                              jlong duration_ms, jboolean block, jboolean has_timeout,
                                                              jdouble timeout_seconds) {
  return guarded(env, jlong{0}, [&]() -> jlong {
    nws::Workspace& ws = from_handle<nws::Workspace>(h);
    const std::string v = name_of(env, var, NameOf::variable);
    if (!block) {
      std::optional<nws::Lease> got = ws.lease_try(v, millis(duration_ms));
      return got ? to_handle(new nws::Lease(std::move(*got))) : jlong{0};
    }
    const nws::Wait wait =
        blocking_wait(env, has_timeout, timeout_seconds, "lease of variable '" + v + "' in workspace '" + ws.name() + "'");
    return to_handle(new nws::Lease(ws.lease(v, millis(duration_ms), wait)));
  });
}

// The leased value as fetched_to_java has it (out: descriptor, what it is;
// ws names the workspace in a portable value's decoding error).
JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_leaseValue(JNIEnv* env, jclass, jlong h, jbyteArray ws,
                                                                   jlongArray out) {
  return guarded(env, jobject{}, [&] {
    const nws::Lease& l = lease(h);
    const std::string w = optional_bytes(env, ws).value_or(std::string());
    return fetched_to_java(env, l.fetched(), out, w, l.variable());
  });
}

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_leaseId(JNIEnv*, jclass, jlong h) {
  return static_cast<jlong>(lease(h).id());
}

JNIEXPORT jboolean JNICALL Java_org_networkspaces_Native_leaseSettled(JNIEnv*, jclass, jlong h) {
  return lease(h).settled() ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_leaseAck(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { lease(h).ack(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_leaseRelease(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { lease(h).release(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_leaseRenew(JNIEnv* env, jclass, jlong h, jlong duration_ms) {
  guarded_void(env, [&] { lease(h).renew(millis(duration_ms)); });
}

// A value Values.java encoded (as wsStore).
JNIEXPORT void JNICALL Java_org_networkspaces_Native_leaseAckStore(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                                   jlong descriptor, jbyteArray value) {
  guarded_void(env, [&] {
    const std::string v = name_of(env, var, NameOf::variable);
    const std::string bytes = optional_bytes(env, value).value_or(std::string());
    lease(h).ack_store(v, static_cast<std::uint64_t>(descriptor), bytes);
  });
}

// A portable value PortableWriter wrote into the Writer `w` (as wsStorePortable).
JNIEXPORT void JNICALL Java_org_networkspaces_Native_leaseAckStorePortable(JNIEnv* env, jclass, jlong h,
                                                                           jbyteArray var, jlong w) {
  guarded_void(env, [&] {
    const std::string v = name_of(env, var, NameOf::variable);
    const std::string bytes = from_handle<nws::portable::Writer>(w).finish();
    lease(h).ack_store(v, nws::portable::descriptor_for(nws::Language::java), bytes);
  });
}

// nws::Lease::kDefaultDuration, for Lease.DEFAULT_DURATION.
JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_leaseDefaultMillis(JNIEnv*, jclass) {
  return static_cast<jlong>(nws::Lease::kDefaultDuration.count());
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_leaseFree(JNIEnv*, jclass, jlong h) {
  delete &lease(h);
}

}  // extern "C"
