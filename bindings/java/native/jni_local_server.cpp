// org.networkspaces.Native: nws::LocalServer, the embedded server
// (NwsLocalServer).  A handle is a heap nws::LocalServer; stopping it is
// close(), freeing it (which stops it too) the Cleaner's job.
#include <jni.h>

#include "jni_util.hpp"
#include "nws/local_server.hpp"

using namespace nws_jni;

extern "C" {

// bind null / has_port false: not given (127.0.0.1, a free port).
JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_localStart(JNIEnv* env, jclass, jbyteArray bind,
                                                                 jboolean has_port, jint port) {
  return guarded(env, jlong{0}, [&] {
    nws::LocalServerOptions o;
    if (std::optional<std::string> b = optional_bytes(env, bind)) o.bind = *b;
    if (has_port) o.port = nws::args::port(static_cast<double>(port), nws::args::PortUse::listen);
    return to_handle(new nws::LocalServer(o));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_localHost(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jbyteArray{}, [&] { return to_java(env, from_handle<nws::LocalServer>(h).host()); });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_localConnectHost(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jbyteArray{},
                 [&] { return to_java(env, from_handle<nws::LocalServer>(h).connect_options().host); });
}

JNIEXPORT jint JNICALL Java_org_networkspaces_Native_localPort(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jint{0}, [&] { return static_cast<jint>(from_handle<nws::LocalServer>(h).port()); });
}

JNIEXPORT jboolean JNICALL Java_org_networkspaces_Native_localRunning(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jboolean{JNI_FALSE},
                 [&] { return static_cast<jboolean>(from_handle<nws::LocalServer>(h).running()); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_localStop(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { from_handle<nws::LocalServer>(h).stop(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_localFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::LocalServer>(h);
}

}  // extern "C"
